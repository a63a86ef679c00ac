"""The outbox in the cockpit (notifications/due.py): e-mails that failed for good, and
e-mails waiting longer than the alert limit, each one line with the count."""

from datetime import datetime, timedelta

import pytest
import time_machine

from core.due import due_items
from core.models import AuditEntry
from meetings.deadlines import TZ
from notifications.models import OutboxMessage
from notifications.services import outbox_resend

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 1, 4, 10, 0, tzinfo=TZ)


def due(kind: str, now: datetime = NOW) -> list:
    return [i for i in due_items(now=now, until=now + timedelta(weeks=8)) if i.kind == kind]


def message(key: str, status: str, created: datetime) -> OutboxMessage:
    with time_machine.travel(created, tick=False):
        return OutboxMessage.objects.create(
            key=key,
            kind="agenda_sent",
            recipient=f"{key}@example.org",
            subject="Dagsorden",
            body_text="…",
            status=status,
        )


def test_failed_e_mails_are_overdue_until_they_are_sent_again(forums, secretariat_user):
    first = message("a", OutboxMessage.Status.FAILED, NOW - timedelta(days=2))
    second = message("b", OutboxMessage.Status.FAILED, NOW - timedelta(hours=3))
    [item] = due("mail_failed")
    assert item.overdue(NOW)
    assert item.due == NOW - timedelta(days=2)
    assert item.detail == "2 e-mails"
    assert item.url == "/sekretariat/udbakke/?status=failed"
    for failed in (first, second):
        outbox_resend(actor=secretariat_user, message=failed)
    assert due("mail_failed") == []
    assert AuditEntry.objects.filter(action="outbox.resend").count() == 2


def test_waiting_e_mails_are_due_only_once_they_have_waited_longer_than_fifteen_minutes(db):
    message("c", OutboxMessage.Status.QUEUED, NOW - timedelta(minutes=5))
    just_queued = NOW - timedelta(minutes=5)
    assert [
        i for i in due_items(now=just_queued, until=just_queued) if i.kind == "mail_waiting"
    ] == []
    [item] = due("mail_waiting")
    assert item.due == NOW + timedelta(minutes=10)
    assert not item.overdue(NOW)
    later = NOW + timedelta(minutes=11)
    [item] = due("mail_waiting", now=later)
    assert item.overdue(later)
    assert item.detail == "1 e-mail"
    OutboxMessage.objects.update(status=OutboxMessage.Status.SENT, sent_at=later)
    assert due("mail_waiting", now=later) == []
