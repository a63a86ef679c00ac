"""Reads of the outbox for the secretariat's pages."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Min

from notifications.models import OutboxMessage

# Mail that has waited longer than this is not getting through: the overview says so.
BACKLOG_ALERT_AFTER = timedelta(minutes=15)


@dataclass(frozen=True)
class OutboxBacklog:
    """What the outbox has not delivered: `waiting` rows queued or being sent, the
    creation time of the oldest of them (None when none wait), `failed` rows, and the
    retry window in hours (OUTBOX_RETRY_HOURS)."""

    waiting: int
    oldest_waiting_at: datetime | None
    failed: int
    now: datetime
    retry_hours: int

    @property
    def oldest_age(self) -> timedelta | None:
        return None if self.oldest_waiting_at is None else self.now - self.oldest_waiting_at

    @property
    def stalled(self) -> bool:
        """True when the oldest waiting message has waited longer than BACKLOG_ALERT_AFTER."""
        age = self.oldest_age
        return age is not None and age > BACKLOG_ALERT_AFTER


def outbox_backlog(*, now: datetime) -> OutboxBacklog:
    """The mail backlog at `now` (two queries on the (status, created_at) index). For the
    secretariat only: callers check the permission."""
    waiting = OutboxMessage.objects.filter(
        status__in=[OutboxMessage.Status.QUEUED, OutboxMessage.Status.SENDING]
    ).aggregate(count=Count("pk"), oldest=Min("created_at"))
    failed = OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).count()
    return OutboxBacklog(
        waiting=waiting["count"],
        oldest_waiting_at=waiting["oldest"],
        failed=failed,
        now=now,
        retry_hours=settings.OUTBOX_RETRY_HOURS,
    )
