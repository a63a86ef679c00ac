"""Copenhagen's calendar: local days, the ends of days, Danish public holidays and working
days. Pure functions of the date (the `holidays` package for the holidays), below every app,
so that any app may ask which working day a deadline is to be acted on."""

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

TZ = ZoneInfo("Europe/Copenhagen")


def end_of_day(day: date) -> datetime:
    """The last instant of `day` in Copenhagen (23:59:59.999999 local time)."""
    return datetime.combine(day, time.max, tzinfo=TZ)


def local_day(moment: datetime) -> date:
    return moment.astimezone(TZ).date()


@lru_cache(maxsize=64)
def _danish_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("DK", years=year, language="da")


def holiday_name(day: date) -> str | None:
    return _danish_holidays(day.year).get(day)


def non_working_day(day: date) -> bool:
    return day.weekday() >= 5 or holiday_name(day) is not None


def previous_working_day(day: date) -> date:
    day -= timedelta(days=1)
    while non_working_day(day):
        day -= timedelta(days=1)
    return day


def working_days_before(day: date, count: int) -> date:
    for _ in range(count):
        day = previous_working_day(day)
    return day


def start_of_day(day: date) -> datetime:
    """The first instant of `day` in Copenhagen (00:00 local time)."""
    return datetime.combine(day, time.min, tzinfo=TZ)


def act_by(day: date) -> date:
    """The day to act on for a deadline on `day`: the working day before, where `day`
    is a weekend or a public holiday (the deadline itself is not moved)."""
    return previous_working_day(day) if non_working_day(day) else day
