"""Every e-mail is a row first; a row is sent once, even when its task runs twice."""

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from core.models import AuditEntry
from forums.tests.factories import UserFactory
from notifications.models import OutboxMessage
from notifications.services import (
    Attachment,
    outbox_deliver,
    outbox_enqueue,
    outbox_resend,
    outbox_sweep,
    retry_delay,
)
from notifications.tasks import send_outbox_message

pytestmark = pytest.mark.django_db


def enqueue(key="test:1", **kwargs):
    person = mock.Mock(name="person")
    person.name = "Birthe Boligsen"
    return outbox_enqueue(
        kind="invitation",
        key=key,
        to="birthe@example.org",
        user=UserFactory(email="birthe@example.org"),
        context={"person": person},
        **kwargs,
    )


def test_a_message_is_written_once_per_key_and_sent_after_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        first = enqueue()
        second = enqueue()
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1
    message = OutboxMessage.objects.get()
    assert message.status == "sent" and message.attempts == 1 and message.sent_at
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["birthe@example.org"]
    assert "Birthe Boligsen" in sent.body and "/konto/invitation/" in sent.body
    assert sent.alternatives and "<html" in sent.alternatives[0][0]


def test_nothing_is_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        enqueue()
        raise RuntimeError("the change failed")
    assert OutboxMessage.objects.count() == 0
    assert mail.outbox == []


def test_the_task_run_twice_sends_once(django_capture_on_commit_callbacks):
    message = enqueue()  # on_commit not executed: the task has not run yet
    assert send_outbox_message.delay(message.pk).get() == "sent"
    assert send_outbox_message.delay(message.pk).get() == "skipped"
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.attempts == 1


def test_attachments_travel_with_the_message():
    message = enqueue(attachments=(Attachment("dagsorden.pdf", "application/pdf", b"%PDF-1.7"),))
    outbox_deliver(message_id=message.pk)
    assert mail.outbox[0].attachments == [("dagsorden.pdf", b"%PDF-1.7", "application/pdf")]


def fail_with(exc):
    return mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=exc
    )


def test_a_transient_smtp_failure_queues_the_message_again_with_backoff():
    message = enqueue()
    with fail_with(smtplib.SMTPServerDisconnected("gone")):
        assert outbox_deliver(message_id=message.pk) == "retry"
    message.refresh_from_db()
    assert message.status == "queued" and message.attempts == 1
    assert "SMTPServerDisconnected" in message.last_error
    assert message.retry_at > timezone.now()
    assert outbox_deliver(message_id=message.pk) == "skipped"  # not due yet
    with time_machine.travel(message.retry_at, tick=False):
        assert outbox_deliver(message_id=message.pk) == "sent"
    assert len(mail.outbox) == 1


def test_a_permanent_smtp_failure_marks_the_message_failed():
    message = enqueue()
    refused = smtplib.SMTPRecipientsRefused({"birthe@example.org": (550, b"no such user")})
    with fail_with(refused):
        assert outbox_deliver(message_id=message.pk) == "failed"
    message.refresh_from_db()
    assert message.status == "failed" and "550" in message.last_error
    assert outbox_deliver(message_id=message.pk) == "skipped"


def test_transient_failures_keep_retrying_well_past_five_attempts():
    message = enqueue()
    results = []
    with fail_with(smtplib.SMTPResponseException(451, b"try later")):
        for _ in range(8):
            with time_machine.travel(message.retry_at or timezone.now(), tick=False):
                results.append(outbox_deliver(message_id=message.pk))
            message.refresh_from_db()
    assert results == ["retry"] * 8
    message.refresh_from_db()
    assert message.status == "queued" and message.attempts == 8


def test_retries_back_off_exponentially_up_to_an_hour():
    assert [retry_delay(n) // 60 for n in range(1, 10)] == [1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_the_secretariat_can_send_a_failed_message_again(
    secretariat_user, django_capture_on_commit_callbacks
):
    message = enqueue()
    with fail_with(smtplib.SMTPRecipientsRefused({"x": (550, b"no")})):
        outbox_deliver(message_id=message.pk)
    with django_capture_on_commit_callbacks(execute=True):
        outbox_resend(actor=secretariat_user, message=message)
    message.refresh_from_db()
    assert message.status == "sent" and len(mail.outbox) == 1
    assert AuditEntry.objects.filter(action="outbox.resend", actor=secretariat_user).count() == 1


def test_a_sent_message_cannot_be_sent_again(secretariat_user):
    from core.errors import DomainError

    message = enqueue()
    outbox_deliver(message_id=message.pk)
    with pytest.raises(DomainError):
        outbox_resend(actor=secretariat_user, message=message)
    assert len(mail.outbox) == 1


def test_the_sweep_sends_what_a_lost_task_left_behind_and_only_once():
    message = enqueue()  # the broker was down: no task ran
    later = timezone.now() + timedelta(minutes=5)
    assert outbox_sweep(now=later)["requeued"] == 1
    assert outbox_sweep(now=later)["requeued"] == 0
    message.refresh_from_db()
    assert message.status == "sent" and len(mail.outbox) == 1


def test_the_sweep_waits_for_the_backoff_before_retrying():
    message = enqueue()
    with fail_with(smtplib.SMTPServerDisconnected("gone")):
        outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert outbox_sweep(now=message.retry_at - timedelta(seconds=1))["requeued"] == 0
    with time_machine.travel(message.retry_at + timedelta(seconds=1), tick=False):
        assert outbox_sweep(now=timezone.now())["requeued"] == 1
    assert len(mail.outbox) == 1


def test_a_message_left_sending_by_a_dead_worker_is_reclaimed_and_sent_once():
    message = enqueue()
    OutboxMessage.objects.filter(pk=message.pk).update(
        status="sending", claimed_at=timezone.now() - timedelta(hours=1)
    )
    assert outbox_sweep(now=timezone.now()) == {"requeued": 1, "reclaimed": 1}
    assert outbox_sweep(now=timezone.now()) == {"requeued": 0, "reclaimed": 0}
    message.refresh_from_db()
    assert message.status == "sent" and len(mail.outbox) == 1


def test_the_secretariat_sees_the_outbox_and_a_message_with_its_error(
    secretariat_client, django_capture_on_commit_callbacks
):
    message = enqueue()
    with fail_with(smtplib.SMTPRecipientsRefused({"x": (550, b"mailbox unavailable")})):
        outbox_deliver(message_id=message.pk)
    listing = secretariat_client.get("/sekretariat/udbakke/?status=failed")
    assert message.subject in listing.content.decode()
    detail = secretariat_client.get(f"/sekretariat/udbakke/{message.pk}/").content.decode()
    assert "mailbox unavailable" in detail
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(f"/sekretariat/udbakke/{message.pk}/send-igen/")
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == "sent"
