"""Calling, moving and cancelling a meeting have the agenda's grace period (issue 13 §2):
the e-mails wait settings.SEND_GRACE_MINUTES in the outbox, held, and »Fortryd
udsendelse« withdraws them before any leaves and reverts the change (an undone call
removes the meeting). After the grace period they go out — by their task or, if it was
lost, by the sweep — and the change can no longer be undone."""

import html
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from core.errors import DomainError
from core.models import AuditEntry
from meetings import services
from meetings.deadlines import TZ
from meetings.models import Meeting, Proposal
from meetings.tests.factories import at, schedule
from notifications.models import OutboxMessage
from notifications.services import outbox_deliver, outbox_sweep, outbox_withdraw

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 2, 1, 10, 0, tzinfo=TZ)
GRACE_END = NOW + timedelta(minutes=5)
DAY = date(2027, 3, 16)
PENDING = "Udsendes kl. 10:05 — kan fortrydes indtil da"


@pytest.fixture(autouse=True)
def february_2027(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def meeting(forums, member_user):
    meeting = schedule(forums["samarbejdsforum"], day=DAY)  # the test settings' grace is 0
    OutboxMessage.objects.update(status=OutboxMessage.Status.SENT)  # the call went out
    return meeting


@pytest.fixture
def grace(settings):
    settings.SEND_GRACE_MINUTES = 5


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def mails(kind: str):
    return OutboxMessage.objects.filter(kind=kind)


def deliver_all() -> list[str]:
    """Try every row still queued, as the outbox task would."""
    queued = OutboxMessage.objects.filter(status=OutboxMessage.Status.QUEUED)
    return [outbox_deliver(message_id=pk) for pk in queued.values_list("pk", flat=True)]


def move_post(**extra) -> dict:
    return {"day": "2027-03-17", "starts": "10:00", "ends": "12:00", "place": "Rådhuset", **extra}


def test_a_move_waits_in_its_grace_period_and_undo_withdraws_the_mails_and_restores_it(
    meeting, grace, secretariat_user, django_capture_on_commit_callbacks
):
    before = Meeting.objects.get(pk=meeting.pk)
    client = login(secretariat_user)
    with django_capture_on_commit_callbacks(execute=True):
        moved = client.post(
            f"/sekretariat/moeder/{meeting.pk}/flyt/", move_post(confirm="1"), follow=True
        )
    flash = [str(m) for m in moved.context["messages"]]
    assert flash[0].startswith(
        f"Mødet er flyttet, og fristerne er beregnet igen. E-mailene: {PENDING}."
    )
    held = mails("meeting_moved").get()
    assert held.status == OutboxMessage.Status.QUEUED and held.retry_at == GRACE_END
    assert (
        deliver_all() == ["skipped"] and not mails("meeting_moved").filter(status="sent").exists()
    )
    page = html.unescape(moved.content.decode())
    assert f"Flytningen: {PENDING}." in page
    assert f"Planlagt; e-mails: {PENDING}" in page

    with django_capture_on_commit_callbacks(execute=True):
        undone = client.post(f"/sekretariat/moeder/{meeting.pk}/udsendelse/fortryd/", follow=True)

    meeting.refresh_from_db()
    assert not mails("meeting_moved").exists()
    assert (meeting.starts_at, meeting.ends_at, meeting.place) == (
        before.starts_at,
        before.ends_at,
        before.place,
    )
    assert meeting.proposals_close_at == before.proposals_close_at
    assert meeting.agenda_due_at == before.agenda_due_at
    assert meeting.sequence == before.sequence and not meeting.mail_pending_kind
    assert (
        AuditEntry.objects.filter(action="meeting.mail_undo", actor=secretariat_user).count() == 1
    )
    assert "Fortrudt: ingen e-mail blev sendt, og mødet er som før." in html.unescape(
        undone.content.decode()
    )


def test_after_the_grace_period_the_move_goes_out_and_cannot_be_undone(
    meeting, grace, secretariat_user, member_user, february_2027
):
    services.meeting_move(
        actor=secretariat_user,
        meeting=meeting,
        starts_at=at(date(2027, 3, 17), 10),
        ends_at=at(date(2027, 3, 17), 12),
        place="Rådhuset",
    )
    february_2027.move_to(GRACE_END)
    assert deliver_all() == ["sent"]
    with pytest.raises(DomainError):
        services.meeting_mail_undo(actor=secretariat_user, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.starts_at == at(date(2027, 3, 17), 10)
    assert mails("meeting_moved").get().recipient == member_user.email


def test_the_sweep_sends_held_mails_whose_task_was_lost_once_the_grace_period_ends(
    meeting, grace, secretariat_user, django_capture_on_commit_callbacks, february_2027
):
    with django_capture_on_commit_callbacks(execute=False):  # the broker lost the task
        services.meeting_cancel(actor=secretariat_user, meeting=meeting, reason="Valg")
    assert outbox_sweep(now=NOW + timedelta(minutes=4))["requeued"] == 0
    february_2027.move_to(GRACE_END + timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_sweep(now=GRACE_END + timedelta(minutes=1))["requeued"] == 1
    assert mails("meeting_cancelled").get().status == OutboxMessage.Status.SENT


def test_an_undone_cancellation_makes_the_meeting_planned_again_without_any_mail(
    meeting, grace, secretariat_user
):
    services.meeting_cancel(actor=secretariat_user, meeting=meeting, reason="Valg")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED and meeting.mail_pending()
    restored = services.meeting_mail_undo(actor=secretariat_user, meeting=meeting)
    assert restored.status == Meeting.Status.PLANNED
    assert restored.cancelled_at is None and restored.cancel_reason == ""
    assert not mails("meeting_cancelled").exists()


def test_an_undone_call_removes_the_meeting_and_its_invitations(
    forums, grace, secretariat_user, member_user, django_capture_on_commit_callbacks
):
    client = login(secretariat_user)
    post = {
        "forum": forums["samarbejdsforum"].pk,
        "day": DAY.isoformat(),
        "starts": "14:00",
        "ends": "16:00",
        "place": "Njalsgade 13",
        "confirm": "1",
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sekretariat/moeder/ny/", post)
    meeting = Meeting.objects.get()
    assert mails("meeting_called").get().retry_at == GRACE_END
    assert deliver_all() == ["skipped"]
    response = client.post(f"/sekretariat/moeder/{meeting.pk}/udsendelse/fortryd/", follow=True)
    assert not Meeting.objects.exists() and not mails("meeting_called").exists()
    assert AuditEntry.objects.filter(action="meeting.mail_undo").count() == 1
    assert "Indkaldelsen er fortrudt" in html.unescape(response.content.decode())


def test_a_call_with_a_proposal_is_not_undone_but_must_be_cancelled(
    forums, grace, secretariat_user, member_user
):
    meeting = schedule(forums["samarbejdsforum"], day=DAY)
    Proposal.objects.create(meeting=meeting, proposer=member_user, title="T", description="D")
    with pytest.raises(DomainError):
        services.meeting_mail_undo(actor=secretariat_user, meeting=meeting)
    assert Meeting.objects.filter(pk=meeting.pk).exists() and mails("meeting_called").count() == 1


def test_a_second_change_waits_until_the_first_has_gone_out_or_is_undone(
    meeting, grace, secretariat_user
):
    services.meeting_move(
        actor=secretariat_user,
        meeting=meeting,
        starts_at=at(date(2027, 3, 17), 10),
        ends_at=at(date(2027, 3, 17), 12),
        place="Rådhuset",
    )
    with pytest.raises(DomainError):
        services.meeting_cancel(actor=secretariat_user, meeting=meeting, reason="Valg")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED and not mails("meeting_cancelled").exists()


def test_a_grace_period_of_zero_sends_at_once_and_leaves_nothing_to_undo(meeting, secretariat_user):
    services.meeting_cancel(actor=secretariat_user, meeting=meeting, reason="Valg")
    assert mails("meeting_cancelled").get().retry_at is None
    assert deliver_all() == ["sent"]
    meeting.refresh_from_db()
    assert not meeting.mail_pending()
    with pytest.raises(DomainError):
        services.meeting_mail_undo(actor=secretariat_user, meeting=meeting)


def test_mails_that_have_been_tried_are_not_withdrawn(meeting, grace, secretariat_user):
    services.meeting_cancel(actor=secretariat_user, meeting=meeting, reason="Valg")
    mails("meeting_cancelled").update(attempts=1)
    with pytest.raises(DomainError):
        outbox_withdraw(key_prefix=f"meeting_cancelled:{meeting.pk}:")
    assert mails("meeting_cancelled").count() == 1
