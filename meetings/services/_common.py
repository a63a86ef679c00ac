"""Every write about meetings, proposals, agendas and attendance.

Each function checks the state it starts from and raises a DomainError (with a Danish
message, keyed by field where one is to blame), writes inside a transaction, records an
audit entry and queues the e-mails through the outbox after commit."""

from datetime import datetime, timedelta


def _absolute(path: str) -> str:
    from django.conf import settings

    return f"{settings.SITE_URL}{path}"


def grace_end(now: datetime, minutes: int | None = None) -> datetime:
    """When a send made at `now` leaves: `now` + `minutes` (default
    settings.SEND_GRACE_MINUTES, ≥ 0)."""
    from django.conf import settings

    return now + timedelta(minutes=settings.SEND_GRACE_MINUTES if minutes is None else minutes)
