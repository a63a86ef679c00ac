"""The outbox in the secretariat's cockpit (core.due, issue 14 §3).

- "mail_failed": e-mails that failed for good, one item with the count, dated by the
  oldest of them (already overdue: someone must send them again or fix the address);
- "mail_waiting": e-mails waiting longer than BACKLOG_ALERT_AFTER (15 minutes), one item
  dated by the moment the oldest passed that limit.
Two aggregate queries on the outbox's (status, created_at) index.
"""

from collections.abc import Iterator
from datetime import datetime

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.due import DueItem
from core.workdays import act_by, local_day
from notifications.models import OutboxMessage
from notifications.selectors import BACKLOG_ALERT_AFTER


def _item(*, kind: str, label, due: datetime, status: str, count: int) -> DueItem:
    return DueItem(
        kind=kind,
        label=str(label),
        due=due,
        act_on=act_by(local_day(due)),
        url=f"{reverse('notifications:list')}?status={status}",
        detail=ngettext("%(count)d e-mail", "%(count)d e-mails", count) % {"count": count},
    )


def _oldest(statuses: list[str]) -> dict:
    return OutboxMessage.objects.filter(status__in=statuses).aggregate(
        count=Count("pk"), oldest=Min("created_at")
    )


def mail_failed(*, now: datetime, until: datetime) -> Iterator[DueItem]:
    """One item while any e-mail has failed for good."""
    failed = _oldest([OutboxMessage.Status.FAILED])
    if failed["count"]:
        yield _item(
            kind="mail_failed",
            label=_("E-mails failed"),
            due=failed["oldest"],
            status=OutboxMessage.Status.FAILED,
            count=failed["count"],
        )


def mail_waiting(*, now: datetime, until: datetime) -> Iterator[DueItem]:
    """One item while the oldest waiting e-mail has waited longer than the alert limit."""
    waiting = _oldest([OutboxMessage.Status.QUEUED, OutboxMessage.Status.SENDING])
    if waiting["count"] and waiting["oldest"] + BACKLOG_ALERT_AFTER <= until:
        yield _item(
            kind="mail_waiting",
            label=_("E-mails waiting"),
            due=waiting["oldest"] + BACKLOG_ALERT_AFTER,
            status=OutboxMessage.Status.QUEUED,
            count=waiting["count"],
        )


def register() -> None:
    from core.due import due_source_register

    due_source_register("mail_failed", mail_failed)
    due_source_register("mail_waiting", mail_waiting)
