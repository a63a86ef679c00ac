"""The deadlines as MANDATES.md reads them, checked against an oracle written here, not
against the forum's own numbers: for a meeting on local day D, proposals close at the end
of D − 21 (where the forum has a proposal deadline), the agenda is due at the end of D − 14
(D − 7 for Styregruppen), minutes at the end of D + 7 and comments at the end of S + 14.
"The end of a day" is 23:59:59.999999 Copenhagen wall-clock, whatever the DST offset.

The oracle for the offset is the EU rule (summer time from the last Sunday of March to the
last Sunday of October), so a zoneinfo mistake cannot hide behind zoneinfo itself."""

from calendar import monthrange
from datetime import UTC, date, datetime, time, timedelta

import holidays
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from forums.models import Forum
from forums.seed import FORUMS as FORUM_SPECS
from meetings import deadlines
from meetings.deadlines import TZ

# The mandate, as MANDATES.md tabulates it: (proposals, agenda, minutes, comments) in days.
MANDATE = {
    "borgmesterforum": (None, 14, 7, 14),
    "partnerskabsforum": (21, 14, 7, 14),
    "tvaerkommunal-styregruppe": (None, 7, 7, 14),
    "samarbejdsforum": (21, 14, 7, 14),
}
RULE_FIELDS = (
    "slug",
    "name",
    "proposal_deadline_days",
    "agenda_deadline_days",
    "minutes_deadline_days",
    "comment_window_days",
    "notice_months",
    "required_quarter",
)
# The pure functions need only the forum's rules: unsaved forums from the seed data (the
# data migration's source) keep the property tests off the database.
FORUMS = {spec["slug"]: Forum(**{f: spec[f] for f in RULE_FIELDS}) for spec in FORUM_SPECS}

meeting_days = st.dates(min_value=date(2025, 1, 1), max_value=date(2035, 12, 31))
forum_slugs = st.sampled_from(sorted(MANDATE))


def last_sunday(year: int, month: int) -> date:
    end = date(year, month, 31)  # March and October both have 31 days
    return end - timedelta(days=(end.weekday() - 6) % 7)


def offset_at_end_of(day: date) -> timedelta:
    """Copenhagen's UTC offset at 23:59 on `day` by the EU rule: +2 from the last Sunday of
    March (the switch is at 02:00) up to the day before the last Sunday of October."""
    summer = last_sunday(day.year, 3) <= day < last_sunday(day.year, 10)
    return timedelta(hours=2 if summer else 1)


def assert_end_of_local_day(moment: datetime, day: date) -> None:
    instant = moment.astimezone(UTC)
    assert instant == datetime.combine(day, time.max, tzinfo=UTC) - offset_at_end_of(day)
    local = instant.astimezone(TZ)
    assert (local.date(), local.time()) == (day, time.max)
    later = (instant + timedelta(microseconds=1)).astimezone(TZ)
    assert (later.date(), later.time()) == (day + timedelta(days=1), time.min)


# --- The forums carry the mandate's numbers ------------------------------------------------


@pytest.mark.django_db
def test_the_seeded_forums_carry_the_deadline_rules_of_the_mandates(forums):
    for slug, (proposals, agenda, minutes, comments) in MANDATE.items():
        forum = forums[slug]
        assert (
            forum.proposal_deadline_days,
            forum.agenda_deadline_days,
            forum.minutes_deadline_days,
            forum.comment_window_days,
        ) == (proposals, agenda, minutes, comments), slug
    pf = forums["partnerskabsforum"]
    assert (pf.notice_months, pf.required_quarter) == (4, 2)
    others = [f for slug, f in forums.items() if slug != "partnerskabsforum"]
    assert all(f.notice_months is None and f.required_quarter is None for f in others)


# --- Every deadline is the end of a local day N days from the meeting -----------------------


@given(day=meeting_days, slug=forum_slugs)
@example(day=date(2027, 4, 18), slug="samarbejdsforum")  # D − 21 is the spring-forward day
@example(day=date(2027, 11, 21), slug="partnerskabsforum")  # D − 21 is the fall-back day
def test_proposals_close_at_the_end_of_the_day_three_weeks_before_the_meeting(day, slug):
    closes = deadlines.proposals_close(FORUMS[slug], day)
    if MANDATE[slug][0] is None:
        assert closes is None
    else:
        assert_end_of_local_day(closes, day - timedelta(days=21))


@given(day=meeting_days, slug=forum_slugs)
@example(day=date(2027, 4, 11), slug="samarbejdsforum")  # D − 14 is the spring-forward day
@example(day=date(2027, 11, 7), slug="tvaerkommunal-styregruppe")  # D − 7 is the fall-back day
def test_the_agenda_is_due_at_the_end_of_the_day_two_weeks_before_or_one_for_styregruppen(
    day, slug
):
    weeks = 1 if slug == "tvaerkommunal-styregruppe" else 2
    assert_end_of_local_day(deadlines.agenda_due(FORUMS[slug], day), day - timedelta(weeks=weeks))


@given(day=meeting_days, slug=forum_slugs)
@example(day=date(2027, 3, 21), slug="borgmesterforum")  # D + 7 is the spring-forward day
@example(day=date(2027, 10, 24), slug="samarbejdsforum")  # D + 7 is the fall-back day
def test_minutes_are_due_at_the_end_of_the_day_one_week_after_the_meeting(day, slug):
    assert_end_of_local_day(deadlines.minutes_due(FORUMS[slug], day), day + timedelta(days=7))


@given(sent=meeting_days, slug=forum_slugs)
@example(sent=date(2030, 3, 17), slug="partnerskabsforum")  # S + 14 is the spring-forward day
def test_the_comment_window_closes_at_the_end_of_the_day_two_weeks_after_the_minutes_are_sent(
    sent, slug
):
    assert_end_of_local_day(
        deadlines.comment_window_closes(FORUMS[slug], sent), sent + timedelta(days=14)
    )


# --- Across the changes of daylight-saving time ---------------------------------------------

DST_DAYS = [
    (year, last_sunday(year, month), month) for year in range(2025, 2036) for month in (3, 10)
]


@pytest.mark.parametrize(("year", "change_day", "month"), DST_DAYS)
@pytest.mark.parametrize("shift", [-1, 0, 1])
def test_every_deadline_on_or_beside_a_dst_change_is_the_end_of_that_local_day(
    year, change_day, month, shift
):
    day = change_day + timedelta(days=shift)
    sf, sg = FORUMS["samarbejdsforum"], FORUMS["tvaerkommunal-styregruppe"]
    assert_end_of_local_day(deadlines.proposals_close(sf, day + timedelta(days=21)), day)
    assert_end_of_local_day(deadlines.agenda_due(sf, day + timedelta(days=14)), day)
    assert_end_of_local_day(deadlines.agenda_due(sg, day + timedelta(days=7)), day)
    assert_end_of_local_day(deadlines.minutes_due(sf, day - timedelta(days=7)), day)
    assert_end_of_local_day(deadlines.comment_window_closes(sf, day - timedelta(days=14)), day)
    # The day of the change itself has the new offset at its end.
    if shift == 0:
        expected = timedelta(hours=2 if month == 3 else 1)
        assert deadlines.end_of_day(day).utcoffset() == expected


def test_proposals_closing_on_the_spring_forward_day_close_at_2159_utc():
    sf = FORUMS["samarbejdsforum"]
    assert deadlines.proposals_close(sf, date(2027, 4, 18)) == datetime(
        2027, 3, 28, 21, 59, 59, 999999, tzinfo=UTC
    )
    # The day before is still winter time.
    assert deadlines.proposals_close(sf, date(2027, 4, 17)) == datetime(
        2027, 3, 27, 22, 59, 59, 999999, tzinfo=UTC
    )


def test_an_agenda_due_on_the_fall_back_day_is_due_at_2259_utc():
    sf = FORUMS["samarbejdsforum"]
    assert deadlines.agenda_due(sf, date(2027, 11, 14)) == datetime(
        2027, 10, 31, 22, 59, 59, 999999, tzinfo=UTC
    )
    assert deadlines.agenda_due(sf, date(2027, 11, 13)) == datetime(
        2027, 10, 30, 21, 59, 59, 999999, tzinfo=UTC
    )


def test_the_short_and_the_long_day_end_23_and_25_hours_after_they_start():
    def length(day: date) -> timedelta:
        # In UTC: subtracting two datetimes with the same tzinfo ignores the offsets.
        start = deadlines.start_of_day(day).astimezone(UTC)
        return deadlines.end_of_day(day).astimezone(UTC) - start + timedelta(microseconds=1)

    assert length(date(2027, 3, 28)) == timedelta(hours=23)
    assert length(date(2027, 10, 31)) == timedelta(hours=25)
    assert length(date(2027, 6, 1)) == timedelta(hours=24)


@given(day=meeting_days)
def test_a_moment_one_microsecond_after_a_deadline_is_the_start_of_the_next_local_day(day):
    deadline = deadlines.end_of_day(day)
    after = deadline.astimezone(UTC) + timedelta(microseconds=1)
    assert deadlines.local_day(after) == day + timedelta(days=1)
    assert deadlines.local_day(deadline) == day
    assert after == deadlines.start_of_day(day + timedelta(days=1))


# --- Working days: weekends and the Danish public holidays (the `holidays` package) -----------


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2027, 3, 25), "Skærtorsdag"),
        (date(2027, 3, 26), "Langfredag"),
        (date(2027, 3, 28), "Påskedag"),
        (date(2027, 3, 29), "Anden påskedag"),
        (date(2027, 5, 6), "Kristi himmelfartsdag"),
        (date(2027, 5, 17), "Anden pinsedag"),
        (date(2025, 12, 25), "Juledag"),
        (date(2025, 12, 26), "Anden juledag"),
        (date(2027, 1, 1), "Nytårsdag"),
    ],
)
def test_danish_public_holidays_are_days_off_with_their_danish_name(day, name):
    assert deadlines.holiday_name(day) == name
    assert deadlines.non_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        date(2027, 3, 24),  # the Wednesday before Easter
        date(2027, 3, 30),  # the Tuesday after Easter Monday
        date(2025, 12, 24),  # Christmas Eve
        date(2025, 12, 31),  # New Year's Eve
        date(2025, 5, 1),  # 1 May
        date(2025, 5, 16),  # Store bededag, abolished from 2024
    ],
)
def test_days_that_are_not_public_holidays_are_working_days(day):
    assert day.weekday() < 5
    assert deadlines.holiday_name(day) is None
    assert not deadlines.non_working_day(day)


def test_grundlovsdag_is_a_working_day_because_holidays_lists_it_only_as_optional():
    grundlovsdag = date(2025, 6, 5)  # a Thursday
    assert deadlines.holiday_name(grundlovsdag) is None
    assert not deadlines.non_working_day(grundlovsdag)
    optional = holidays.country_holidays("DK", years=2025, categories=("optional",))
    assert grundlovsdag in optional
    # Store bededag still counts in the years before its abolition.
    assert deadlines.holiday_name(date(2023, 5, 5)) == "Store bededag"


@given(day=meeting_days)
def test_saturdays_and_sundays_are_days_off(day):
    assert deadlines.non_working_day(day) == (day.weekday() >= 5 or day in _danish(day.year))


def _danish(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("DK", years=year)


@pytest.mark.parametrize(
    ("day", "previous"),
    [
        (date(2027, 3, 30), date(2027, 3, 24)),  # Tuesday after Easter → Wednesday before
        (date(2027, 9, 6), date(2027, 9, 3)),  # Monday → Friday
        (date(2025, 12, 29), date(2025, 12, 24)),  # Monday after Christmas → Christmas Eve
        (date(2027, 1, 4), date(2026, 12, 31)),  # across New Year's Day and the weekend
        (date(2027, 3, 26), date(2027, 3, 24)),  # Good Friday → the Wednesday before
    ],
)
def test_the_previous_working_day_skips_weekends_and_holidays(day, previous):
    assert deadlines.previous_working_day(day) == previous


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        (date(2027, 9, 6), 2, date(2027, 9, 2)),  # Monday → the Thursday before
        (date(2027, 3, 30), 2, date(2027, 3, 23)),  # after Easter → Tuesday before Easter
        (date(2027, 3, 26), 2, date(2027, 3, 23)),  # Good Friday → Tuesday
        (date(2027, 9, 8), 2, date(2027, 9, 6)),  # a plain Wednesday → Monday
        (date(2027, 9, 8), 0, date(2027, 9, 8)),
    ],
)
def test_working_days_before_counts_only_working_days(day, count, expected):
    assert deadlines.working_days_before(day, count) == expected


@given(day=meeting_days, count=st.integers(min_value=0, max_value=6))
def test_working_days_before_lands_on_a_working_day_with_exactly_that_many_working_days_between(
    day, count
):
    result = deadlines.working_days_before(day, count)
    between = [result + timedelta(days=n) for n in range((day - result).days)]
    assert sum(not deadlines.non_working_day(d) for d in between) == count
    if count:
        assert result < day and not deadlines.non_working_day(result)
    else:
        assert result == day


@given(day=meeting_days)
def test_the_previous_working_day_has_only_days_off_between_it_and_the_day(day):
    previous = deadlines.previous_working_day(day)
    assert previous < day and not deadlines.non_working_day(previous)
    gap = [previous + timedelta(days=n) for n in range(1, (day - previous).days)]
    assert all(deadlines.non_working_day(d) for d in gap)


# --- Partnerskabsforum: four calendar months' notice, a meeting in April–June ----------------


@pytest.mark.parametrize(
    ("called_on", "earliest"),
    [
        (date(2027, 1, 15), date(2027, 5, 15)),
        (date(2026, 12, 31), date(2027, 4, 30)),  # 31 April does not exist
        (date(2026, 10, 31), date(2027, 2, 28)),
        (date(2027, 10, 31), date(2028, 2, 29)),  # a leap year
        (date(2027, 9, 30), date(2028, 1, 30)),
    ],
)
def test_partnerskabsforum_needs_four_calendar_months_notice_clamped_to_the_month_end(
    called_on, earliest
):
    assert deadlines.earliest_day_with_notice(FORUMS["partnerskabsforum"], called_on) == earliest


@given(called_on=meeting_days, slug=forum_slugs)
def test_only_partnerskabsforum_asks_for_notice_and_it_is_four_calendar_months(called_on, slug):
    earliest = deadlines.earliest_day_with_notice(FORUMS[slug], called_on)
    if slug != "partnerskabsforum":
        assert earliest is None
        return
    month_index = called_on.year * 12 + called_on.month - 1 + 4
    year, month = divmod(month_index, 12)
    month += 1
    assert earliest == date(year, month, min(called_on.day, monthrange(year, month)[1]))


@pytest.mark.parametrize(
    ("day", "inside"),
    [
        (date(2027, 3, 31), False),
        (date(2027, 4, 1), True),
        (date(2027, 6, 30), True),
        (date(2027, 7, 1), False),
        (date(2027, 12, 15), False),
    ],
)
def test_partnerskabsforum_meets_in_the_second_quarter(day, inside):
    assert deadlines.in_required_quarter(FORUMS["partnerskabsforum"], day) is inside


@given(day=meeting_days, slug=forum_slugs)
def test_only_partnerskabsforum_is_bound_to_a_quarter(day, slug):
    expected = day.month in (4, 5, 6) if slug == "partnerskabsforum" else True
    assert deadlines.in_required_quarter(FORUMS[slug], day) is expected
