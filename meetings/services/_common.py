"""What the meetings.services modules share: imports and small helpers."""

from datetime import datetime, timedelta


def _absolute(path: str) -> str:
    from django.conf import settings

    return f"{settings.SITE_URL}{path}"


def grace_end(now: datetime, minutes: int | None = None) -> datetime:
    """When a send made at `now` leaves: `now` + `minutes` (default
    settings.SEND_GRACE_MINUTES, ≥ 0)."""
    from django.conf import settings

    return now + timedelta(minutes=settings.SEND_GRACE_MINUTES if minutes is None else minutes)
