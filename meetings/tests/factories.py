from datetime import datetime, time, timedelta

from django.utils import timezone

from forums.models import Forum
from meetings import services
from meetings.deadlines import TZ
from meetings.models import Meeting


def at(day, hour: int = 14, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


def schedule(
    forum: Forum,
    *,
    days_ahead: int = 60,
    day=None,
    hour: int = 14,
    actor=None,
    now: datetime | None = None,
) -> Meeting:
    """A meeting of `forum` scheduled through the service, `days_ahead` from today."""
    day = day or (timezone.localdate() + timedelta(days=days_ahead))
    return services.meeting_schedule(
        actor=actor, forum=forum, starts_at=at(day, hour), ends_at=at(day, hour + 2), now=now
    )
