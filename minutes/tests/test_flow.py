"""Minutes are sent, commented on for two weeks, and approved automatically exactly once."""

from datetime import date, datetime, time

import pytest
import time_machine
from django.core.management import call_command

from core.models import AuditEntry
from meetings.deadlines import TZ
from meetings.tests.factories import schedule
from minutes import services
from minutes.models import ApprovedMinutesError, Comment, Minutes, MinutesVersion
from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

MEETING_DAY = date(2027, 3, 10)
SENT = datetime(
    2027, 3, 15, 10, 0, tzinfo=TZ
)  # S = 15 March; the window closes at the end of 29 March


@pytest.fixture
def sent_minutes(
    forums, secretariat_user, member_user, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    with time_machine.travel(datetime(2027, 1, 5, 9, 0, tzinfo=TZ), tick=False):
        meeting = schedule(forums["samarbejdsforum"], day=MEETING_DAY)
    with time_machine.travel(SENT, tick=False), django_capture_on_commit_callbacks(execute=True):
        minutes = services.minutes_start(actor=secretariat_user, meeting=meeting)
        item = minutes.items.get()
        services.minutes_save(
            actor=secretariat_user,
            minutes=minutes,
            lock_version=0,
            introduction="",
            items={item.pk: {"summary": "Drøftet.", "decision": "Taget til efterretning."}},
        )
        services.minutes_send(actor=secretariat_user, minutes=minutes)
    minutes.refresh_from_db()
    return minutes


def test_sending_opens_a_window_that_closes_at_the_end_of_day_s_plus_14(sent_minutes, member_user):
    assert sent_minutes.status == Minutes.Status.SENT
    assert sent_minutes.comments_close_at == datetime.combine(
        date(2027, 3, 29), time.max, tzinfo=TZ
    )
    version = sent_minutes.versions.get()
    assert version.number == 1 and version.pdf.name
    sent = OutboxMessage.objects.get(kind="minutes_sent", recipient=member_user.email)
    assert sent.attachments.get().filename == "referat-udkast-v1.pdf"


def test_a_comment_at_2359_on_the_last_day_is_accepted_and_at_midnight_refused(
    sent_minutes, member_user, client
):
    url = f"/moeder/{sent_minutes.meeting_id}/referat/kommentar/"
    with time_machine.travel(datetime(2027, 3, 29, 23, 59, tzinfo=TZ), tick=False):
        client.force_login(member_user)  # sessions expire: sign in at the moment travelled to
        assert client.post(url, {"body": "Punkt 1 bør præciseres.", "item": ""}).status_code == 302
    with time_machine.travel(datetime(2027, 3, 30, 0, 0, tzinfo=TZ), tick=False):
        client.post(url, {"body": "For sent.", "item": ""})
        page = client.get(f"/moeder/{sent_minutes.meeting_id}/referat/").content.decode()
    assert list(Comment.objects.values_list("body", flat=True)) == ["Punkt 1 bør præciseres."]
    assert "29." in page


def test_the_sweep_after_the_window_approves_once_dated_at_the_end_of_the_window(
    sent_minutes, member_user, django_capture_on_commit_callbacks
):
    late = datetime(2027, 4, 8, 9, 0, tzinfo=TZ)  # ten days of downtime
    with time_machine.travel(late, tick=False), django_capture_on_commit_callbacks(execute=True):
        call_command("run_deadlines", "--now", late.isoformat())
        call_command("run_deadlines", "--now", late.isoformat())
    sent_minutes.refresh_from_db()
    assert sent_minutes.status == Minutes.Status.APPROVED
    assert sent_minutes.approved_at == sent_minutes.comments_close_at
    final = MinutesVersion.objects.get(minutes=sent_minutes, is_final=True)
    assert final.pdf.name
    assert OutboxMessage.objects.filter(kind="minutes_approved").count() == 1
    assert "29. marts 2027" in OutboxMessage.objects.get(kind="minutes_approved").body_text
    assert AuditEntry.objects.filter(action="minutes.approve").count() == 1


def test_approved_minutes_cannot_change_through_the_orm(
    sent_minutes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_due(now=datetime(2027, 3, 30, 0, 1, tzinfo=TZ))
    sent_minutes.refresh_from_db()
    sent_minutes.introduction = "Ændret"
    with pytest.raises(ApprovedMinutesError):
        sent_minutes.save()
    item = sent_minutes.items.get()
    item.summary = "Ændret"
    with pytest.raises(ApprovedMinutesError):
        item.save()
    assert sent_minutes.items.get().summary == "Drøftet."
