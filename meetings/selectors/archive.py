"""selectors: The public archive (issue 14 §1)."""

from datetime import datetime

from django.utils import timezone

from forums.models import Forum
from meetings.selectors.public import public_agendas, public_meetings

# --- The public archive (issue 14 §1) ------------------------------------------------------


def public_past_meetings(*, forum: Forum | None = None, now: datetime | None = None):
    """Meetings that have begun (held, cancelled or archive entries), newest first, from
    public_meetings(): their time, place, title and status are public for every forum."""
    qs = public_meetings().filter(starts_at__lt=now or timezone.now())
    if forum is not None:
        qs = qs.filter(forum=forum)
    return qs.order_by("-starts_at")


def public_archive_years(*, forum: Forum | None = None, now: datetime | None = None) -> list[int]:
    """The years with a past meeting (Copenhagen time), newest first."""
    return sorted(
        {
            timezone.localtime(m).year
            for m in public_past_meetings(forum=forum, now=now).values_list("starts_at", flat=True)
        },
        reverse=True,
    )


def public_archive_year(year: int, *, forum: Forum | None = None, now: datetime | None = None):
    """The past meetings of `year` (Copenhagen time), newest first, each annotated
    `agenda_public` (among public_agendas())."""
    from django.db.models import Exists, OuterRef

    start = datetime(year, 1, 1, tzinfo=timezone.get_current_timezone())
    end = datetime(year + 1, 1, 1, tzinfo=timezone.get_current_timezone())
    return (
        public_past_meetings(forum=forum, now=now)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .annotate(agenda_public=Exists(public_agendas().filter(pk=OuterRef("pk"))))
    )
