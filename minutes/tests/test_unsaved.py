"""Nothing typed in the minutes editor is lost (issue 13 §1): every button of the editor
carries the unsaved text with it and saves it before it acts, or refuses with the text kept
when it cannot be saved; autosave keeps the draft without versions and respects the
optimistic lock; a conflict offers keeping the saved version as the safe default."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from core.models import AuditEntry
from forums.models import Organisation
from forums.tests.factories import UserFactory
from meetings.models import Meeting
from meetings.tests.factories import at, schedule
from minutes import services
from minutes.models import FollowUpAction, Minutes, MinutesVersion

pytestmark = pytest.mark.django_db

MEETING_DAY = date(2027, 3, 10)
STARTS = at(MEETING_DAY, 14)
WRITING = STARTS + timedelta(days=1)


def travel(moment: datetime):
    return time_machine.travel(moment, tick=False)


def danish(msgid: str) -> str:
    with translation.override("da"):
        return gettext(msgid)


@pytest.fixture
def media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def meeting(forums, media) -> Meeting:
    with travel(at(MEETING_DAY - timedelta(days=60), 9)):
        return schedule(forums["samarbejdsforum"], day=MEETING_DAY)


@pytest.fixture
def minutes(meeting, secretariat_user) -> Minutes:
    with travel(WRITING):
        return services.minutes_start(actor=secretariat_user, meeting=meeting)


@pytest.fixture
def clerk(client, secretariat_user):
    with travel(WRITING):  # the session must not have expired at the time of the posts
        client.force_login(secretariat_user)
    return client


def url(meeting: Meeting, tail: str = "") -> str:
    return f"/sekretariat/moeder/{meeting.pk}/referat/{tail}"


def typed(
    minutes: Minutes,
    *,
    lock_version: int = 0,
    summary: str,
    decision: str = "Godkendt.",
    intro: str = "",
) -> dict:
    """What the editor form posts: the text as typed in the browser, not yet saved."""
    item = minutes.items.get()
    return {
        "lock_version": lock_version,
        "introduction": intro,
        f"summary_{item.pk}": summary,
        f"decision_{item.pk}": decision,
    }


def someone_else_saves(minutes: Minutes, summary: str = "Den andens tekst.") -> None:
    other = UserFactory(email="sekretaer2@example.org", secretariat=True)
    services.minutes_save(
        actor=other,
        minutes=minutes,
        lock_version=0,
        introduction="",
        items={minutes.items.get().pk: {"summary": summary, "decision": ""}},
    )


# --- Buttons carry the text ------------------------------------------------------------------


def test_sending_saves_the_unsaved_text_first_so_the_members_get_what_was_typed(
    meeting, minutes, clerk, secretariat_user
):
    with travel(WRITING):
        # The editor's button carries the text to the confirmation page, which saves it;
        # its own button (confirm=1) then sends.
        response = clerk.post(url(meeting, "send/"), typed(minutes, summary="Drøftet."))
        assert response.status_code == 200 and "confirm" in response.content.decode()
        minutes.refresh_from_db()
        response = clerk.post(
            url(meeting, "send/"), {**typed(minutes, summary="Drøftet."), "confirm": "1"}
        )
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.SENT
    item = minutes.items.get()
    assert (item.summary, item.decision) == ("Drøftet.", "Godkendt.")
    snapshot = MinutesVersion.objects.get(minutes=minutes).snapshot
    assert "Drøftet." in str(snapshot) and "Godkendt." in str(snapshot)
    actions = list(
        AuditEntry.objects.filter(action__startswith="minutes.")
        .order_by("created_at", "id")
        .values_list("action", flat=True)
    )
    assert actions == ["minutes.start", "minutes.save", "minutes.send"]


def test_a_send_whose_text_cannot_be_saved_is_refused_and_the_text_is_kept(meeting, minutes, clerk):
    with travel(WRITING):
        someone_else_saves(minutes)
        response = clerk.post(url(meeting, "send/"), typed(minutes, summary="Min tekst."))
    assert response.status_code == 409
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.DRAFT
    assert not MinutesVersion.objects.exists()
    assert not AuditEntry.objects.filter(action="minutes.send").exists()
    assert minutes.items.get().summary == "Den andens tekst."
    html = response.content.decode()
    assert escape(danish("Nothing was sent: your text of the minutes is not saved yet.")) in html
    assert "Min tekst.</textarea>" in html


def test_sending_unchanged_text_needs_no_save_and_meets_no_conflict(meeting, minutes, clerk):
    with travel(WRITING):
        someone_else_saves(minutes, summary="Drøftet.")
        # The page was loaded before; its text equals what the other person saved.
        post = typed(minutes, summary="Drøftet.", decision="")
        response = clerk.post(url(meeting, "send/"), {**post, "confirm": "1"})
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.SENT
    assert AuditEntry.objects.filter(action="minutes.save").count() == 1


def test_a_revised_draft_carries_the_unsaved_text_into_the_new_version(
    meeting, minutes, clerk, secretariat_user
):
    with travel(WRITING):
        services.minutes_send(actor=secretariat_user, minutes=minutes)
        minutes.refresh_from_db()
        post = typed(minutes, lock_version=minutes.lock_version, summary="Rettet tekst.")
        response = clerk.post(
            url(meeting, "revider/"), {**post, "change_note": "Punkt 1 rettet.", "confirm": "1"}
        )
    assert response.status_code == 302
    latest = MinutesVersion.objects.get(minutes=minutes, number=2)
    assert "Rettet tekst." in str(latest.snapshot)
    assert latest.change_note == "Punkt 1 rettet."


def test_adding_a_follow_up_action_saves_the_unsaved_text_first(meeting, minutes, clerk):
    item = minutes.items.get()
    tmf = Organisation.objects.get(short_name="TMF")
    with travel(WRITING):
        response = clerk.post(
            f"/sekretariat/referat/punkter/{item.pk}/handling/",
            {
                **typed(minutes, summary="Skrevet før handlingen."),
                f"action{item.pk}-what": "Udarbejd notat",
                f"action{item.pk}-responsible": tmf.pk,
            },
        )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.summary == "Skrevet før handlingen."
    assert FollowUpAction.objects.get(item=item).what == "Udarbejd notat"
    assert AuditEntry.objects.filter(action="minutes.save").count() == 1
    assert AuditEntry.objects.filter(action="action.add").count() == 1


def test_an_invalid_follow_up_action_keeps_both_the_text_and_what_was_typed(
    meeting, minutes, clerk
):
    item = minutes.items.get()
    with travel(WRITING):
        response = clerk.post(
            f"/sekretariat/referat/punkter/{item.pk}/handling/",
            {**typed(minutes, summary="Skrevet."), f"action{item.pk}-what": "Uden ansvarlig"},
        )
    assert response.status_code == 400
    assert not FollowUpAction.objects.exists()
    item.refresh_from_db()
    assert item.summary == "Skrevet."  # the text was saved first
    html = response.content.decode()
    assert "Skrevet.</textarea>" in html
    assert "Uden ansvarlig</textarea>" in html
    assert f'id="add-action-{item.pk}" open' in html


def test_removing_a_follow_up_action_saves_the_unsaved_text_first(
    meeting, minutes, clerk, secretariat_user
):
    item = minutes.items.get()
    with travel(WRITING):
        action = services.action_add(
            actor=secretariat_user,
            item=item,
            what="Notat",
            responsible=Organisation.objects.get(short_name="TMF"),
        )
        response = clerk.post(
            f"/sekretariat/handlinger/{action.pk}/slet/", typed(minutes, summary="Gemt.")
        )
    assert response.status_code == 302
    assert not FollowUpAction.objects.exists()
    assert minutes.items.get().summary == "Gemt."


# --- Autosave --------------------------------------------------------------------------------


def test_autosave_saves_changed_text_without_a_version_and_returns_the_new_lock(
    meeting, minutes, clerk
):
    with travel(WRITING):
        response = clerk.post(url(meeting, "autogem/"), typed(minutes, summary="Kladde."))
    assert response.status_code == 200
    assert response.json()["saved"] is True and response.json()["lock_version"] == 1
    minutes.refresh_from_db()
    assert minutes.lock_version == 1 and minutes.status == Minutes.Status.DRAFT
    assert minutes.items.get().summary == "Kladde."
    assert not MinutesVersion.objects.exists()
    assert AuditEntry.objects.filter(action="minutes.save").count() == 1


def test_autosave_of_unchanged_text_writes_nothing(meeting, minutes, clerk):
    with travel(WRITING):
        response = clerk.post(url(meeting, "autogem/"), typed(minutes, summary="", decision=""))
    assert response.status_code == 200 and response.json()["saved"] is False
    minutes.refresh_from_db()
    assert minutes.lock_version == 0
    assert not AuditEntry.objects.filter(action="minutes.save").exists()


def test_autosave_reports_a_conflict_and_overwrites_nothing(meeting, minutes, clerk):
    with travel(WRITING):
        someone_else_saves(minutes)
        response = clerk.post(url(meeting, "autogem/"), typed(minutes, summary="Min kladde."))
    assert response.status_code == 409 and response.json()["conflict"] is True
    assert minutes.items.get().summary == "Den andens tekst."
    assert AuditEntry.objects.filter(action="minutes.save").count() == 1


def test_autosave_is_for_the_secretariat_only(meeting, minutes, client, member_user):
    with travel(WRITING):
        client.force_login(member_user)
        response = client.post(url(meeting, "autogem/"), typed(minutes, summary="X"))
    assert response.status_code == 403
    assert minutes.items.get().summary == ""


# --- Conflict --------------------------------------------------------------------------------


def test_a_conflict_offers_keeping_the_saved_version_first_and_taking_over_second(
    meeting, minutes, clerk
):
    with travel(WRITING):
        someone_else_saves(minutes)
        response = clerk.post(url(meeting), typed(minutes, summary="Min tekst."))
    html = response.content.decode()
    keep = html.index('id="conflict-keep"')
    take_over = html.index('id="conflict-take-over"')
    assert keep < take_over
    assert f'href="{url(meeting)}"' in html[keep - 200 : keep + 200]
    assert 'class="btn btn-primary" id="conflict-keep"' in html
    assert escape(danish("Keep the saved version")) in html
    assert escape(danish("Replace it with my text")) in html
    assert "Min tekst.</textarea>" in html
    assert minutes.items.get().summary == "Den andens tekst."
