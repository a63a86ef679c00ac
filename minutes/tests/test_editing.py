"""Writing the minutes: they can be started once the meeting has begun; two editors cannot
overwrite each other unknowingly (optimistic locking); follow-up actions are added per
item and travel with the frozen versions; the secretariat is reminded 2 working days
before the minutes are due (D + 7) and alerted once when they are overdue."""

import re
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from core.models import AuditEntry
from core.sweep import sweep_run
from forums.models import Organisation
from forums.tests.factories import UserFactory
from meetings import services as services_meetings
from meetings.deadlines import TZ
from meetings.models import Meeting
from meetings.pdf import html_to_pdf
from meetings.tests.factories import at, schedule
from minutes import pdf as minutes_pdf
from minutes import services
from minutes.models import FollowUpAction, Minutes, MinutesItem
from notifications.models import OutboxMessage
from tests.pdf_clients import text_by_pypdf

pytestmark = pytest.mark.django_db

MEETING_DAY = date(2027, 3, 10)  # a Wednesday; the minutes are due at the end of 17 March
STARTS = at(MEETING_DAY, 14)


def travel(moment: datetime):
    return time_machine.travel(moment, tick=False)


def end_of(day: date) -> datetime:
    return datetime.combine(day, time.max, tzinfo=TZ)


def danish(msgid: str) -> str:
    with translation.override("da"):
        return gettext(msgid)


def outbox(kind: str) -> list[str]:
    return sorted(OutboxMessage.objects.filter(kind=kind).values_list("recipient", flat=True))


@pytest.fixture
def media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def meeting(forums, media) -> Meeting:
    with travel(at(MEETING_DAY - timedelta(days=60), 9)):
        return schedule(forums["samarbejdsforum"], day=MEETING_DAY)


@pytest.fixture
def second_secretary(secretariat_user):
    return UserFactory(email="sekretaer2@example.org", full_name="Søren Sekretær", secretariat=True)


def editor_url(meeting: Meeting) -> str:
    return f"/sekretariat/moeder/{meeting.pk}/referat/"


# --- Starting ------------------------------------------------------------------------------------


def test_the_skeleton_can_be_prepared_before_the_meeting_but_sending_waits_for_it(
    meeting, secretariat_user, client
):
    with travel(STARTS - timedelta(days=1)):
        client.force_login(secretariat_user)
        for _ in range(2):  # a double click starts them once
            assert client.post(f"{editor_url(meeting)}start/").status_code == 302
        editor = client.get(editor_url(meeting)).content.decode()
        early = client.post(f"{editor_url(meeting)}send/", follow=True)
        with pytest.raises(services.DomainError):
            services.minutes_send(actor=secretariat_user, minutes=Minutes.objects.get())
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.status == Minutes.Status.DRAFT and minutes.lock_version == 0
    assert list(minutes.items.values_list("position", "title")) == [(1, "Eventuelt")]
    assert minutes.items.get().agenda_item == meeting.items.get()
    assert AuditEntry.objects.filter(action="minutes.start").count() == 1
    assert f'action="{editor_url(meeting)}send/"' not in editor
    assert [str(m) for m in early.context["messages"]] == [
        danish("The minutes can be sent once the meeting has started.")
    ]
    assert minutes.sent_at is None and not minutes.versions.exists()
    assert not AuditEntry.objects.filter(action="minutes.send").exists()

    with travel(STARTS):
        client.force_login(secretariat_user)
        assert f'action="{editor_url(meeting)}send/"' in (
            client.get(editor_url(meeting)).content.decode()
        )
        services.minutes_send(actor=secretariat_user, minutes=minutes)
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.SENT and minutes.sent_at == STARTS


def test_a_cancelled_meeting_has_no_minutes(meeting, secretariat_user):
    services_meetings.meeting_cancel(actor=secretariat_user, meeting=meeting, reason="Aflyst")
    meeting.refresh_from_db()
    with travel(STARTS), pytest.raises(services.DomainError):
        services.minutes_start(actor=secretariat_user, meeting=meeting)
    assert not Minutes.objects.exists()


def test_the_editor_shows_each_items_proposed_decision_from_the_sent_agenda(
    meeting, secretariat_user, client
):
    item = meeting.items.get()
    item.recommendation = "Det indstilles, at forummet tager orienteringen til efterretning."
    item.save()
    with travel(STARTS - timedelta(days=20)):
        services_meetings.agenda_send(actor=secretariat_user, meeting=meeting)
    item.recommendation = "Ændret efter udsendelsen"  # not what the members read
    item.save()
    with travel(STARTS + timedelta(hours=3)):
        minutes = services.minutes_start(actor=secretariat_user, meeting=meeting)
        client.force_login(secretariat_user)
        html = client.get(editor_url(meeting)).content.decode()
    fieldset = html[html.index(f'id="item-{minutes.items.get().pk}"') :]
    fieldset = fieldset[: fieldset.index("</fieldset>")]
    assert danish("Recommendation") in fieldset
    assert "Det indstilles, at forummet tager orienteringen til efterretning." in fieldset
    assert "Ændret efter udsendelsen" not in html


# --- Optimistic locking ------------------------------------------------------------------------------


def _loaded_lock_version(html: str) -> int:
    return int(re.search(r'name="lock_version" value="(\d+)"', html).group(1))


def test_a_stale_save_gets_a_conflict_with_the_diff_and_loses_nothing(
    meeting, secretariat_user, second_secretary, client
):
    with travel(STARTS + timedelta(days=1)):
        minutes = services.minutes_start(actor=secretariat_user, meeting=meeting)
        item = minutes.items.get()
        first, second = client, client.__class__()
        first.force_login(secretariat_user)
        second.force_login(second_secretary)
        loaded = [
            _loaded_lock_version(c.get(editor_url(meeting)).content.decode())
            for c in (first, second)
        ]
        assert loaded == [0, 0]

        saved = first.post(
            editor_url(meeting),
            {
                "lock_version": 0,
                "introduction": "Mødet blev holdt på rådhuset.",
                f"summary_{item.pk}": "Drøftet og vedtaget.",
                f"decision_{item.pk}": "Godkendt.",
            },
        )
        conflict = second.post(
            editor_url(meeting),
            {
                "lock_version": 0,
                "introduction": "",
                f"summary_{item.pk}": "Drøftet med forbehold.",
                f"decision_{item.pk}": "Godkendt.",
            },
        )
    assert saved.status_code == 302
    assert conflict.status_code == 200
    # Nothing the first editor saved is lost.
    minutes.refresh_from_db()
    item.refresh_from_db()
    assert minutes.lock_version == 1
    assert minutes.introduction == "Mødet blev holdt på rådhuset."
    assert (item.summary, item.decision) == ("Drøftet og vedtaget.", "Godkendt.")
    assert AuditEntry.objects.filter(action="minutes.save").count() == 1
    assert AuditEntry.objects.get(action="minutes.save").actor == secretariat_user
    # The second editor sees why, what changed, and still has their own text.
    html = conflict.content.decode()
    message = (
        "Someone else saved the minutes while you were editing. Your text is "
        "kept below; compare it with the saved version and save again."
    )
    assert escape(danish(message)) in html
    assert "<del>og</del>" in html and "<ins>med</ins>" in html
    assert "<del>vedtaget.</del>" in html and "<ins>forbehold.</ins>" in html
    assert "<del>Mødet blev holdt på rådhuset.</del>" in html
    assert "Drøftet med forbehold.</textarea>" in html
    assert _loaded_lock_version(html) == 1

    # Saving again, now knowing what was there, succeeds.
    with travel(STARTS + timedelta(days=1, minutes=5)):
        second.force_login(second_secretary)
        again = second.post(
            editor_url(meeting),
            {
                "lock_version": 1,
                "introduction": "Mødet blev holdt på rådhuset.",
                f"summary_{item.pk}": "Drøftet med forbehold.",
                f"decision_{item.pk}": "Godkendt.",
            },
        )
    assert again.status_code == 302
    minutes.refresh_from_db()
    assert minutes.lock_version == 2 and minutes.updated_by == second_secretary
    assert MinutesItem.objects.get(pk=item.pk).summary == "Drøftet med forbehold."
    assert AuditEntry.objects.filter(action="minutes.save").count() == 2


def test_the_minutes_save_service_refuses_a_stale_lock_version(meeting, secretariat_user):
    with travel(STARTS + timedelta(hours=1)):
        minutes = services.minutes_start(actor=secretariat_user, meeting=meeting)
        item = minutes.items.get()
        services.minutes_save(
            actor=secretariat_user,
            minutes=minutes,
            lock_version=0,
            introduction="Først.",
            items={item.pk: {"summary": "Først.", "decision": ""}},
        )
        with pytest.raises(services.MinutesConflict) as refused:
            services.minutes_save(
                actor=secretariat_user,
                minutes=minutes,
                lock_version=0,
                introduction="Sidst.",
                items={item.pk: {"summary": "Sidst.", "decision": ""}},
            )
    assert refused.value.current.lock_version == 1
    assert refused.value.current.introduction == "Først."
    assert MinutesItem.objects.get(pk=item.pk).summary == "Først."


# --- Follow-up actions ----------------------------------------------------------------------------


@pytest.fixture
def pdf_sources(monkeypatch) -> dict[bytes, str]:
    """The HTML each minutes PDF was rendered from, keyed by the PDF's bytes."""
    sources: dict[bytes, str] = {}

    def render(html: str) -> bytes:
        pdf = html_to_pdf(html)
        sources[pdf] = html
        return pdf

    monkeypatch.setattr(minutes_pdf, "html_to_pdf", render)
    return sources


def pdf_text(data: bytes, sources: dict[bytes, str]) -> str:
    """What the PDF itself says, read by pypdf (not the HTML it came from, and not
    depending on which tools this machine has); `data` must be a PDF this test rendered."""
    assert data.startswith(b"%PDF-") and data in sources
    return " ".join(text_by_pypdf(data).split())


def test_follow_up_actions_added_per_item_appear_in_the_snapshot_and_the_pdf(
    meeting, secretariat_user, member_user, client, pdf_sources, django_capture_on_commit_callbacks
):
    bif = Organisation.objects.get(short_name="BIF")
    with travel(STARTS + timedelta(hours=3)):
        minutes = services.minutes_start(actor=secretariat_user, meeting=meeting)
        item = minutes.items.get()
        client.force_login(secretariat_user)
        editor = client.get(editor_url(meeting)).content.decode()
        response = client.post(
            f"/sekretariat/referat/punkter/{item.pk}/handling/",
            {
                "what": "Udarbejde notat om fleksibel udlejning",
                "responsible": bif.pk,
                "due_on": "2027-06-30",
            },
        )
        after = client.get(editor_url(meeting)).content.decode()
    assert f'action="/sekretariat/referat/punkter/{item.pk}/handling/"' in editor
    assert response.status_code == 302
    action = FollowUpAction.objects.get()
    assert (action.item, action.responsible, action.due_on) == (item, bif, date(2027, 6, 30))
    assert action.status == FollowUpAction.Status.OPEN and action.updated_by == secretariat_user
    assert AuditEntry.objects.get(action="action.add").object_id == str(action.pk)
    assert "Udarbejde notat om fleksibel udlejning" in after

    with travel(STARTS + timedelta(days=2)), django_capture_on_commit_callbacks(execute=True):
        version = services.minutes_send(actor=secretariat_user, minutes=minutes)
    version.refresh_from_db()
    assert version.items[0]["actions"] == [
        {
            "what": "Udarbejde notat om fleksibel udlejning",
            "responsible": "Beskæftigelses- og Integrationsforvaltningen",
            "due_on": "2027-06-30",
            "due_label": "30. juni 2027",
        }
    ]
    with version.pdf.open("rb") as handle:
        text = pdf_text(handle.read(), pdf_sources)
    assert (
        "Udarbejde notat om fleksibel udlejning – Beskæftigelses- og Integrationsforvaltningen"
        in text
    )
    assert "30. juni 2027" in text
    with travel(STARTS + timedelta(days=2, hours=1)):
        client.force_login(member_user)
        member_page = client.get(f"/moeder/{meeting.pk}/referat/").content.decode()
    assert "Udarbejde notat om fleksibel udlejning" in member_page


# --- The minutes deadline -------------------------------------------------------------------------
# A meeting on Monday 22 March 2027: the minutes are due at the end of Monday 29 March,
# Easter Monday. The two working days before it are Wednesday 24 and Tuesday 23 March
# (Maundy Thursday and Good Friday are holidays), so the reminder comes from the start of
# Tuesday 23 March — the day after the meeting.

EASTER_MEETING = date(2027, 3, 22)
EASTER_DUE = end_of(date(2027, 3, 29))
REMIND = "minutes.services.remind_minutes_due"
OVERDUE = "minutes.services.alert_minutes_overdue"


@pytest.fixture
def easter_meeting(forums, media) -> Meeting:
    with travel(at(EASTER_MEETING - timedelta(days=60), 9)):
        return schedule(forums["samarbejdsforum"], day=EASTER_MEETING)


def sweep(moment: datetime, capture, times: int = 1) -> list[dict]:
    with travel(moment), capture(execute=True):
        reports = [sweep_run(now=moment) for _ in range(times)]
    for report in reports:
        assert "error" not in report[REMIND] and "error" not in report[OVERDUE]
    return reports


def test_the_secretariat_is_reminded_two_working_days_before_the_minutes_are_due_and_alerted_once_when_overdue(  # noqa: E501
    easter_meeting, secretariat_user, second_secretary, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    secretaries = sorted([secretariat_user.email, second_secretary.email])
    assert easter_meeting.minutes_due_at == EASTER_DUE

    sweep(at(EASTER_MEETING, 20), capture)  # the evening of the meeting: not yet
    assert outbox("minutes_due_reminder") == []
    easter_meeting.refresh_from_db()
    assert easter_meeting.status == Meeting.Status.HELD
    with travel(at(EASTER_MEETING, 21)):  # a draft is not sent: still reminded
        services.minutes_start(actor=secretariat_user, meeting=easter_meeting)

    reports = sweep(datetime(2027, 3, 23, 0, 0, tzinfo=TZ), capture, times=2)
    assert [r[REMIND] for r in reports] == [{"meetings": 1}, {"meetings": 0}]
    assert outbox("minutes_due_reminder") == secretaries
    reminder = OutboxMessage.objects.filter(kind="minutes_due_reminder").first()
    assert "mandag 29. marts 2027" in reminder.body_text

    sweep(EASTER_DUE, capture)  # the last instant of the deadline: not overdue yet
    assert outbox("minutes_overdue") == []
    reports = sweep(datetime(2027, 3, 30, 7, 0, tzinfo=TZ), capture, times=2)
    assert [r[OVERDUE] for r in reports] == [{"meetings": 1}, {"meetings": 0}]
    assert outbox("minutes_overdue") == secretaries
    assert outbox("minutes_due_reminder") == secretaries
    easter_meeting.refresh_from_db()
    assert easter_meeting.minutes_reminder_sent_for == EASTER_DUE
    assert easter_meeting.minutes_alert_sent_for == EASTER_DUE


def test_after_a_week_of_downtime_the_overdue_alert_still_comes_once(
    easter_meeting, secretariat_user, django_capture_on_commit_callbacks
):
    reports = sweep(datetime(2027, 4, 6, 9, 0, tzinfo=TZ), django_capture_on_commit_callbacks, 2)
    assert [r[OVERDUE] for r in reports] == [{"meetings": 1}, {"meetings": 0}]
    assert outbox("minutes_overdue") == [secretariat_user.email]
    assert outbox("minutes_due_reminder") == []  # too late to remind of a passed deadline


def test_no_reminder_or_alert_once_the_minutes_are_sent(
    easter_meeting, secretariat_user, django_capture_on_commit_callbacks
):
    with travel(at(EASTER_MEETING, 18)), django_capture_on_commit_callbacks(execute=True):
        minutes = services.minutes_start(actor=secretariat_user, meeting=easter_meeting)
        services.minutes_send(actor=secretariat_user, minutes=minutes)
    for moment in (
        datetime(2027, 3, 23, 9, 0, tzinfo=TZ),
        datetime(2027, 3, 30, 7, 0, tzinfo=TZ),
    ):
        sweep(moment, django_capture_on_commit_callbacks)
    assert outbox("minutes_due_reminder") == outbox("minutes_overdue") == []
    easter_meeting.refresh_from_db()
    assert easter_meeting.minutes_reminder_sent_for is None
    assert easter_meeting.minutes_alert_sent_for is None


def test_the_minutes_of_an_archive_entry_name_no_deadline_they_do_not_have(
    forums, media, secretariat_user, client
):
    start = at(date(2010, 9, 1), 14)
    archive = services_meetings.meeting_schedule(
        actor=secretariat_user,
        forum=forums["partnerskabsforum"],
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        is_archive=True,
    )
    client.force_login(secretariat_user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "da"
    start_page = client.get(editor_url(archive)).content.decode()
    assert client.post(f"{editor_url(archive)}start/").status_code == 302
    editor = client.get(editor_url(archive)).content.decode()
    for html in (start_page, editor):
        assert "udsendes senest" not in html
    assert Minutes.objects.get(meeting=archive).status == Minutes.Status.DRAFT


def test_the_minutes_of_a_planned_meeting_name_their_deadline(meeting, secretariat_user, client):
    with travel(STARTS):
        client.force_login(secretariat_user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "da"
        start_page = client.get(editor_url(meeting)).content.decode()
        client.post(f"{editor_url(meeting)}start/")
        editor = client.get(editor_url(meeting)).content.decode()
    assert "senest onsdag 17. marts 2027" in start_page
    assert "senest onsdag 17. marts 2027" in editor
