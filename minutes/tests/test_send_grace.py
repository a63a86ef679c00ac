"""Sending minutes and a revised draft have the agenda's grace period (issue 13 §2): the
e-mails are held in the outbox until it ends, the comment window opens when it ends (the
deadline engine's send time), and »Fortryd udsendelse« withdraws the version and its
e-mails before any leaves; an undone first version puts the minutes back to draft."""

import html
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from core.errors import DomainError
from core.models import AuditEntry
from meetings.deadlines import TZ, end_of_day
from meetings.tests.factories import schedule
from minutes import services
from minutes.models import Minutes, MinutesVersion
from minutes.selectors import window_open
from minutes.tasks import process_minutes_version
from notifications.models import OutboxMessage
from notifications.services import outbox_deliver

pytestmark = pytest.mark.django_db

MEETING_DAY = date(2027, 3, 10)
NOW = datetime(2027, 3, 15, 23, 58, tzinfo=TZ)  # two minutes before midnight
GRACE_END = NOW + timedelta(minutes=5)  # 16 March, 00:03
PENDING = "Udsendes kl. 00:03 — kan fortrydes indtil da"


@pytest.fixture(autouse=True)
def grace(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.SEND_GRACE_MINUTES = 5


@pytest.fixture
def minutes(forums, member_user, secretariat_user):
    with time_machine.travel(datetime(2027, 1, 5, 9, 0, tzinfo=TZ), tick=False):
        meeting = schedule(forums["samarbejdsforum"], day=MEETING_DAY)
    OutboxMessage.objects.all().delete()  # the call
    with time_machine.travel(NOW, tick=False):
        return services.minutes_start(actor=secretariat_user, meeting=meeting)


def held_mails():
    return OutboxMessage.objects.filter(kind__in=["minutes_sent", "minutes_revised"])


def deliver() -> list[str]:
    return [outbox_deliver(message_id=pk) for pk in held_mails().values_list("pk", flat=True)]


def test_sent_minutes_wait_in_the_grace_period_and_undo_puts_them_back_to_draft(
    minutes, secretariat_user, member_user, django_capture_on_commit_callbacks
):
    client = Client()
    with time_machine.travel(NOW, tick=False):
        client.force_login(secretariat_user)
        with django_capture_on_commit_callbacks(execute=True):
            sent = client.post(
                f"/sekretariat/moeder/{minutes.meeting_id}/referat/send/",
                {"confirm": "1", "confirm_second": "1"},
                follow=True,
            )
        page = html.unescape(sent.content.decode())
        minutes.refresh_from_db()
        # The send time is the end of the grace period: the window runs from 16 March.
        assert minutes.sent_at == GRACE_END
        assert minutes.comments_close_at == end_of_day(date(2027, 3, 30))
        assert not window_open(minutes)  # no comments before anything has gone out
        assert held_mails().get().retry_at == GRACE_END and deliver() == ["skipped"]
        assert f"Referatet: {PENDING}." in page and f"Referatet, version 1: {PENDING}." in page
        assert "sendt til" not in page.split("Versioner")[-1]

        with django_capture_on_commit_callbacks(execute=True):
            undone = client.post(
                f"/sekretariat/moeder/{minutes.meeting_id}/referat/send/fortryd/", follow=True
            )
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.DRAFT and minutes.sent_at is None
    assert minutes.comments_close_at is None
    assert not MinutesVersion.objects.exists() and not held_mails().exists()
    assert (
        AuditEntry.objects.filter(action="minutes.send_undo", actor=secretariat_user).count() == 1
    )
    assert "Udsendelsen er fortrudt: ingen e-mail blev sendt." in html.unescape(
        undone.content.decode()
    )


def test_after_the_grace_period_the_minutes_go_out_and_cannot_be_undone(
    minutes, secretariat_user, member_user, django_capture_on_commit_callbacks
):
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.minutes_send(actor=secretariat_user, minutes=minutes)
    with time_machine.travel(GRACE_END, tick=False):
        assert deliver() == ["sent"]
        minutes.refresh_from_db()
        assert window_open(minutes)
        with pytest.raises(DomainError):
            services.minutes_send_undo(actor=secretariat_user, minutes=minutes)
    assert held_mails().get().recipient == member_user.email
    assert MinutesVersion.objects.count() == 1


def test_an_undone_revision_is_withdrawn_and_the_minutes_stay_sent(
    minutes, secretariat_user, django_capture_on_commit_callbacks, settings
):
    settings.SEND_GRACE_MINUTES = 0
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.minutes_send(actor=secretariat_user, minutes=minutes)
    settings.SEND_GRACE_MINUTES = 5
    later = datetime(2027, 3, 17, 10, 0, tzinfo=TZ)
    with time_machine.travel(later, tick=False):
        minutes.items.update(summary="Rettet.")
        with django_capture_on_commit_callbacks(execute=True):
            revised = services.minutes_revise(
                actor=secretariat_user, minutes=minutes, change_note="Rettet"
            )
        assert held_mails().filter(kind="minutes_revised").get().retry_at == revised.send_after
        minutes.items.update(summary="Rettet igen.")
        with pytest.raises(DomainError):  # a further revision waits for this one
            services.minutes_revise(actor=secretariat_user, minutes=minutes, change_note="Igen")
        services.minutes_send_undo(actor=secretariat_user, minutes=minutes)
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.SENT
    assert list(MinutesVersion.objects.values_list("number", flat=True)) == [1]
    assert not held_mails().filter(kind="minutes_revised").exists()


def test_a_version_withdrawn_before_its_task_ran_sends_nothing(
    minutes, secretariat_user, django_capture_on_commit_callbacks
):
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=False):  # the task has not run yet
            version = services.minutes_send(actor=secretariat_user, minutes=minutes)
        services.minutes_send_undo(actor=secretariat_user, minutes=minutes)
        process_minutes_version(version.pk)
    assert not held_mails().exists()


def test_members_read_the_minutes_only_once_the_grace_period_is_over(
    minutes, secretariat_user, member_user
):
    with time_machine.travel(NOW, tick=False):
        services.minutes_send(actor=secretariat_user, minutes=minutes)
        member = Client()
        member.force_login(member_user)
        assert member.get(f"/moeder/{minutes.meeting_id}/referat/").status_code == 404
        assert not member.get(f"/moeder/{minutes.meeting_id}/medlem/").context["minutes_sent"]
    with time_machine.travel(GRACE_END, tick=False):
        member.force_login(member_user)
        assert member.get(f"/moeder/{minutes.meeting_id}/referat/").status_code == 200
        assert member.get(f"/moeder/{minutes.meeting_id}/medlem/").context["minutes_sent"]


def test_the_timeline_marks_the_minutes_scheduled_during_the_grace_period(
    minutes, secretariat_user
):
    from meetings.selectors import meeting_timeline

    with time_machine.travel(NOW, tick=False):
        services.minutes_send(actor=secretariat_user, minutes=minutes)
        step = next(e for e in meeting_timeline(minutes.meeting) if e.key == "minutes")
        assert (step.state, step.pending) == ("scheduled", GRACE_END)
    with time_machine.travel(GRACE_END, tick=False):
        step = next(e for e in meeting_timeline(minutes.meeting) if e.key == "minutes")
        assert step.state == "done"


def test_the_version_list_shows_when_the_minutes_went_out_not_the_click(
    minutes, secretariat_user, django_capture_on_commit_callbacks
):
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.minutes_send(actor=secretariat_user, minutes=minutes)
    client = Client()
    with time_machine.travel(GRACE_END + timedelta(minutes=1), tick=False):
        client.force_login(secretariat_user)
        page = html.unescape(
            client.get(f"/sekretariat/moeder/{minutes.meeting_id}/referat/").content.decode()
        )
    listed = page.split("Version 1</a>")[1].split("</li>")[0]
    assert "2027 00:03" in listed  # 16 March, when it went out
    assert "23:58" not in listed  # not the click, 15 March
