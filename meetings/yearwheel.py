"""The year wheel (»årshjul«, issue 14 §4): a year of the four forums' meetings and their
stored deadlines, month by month, and the mandate check per forum.

Read by the secretariat's page and PDF (`year_wheel`) and, reduced to the public
selectors' meeting dates, by the public page (`public_year_wheel`). Each runs a constant
number of queries (the meetings of the year with their forum and minutes, the forums).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dates import MONTHS

from core.contributions import contributions
from core.due import due_items
from forums.models import Forum
from meetings import deadlines
from meetings.models import Meeting
from meetings.selectors import TimelineEntry, meeting_timeline, public_meetings

# Deadlines of a meeting fall at most this far from its day (proposals D − 21, the
# comment window closing about D + 7 + 14 and later when the minutes are late): meetings
# this far outside the year are read too, so that their deadlines inside it are shown.
MARGIN = timedelta(days=120)

# The years a wheel is drawn for (first, last): any other year answers 404.
WHEEL_YEARS = (2000, 2100)


def year_span(year: int) -> tuple[datetime, datetime]:
    """The local calendar year as aware [start, end) instants."""
    return deadlines.start_of_day(date(year, 1, 1)), deadlines.start_of_day(date(year + 1, 1, 1))


@dataclass(frozen=True)
class WheelEntry:
    """One line of the wheel: a meeting (`entry.key == "meeting"`) or one of its deadlines,
    with its state at `now` (meetings.selectors.meeting_timeline: done, due, overdue,
    passed, scheduled; "cancelled" for a cancelled meeting)."""

    meeting: Meeting
    entry: TimelineEntry
    state: str

    @property
    def day(self) -> date:
        return self.entry.day

    @property
    def is_meeting(self) -> bool:
        return self.entry.key == "meeting"


@dataclass
class WheelMonth:
    number: int
    entries: list = field(default_factory=list)
    # Deadlines of the year not tied to a meeting (core.due items still to be met: theme
    # group reports, follow-up actions, sub-agreements, pools, the steering dialogue, …).
    others: list = field(default_factory=list)

    @property
    def name(self) -> str:
        return str(MONTHS[self.number])


@dataclass(frozen=True)
class MandateCheck:
    """A forum's year against its terms of reference: `count` meetings (planned or held,
    not cancelled) against `low`–`high`; the meetings outside the required quarter and
    those called with less than the required notice (by the day they were scheduled;
    archive entries are not checked for notice)."""

    forum: Forum
    count: int
    outside_quarter: list[Meeting]
    short_notice: list[Meeting]

    @property
    def low(self) -> int:
        return self.forum.meetings_per_year_min

    @property
    def high(self) -> int:
        return self.forum.meetings_per_year_max

    @property
    def count_ok(self) -> bool:
        return self.low <= self.count <= self.high

    @property
    def too_few(self) -> bool:
        return self.count < self.low

    @property
    def ok(self) -> bool:
        return self.count_ok and not self.outside_quarter and not self.short_notice


@dataclass(frozen=True)
class YearWheel:
    year: int
    months: list[WheelMonth]
    checks: list[MandateCheck]
    # What the apps above add to the year (the steering dialogue's round), each a dict
    # with its "template" (core/contributions.py, point "year_wheel").
    sections: list[dict] = field(default_factory=list)


def _meetings_around(year: int, qs: QuerySet[Meeting]) -> list[Meeting]:
    start, end = year_span(year)
    return list(qs.filter(starts_at__gte=start - MARGIN, starts_at__lt=end + MARGIN))


def _in_year(meeting: Meeting, year: int) -> bool:
    return meeting.day.year == year


def mandate_check(forum: Forum, meetings: list[Meeting]) -> MandateCheck:
    """The check for `forum` over `meetings` (that forum's meetings of one year)."""
    held = [m for m in meetings if m.status != Meeting.Status.CANCELLED]
    return MandateCheck(
        forum=forum,
        count=len(held),
        outside_quarter=[m for m in held if not deadlines.in_required_quarter(forum, m.day)],
        short_notice=[
            m
            for m in held
            if not m.is_archive
            and (
                earliest := deadlines.earliest_day_with_notice(
                    forum, deadlines.local_day(m.created_at)
                )
            )
            and m.day < earliest
        ],
    )


# The kinds of core.due items the year wheel lists besides the meetings' own deadlines (those
# it reads from the meetings, met ones too); e-mails and addresses are no deadlines of a year.
OTHER_DEADLINES = frozenset(
    {
        "theme_group_report",
        "action_due",
        "sub_agreement_expires",
        "agreement_renewal",
        "pool_period_ends",
        "dialogue_meeting",
        "dialogue_follow_up",
    }
)


def year_wheel(year: int, *, now: datetime | None = None) -> YearWheel:
    """Every meeting of the four forums in local calendar `year` and every stored deadline
    falling in it (met ones too, marked done), by month and day; and the mandate check per
    forum (MANDATES.md: meetings a year; Partnerskabsforum in the 2nd quarter with 4
    months' notice). For the secretariat only: callers check the permission."""
    now = now or timezone.now()
    meetings = _meetings_around(
        year, Meeting.objects.select_related("forum", "minutes").order_by("starts_at")
    )
    months = [WheelMonth(number=n) for n in range(1, 13)]
    for meeting in meetings:
        cancelled = meeting.status == Meeting.Status.CANCELLED
        for entry in meeting_timeline(meeting, now=now):
            if entry.day.year != year or (cancelled and entry.key != "meeting"):
                continue
            state = "cancelled" if cancelled else entry.state
            months[entry.day.month - 1].entries.append(WheelEntry(meeting, entry, state))
    for month in months:
        month.entries.sort(key=lambda e: (e.entry.moment, e.meeting.forum.position))
    for item in due_items(now=now, until=year_span(year)[1]):
        if item.kind in OTHER_DEADLINES and timezone.localtime(item.due).year == year:
            months[timezone.localtime(item.due).month - 1].others.append(item)
    forums = list(Forum.objects.order_by("position"))
    checks = [
        mandate_check(f, [m for m in meetings if m.forum_id == f.pk and _in_year(m, year)])
        for f in forums
    ]
    sections = [part for fn in contributions("year_wheel") if (part := fn(year))]
    return YearWheel(year=year, months=months, checks=checks, sections=sections)


def public_year_wheel(year: int) -> list[WheelMonth]:
    """The year's meetings as the public may see them (meetings.selectors.public_meetings:
    time, place, title and status; no deadline, nothing closed), by month. Archive entries
    are left out as in the public calendar feeds."""
    start, end = year_span(year)
    months = [WheelMonth(number=n) for n in range(1, 13)]
    rows = public_meetings().filter(is_archive=False, starts_at__gte=start, starts_at__lt=end)
    for meeting in rows.order_by("starts_at"):
        months[meeting.day.month - 1].entries.append(meeting)
    return months
