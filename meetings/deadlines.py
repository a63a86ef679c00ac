"""The forums' deadlines as pure functions of the forum's rules and the meeting's date.

All times are Europe/Copenhagen wall-clock. "N weeks before" is N×7 calendar days, and a
deadline is the *end* of its day: the last instant of that local day, whatever the
daylight-saving offset. A deadline on a weekend or a Danish public holiday is not moved;
`non_working_day` and `working_days_before` let the secretariat be warned in time.
"""

from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta

# The Copenhagen calendar (days, working days, holidays) lives in core, below every app.
from core.workdays import (  # noqa: F401
    TZ,
    act_by,
    end_of_day,
    holiday_name,
    local_day,
    non_working_day,
    previous_working_day,
    start_of_day,
    working_days_before,
)
from forums.models import Forum


def proposals_close(forum: Forum, meeting_day: date) -> datetime | None:
    """End of day D − 21 where the forum has a proposal deadline; otherwise None
    (proposals then close when the agenda is sent)."""
    if forum.proposal_deadline_days is None:
        return None
    return end_of_day(meeting_day - timedelta(days=forum.proposal_deadline_days))


def agenda_due(forum: Forum, meeting_day: date) -> datetime:
    """End of day D − 14 (D − 7 for Den Tværkommunale Styregruppe)."""
    return end_of_day(meeting_day - timedelta(days=forum.agenda_deadline_days))


def minutes_due(forum: Forum, meeting_day: date) -> datetime:
    """End of day D + 7."""
    return end_of_day(meeting_day + timedelta(days=forum.minutes_deadline_days))


def comment_window_closes(forum: Forum, sent_day: date) -> datetime:
    """End of day S + 14, S being the day the minutes were sent."""
    return end_of_day(sent_day + timedelta(days=forum.comment_window_days))


def earliest_day_with_notice(forum: Forum, called_on: date) -> date | None:
    """The first meeting day that respects the forum's notice (4 calendar months for
    Partnerskabsforum), or None when the forum asks for no notice."""
    if not forum.notice_months:
        return None
    return called_on + relativedelta(months=forum.notice_months)


def in_required_quarter(forum: Forum, meeting_day: date) -> bool:
    if not forum.required_quarter:
        return True
    return (meeting_day.month - 1) // 3 + 1 == forum.required_quarter


# The secretariat is reminded this many working days before its own deadlines.
SECRETARIAT_NOTICE_WORKING_DAYS = 2


def secretariat_reminder_from(deadline: datetime) -> datetime:
    """The moment the secretariat's reminder is due: the start of the day two working
    days before the deadline's day."""
    day = working_days_before(local_day(deadline), SECRETARIAT_NOTICE_WORKING_DAYS)
    return start_of_day(day)
