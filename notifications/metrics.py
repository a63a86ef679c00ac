"""The outbox's gauges for /metrics (core.metrics registry). Only the rows that can still
need attention are counted (queued, sending, failed: the status index), never the sent
history, so a scrape costs the same after years of mail."""

from django.db.models import Count, Min
from django.utils import timezone

from notifications.models import OutboxMessage

Status = OutboxMessage.Status
OPEN = [Status.QUEUED, Status.SENDING, Status.FAILED]


def outbox_counts() -> dict[tuple[str], int]:
    counts = {(status.value,): 0 for status in OPEN}
    rows = OutboxMessage.objects.filter(status__in=OPEN).values("status").annotate(n=Count("id"))
    for row in rows:
        counts[(row["status"],)] = row["n"]
    return counts


def failed_count() -> int:
    return OutboxMessage.objects.filter(status=Status.FAILED).count()


def outbox_backlog_age() -> float:
    oldest = OutboxMessage.objects.filter(status=Status.QUEUED).aggregate(m=Min("created_at"))["m"]
    return (timezone.now() - oldest).total_seconds() if oldest else 0.0
