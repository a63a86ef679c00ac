"""What the call and move e-mails and their confirmation pages say (issue 13 §2, §6):
the move confirmation previews the e-mail's own subject (old and new time); e-mails name
only proposal deadlines still ahead and say plainly when the window has closed; calling
after the proposal deadline is warned of; a second meeting of a forum on one day is
allowed with a warning, and subjects then carry the time."""

import html
from datetime import date, datetime, timedelta

import pytest
import time_machine

from core.models import AuditEntry
from meetings import services
from meetings.deadlines import TZ
from meetings.models import Meeting
from meetings.tests.factories import at, schedule
from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 2, 1, 10, 0, tzinfo=TZ)
DAY = date(2027, 3, 16)  # proposals close at the end of 23 February 2027 (D − 21)
LATE_DAY = date(2027, 2, 12)  # called on 1 February: its deadline (22 January) has passed


@pytest.fixture(autouse=True)
def february_2027(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def page(response) -> str:
    return html.unescape(response.content.decode())


def call_post(forums, day: date, hour: int = 14, **extra) -> dict:
    return {
        "forum": forums["samarbejdsforum"].pk,
        "day": day.isoformat(),
        "starts": f"{hour:02d}:00",
        "ends": f"{hour + 2:02d}:00",
        "place": "Njalsgade 13",
        **extra,
    }


def move_post(day: date, hour: int = 10, **extra) -> dict:
    return {
        "day": day.isoformat(),
        "starts": f"{hour:02d}:00",
        "ends": f"{hour + 2:02d}:00",
        "place": "Njalsgade 13",
        **extra,
    }


def confirm_subject(response) -> str:
    return response.context["c"].subject


# --- Moving ---------------------------------------------------------------------------------


def test_the_move_confirmation_previews_the_subject_the_e_mail_gets_with_the_old_time(
    forums, member_user, secretariat_client, django_capture_on_commit_callbacks
):
    meeting = schedule(forums["samarbejdsforum"], day=DAY)
    url = f"/sekretariat/moeder/{meeting.pk}/flyt/"
    preview = confirm_subject(secretariat_client.post(url, move_post(date(2027, 3, 17))))
    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(url, move_post(date(2027, 3, 17), confirm="1"))
    sent = OutboxMessage.objects.get(kind="meeting_moved", recipient=member_user.email)
    assert preview == sent.subject
    assert sent.subject == (
        "Flyttet: Samarbejdsforum fra 16. marts 2027, 14:00 til 17. marts 2027, 10:00"
    )


def test_a_move_while_proposals_are_open_names_the_new_deadline(
    forums, member_user, secretariat_user
):
    meeting = schedule(forums["samarbejdsforum"], day=DAY)
    services.meeting_move(
        actor=secretariat_user,
        meeting=meeting,
        starts_at=at(date(2027, 3, 23), 10),
        ends_at=at(date(2027, 3, 23), 12),
        place="Njalsgade 13",
    )
    moved = OutboxMessage.objects.get(kind="meeting_moved", recipient=member_user.email)
    assert "Fristen for forslag til dagsordenen er ved udgangen af tirsdag 2. marts 2027" in (
        moved.body_text
    )
    assert "Fristen for forslag til dette møde er udløbet" not in moved.body_text


def test_a_move_after_the_proposal_deadline_does_not_name_it_and_says_the_window_closed(
    forums, member_user, secretariat_user, february_2027
):
    meeting = schedule(forums["samarbejdsforum"], day=DAY)
    february_2027.move_to(datetime(2027, 3, 1, 9, 0, tzinfo=TZ))  # deadline was 23 February
    services.meeting_move(
        actor=secretariat_user,
        meeting=meeting,
        starts_at=at(date(2027, 3, 17), 10),
        ends_at=at(date(2027, 3, 17), 12),
        place="Njalsgade 13",
    )
    moved = OutboxMessage.objects.get(kind="meeting_moved", recipient=member_user.email)
    for body in (moved.body_text, html.unescape(moved.body_html)):
        assert "Fristen for forslag til dagsordenen" not in body
        assert "februar" not in body.split("Nyt tidspunkt")[1]
        assert (
            "Fristen for forslag til dette møde er udløbet: der kan ikke længere stilles forslag."
            in body
        )


# --- Calling after the proposal deadline ---------------------------------------------------


def test_calling_after_the_proposal_deadline_warns_and_the_invitation_invites_no_proposals(
    forums, member_user, secretariat_client, django_capture_on_commit_callbacks
):
    url = "/sekretariat/moeder/ny/"
    confirmation = page(secretariat_client.post(url, call_post(forums, LATE_DAY)))
    assert (
        "Fristen for forslag (udgangen af fredag 22. januar 2027) er allerede overskredet: "
        "indkaldelsen opfordrer ikke til forslag" in confirmation
    )
    assert not Meeting.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(url, call_post(forums, LATE_DAY, confirm="1"))
    called = OutboxMessage.objects.get(kind="meeting_called", recipient=member_user.email)
    assert "Fristen for forslag til dagsordenen" not in called.body_text
    assert "Fristen for forslag til dette møde er udløbet" in called.body_text
    assert AuditEntry.objects.filter(action="meeting.schedule").count() == 1


def test_calling_in_good_time_gives_no_deadline_warning_and_invites_proposals(
    forums, member_user, secretariat_client, django_capture_on_commit_callbacks
):
    url = "/sekretariat/moeder/ny/"
    response = secretariat_client.post(url, call_post(forums, DAY))
    assert response.context["c"].warnings == []
    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(url, call_post(forums, DAY, confirm="1"))
    called = OutboxMessage.objects.get(kind="meeting_called", recipient=member_user.email)
    assert (
        "Fristen for forslag til dagsordenen er ved udgangen af tirsdag 23. februar 2027"
        in called.body_text
    )


# --- Two meetings of a forum on one day ----------------------------------------------------


def test_a_second_meeting_the_same_day_is_warned_of_but_allowed_and_subjects_carry_the_time(
    forums, member_user, secretariat_client, django_capture_on_commit_callbacks
):
    first = schedule(forums["samarbejdsforum"], day=DAY, hour=9)
    url = "/sekretariat/moeder/ny/"
    confirmation = secretariat_client.post(url, call_post(forums, DAY, hour=14))
    assert "Samarbejdsforum har allerede et møde den dag (09:00). Du kan godt fortsætte" in page(
        confirmation
    )
    assert confirm_subject(confirmation) == "Indkaldelse: Samarbejdsforum 16. marts 2027 kl. 14:00"
    with django_capture_on_commit_callbacks(execute=True):
        done = secretariat_client.post(url, call_post(forums, DAY, hour=14, confirm="1"))
    assert done.status_code == 302
    second = Meeting.objects.exclude(pk=first.pk).get()
    called = OutboxMessage.objects.get(
        kind="meeting_called", recipient=member_user.email, object_id=str(second.pk)
    )
    assert called.subject == "Indkaldelse: Samarbejdsforum 16. marts 2027 kl. 14:00"
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=None, meeting=first, reason="Slået sammen")
    cancelled = OutboxMessage.objects.get(kind="meeting_cancelled", recipient=member_user.email)
    assert cancelled.subject == "Aflyst: Samarbejdsforum 16. marts 2027 kl. 09:00"


def test_a_meeting_alone_on_its_day_has_no_time_in_its_subject_and_no_warning(
    forums, member_user, secretariat_client
):
    schedule(forums["samarbejdsforum"], day=DAY - timedelta(days=1))
    response = secretariat_client.post("/sekretariat/moeder/ny/", call_post(forums, DAY))
    assert response.context["c"].warnings == []
    assert confirm_subject(response) == "Indkaldelse: Samarbejdsforum 16. marts 2027"


def test_moving_onto_a_day_with_another_meeting_is_warned_of(forums, secretariat_client):
    schedule(forums["samarbejdsforum"], day=date(2027, 3, 17), hour=9)
    meeting = schedule(forums["samarbejdsforum"], day=DAY)
    response = secretariat_client.post(
        f"/sekretariat/moeder/{meeting.pk}/flyt/", move_post(date(2027, 3, 17), hour=13)
    )
    assert "Samarbejdsforum har allerede et møde den dag (09:00)." in page(response)
    assert confirm_subject(response) == (
        "Flyttet: Samarbejdsforum fra 16. marts 2027, 14:00 til 17. marts 2027, 13:00"
    )
