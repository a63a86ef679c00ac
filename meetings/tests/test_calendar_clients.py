"""What calendar programs read from our invitations and feeds, checked with the programs'
own parsers: ical.js (Thunderbird), icalendar and vobject (tests/calendar_clients.py).

The instants expected are worked out by hand from the EU rule (summer time from the last
Sunday of March to the last Sunday of October: UTC+2, otherwise UTC+1), not from zoneinfo,
for meetings on both sides of every switch from 2026 to 2030."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone
from icalendar import Calendar

from meetings import calendar, services
from meetings.models import CalendarToken
from meetings.tests.factories import at, schedule
from notifications.models import OutboxMessage
from tests.calendar_clients import icaljs, instants_everywhere

pytestmark = pytest.mark.django_db

# The last Sundays of March and October: summer time begins and ends.
SWITCHES = {
    2026: (date(2026, 3, 29), date(2026, 10, 25)),
    2027: (date(2027, 3, 28), date(2027, 10, 31)),
    2028: (date(2028, 3, 26), date(2028, 10, 29)),
    2029: (date(2029, 3, 25), date(2029, 10, 28)),
    2030: (date(2030, 3, 31), date(2030, 10, 27)),
}
NEW_YEAR_2026 = datetime(2026, 1, 2, 9, tzinfo=UTC)


def utc(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """Copenhagen wall-clock `hour` on `day` as UTC, by the EU summer-time rule."""
    spring, autumn = SWITCHES[day.year]
    offset = 2 if spring <= day < autumn else 1
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=UTC) - timedelta(
        hours=offset
    )


def days_around_the_switches() -> list[date]:
    """The Saturday before and the Monday after each switch, 2026–2030 (20 days)."""
    return [
        switch + timedelta(days=side)
        for pair in SWITCHES.values()
        for switch in pair
        for side in (-1, 1)
    ]


@pytest.fixture
def dst_meetings(forums, member_user) -> dict[str, date]:
    """A Samarbejdsforum meeting 14–16 on each day around a switch: {UID: day}."""
    with time_machine.travel(NEW_YEAR_2026, tick=False):
        return {
            schedule(forums["samarbejdsforum"], day=day, now=timezone.now()).uid: day
            for day in days_around_the_switches()
        }


def timezones_complete(body: bytes) -> None:
    cal = Calendar.from_ical(body)
    used = cal.get_used_tzids()
    assert used == {"Europe/Copenhagen"}
    assert {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")} == used


def test_the_public_feed_puts_meetings_on_both_sides_of_every_dst_switch_at_the_same_instant_in_three_parsers(  # noqa: E501
    dst_meetings, anonymous_client
):
    with time_machine.travel(NEW_YEAR_2026, tick=False):
        body = anonymous_client.get("/fora/samarbejdsforum/kalender.ics").content

    timezones_complete(body)
    assert instants_everywhere(body) == {
        uid: (utc(day, 14), utc(day, 16)) for uid, day in dst_meetings.items()
    }


def test_the_personal_feed_puts_meetings_and_proposal_deadlines_around_every_dst_switch_at_the_same_instant_in_three_parsers(  # noqa: E501
    dst_meetings, member_user, anonymous_client
):
    token = CalendarToken.objects.create(user=member_user, token="p" * 43)
    with time_machine.travel(NEW_YEAR_2026, tick=False):
        body = anonymous_client.get(f"/kalender/{token.token}.ics").content

    timezones_complete(body)
    meetings = {uid: (utc(day, 14), utc(day, 16)) for uid, day in dst_meetings.items()}
    # Samarbejdsforum: proposals close at the end of D − 21 (23:59:59 local).
    deadlines = {
        f"forslag-{uid}": (utc(day - timedelta(days=21), 23, 59, 59), None)
        for uid, day in dst_meetings.items()
    }
    assert instants_everywhere(body) == meetings | deadlines


def attachment_of(kind: str, email: str) -> bytes:
    message = OutboxMessage.objects.get(kind=kind, recipient=email)
    (attachment,) = message.attachments.all()
    return bytes(attachment.content)


def test_the_invitation_its_move_and_its_cancel_name_the_recipient_and_give_summer_and_winter_times_alike_in_three_parsers(  # noqa: E501
    forums, member_user, secretariat_user, settings, django_capture_on_commit_callbacks
):
    settings.SECRETARIAT_EMAIL = "Sekretariatet <sekretariat@kk.example>"
    summer_day, winter_day = date(2027, 3, 29), date(2027, 11, 1)
    new_year = time_machine.travel(datetime(2027, 1, 4, 9, tzinfo=UTC), tick=False)
    with new_year, django_capture_on_commit_callbacks(execute=True):
        meeting = schedule(forums["samarbejdsforum"], day=summer_day, now=timezone.now())
        services.meeting_move(
            actor=secretariat_user,
            meeting=meeting,
            starts_at=at(winter_day, 10),
            ends_at=at(winter_day, 12),
            place="Rådhuset",
        )
        services.meeting_cancel(actor=secretariat_user, meeting=meeting, reason="Aflyst.")

    person = member_user.person
    expected = {
        "meeting_called": ("REQUEST", 0, utc(summer_day, 14), utc(summer_day, 16)),
        "meeting_moved": ("REQUEST", 1, utc(winter_day, 10), utc(winter_day, 12)),
        "meeting_cancelled": ("CANCEL", 2, utc(winter_day, 10), utc(winter_day, 12)),
    }
    for kind, (method, sequence, start, end) in expected.items():
        ics = attachment_of(kind, member_user.email)
        timezones_complete(ics)
        assert instants_everywhere(ics) == {meeting.uid: (start, end)}, kind

        read = icaljs(ics)
        assert read["method"] == method
        (event,) = read["events"]
        assert (event["uid"], event["sequence"]) == (meeting.uid, sequence)
        assert event["attendees"] == [f"mailto:{member_user.email}"]

        (vevent,) = Calendar.from_ical(ics).walk("VEVENT")
        attendee = vevent["ATTENDEE"]
        assert str(attendee) == f"mailto:{member_user.email}"
        assert attendee.params["CN"] == person.name
        assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
        assert attendee.params["RSVP"] == "FALSE"
        organizer = vevent["ORGANIZER"]
        assert str(organizer) == "mailto:sekretariat@kk.example"
        assert organizer.params["CN"] == "Sekretariatet"


def test_a_generated_vtimezone_writes_each_rdate_as_its_own_property():
    """ical.js reads only the first value of a multi-valued RDATE (every summer after the
    first would be an hour off); the generated zone has one value per property."""
    tz = calendar.vtimezone("Europe/Copenhagen", date(2025, 1, 1), date(2031, 1, 1))
    for line in tz.to_ical().decode().splitlines():
        if line.startswith("RDATE"):
            assert "," not in line, line


@pytest.mark.parametrize(("fold", "expected_utc_hour"), [(0, 0), (1, 1)])
def test_a_meeting_at_an_hour_the_clocks_pass_twice_lands_on_the_chosen_one_in_three_parsers(
    forums, member_user, fold, expected_utc_hour
):
    """29 October 2028, 02:30 happens twice in Copenhagen: first in summer time (00:30Z),
    then in winter time (01:30Z). The clerk's choice reaches every calendar client."""
    tz = timezone.get_current_timezone()
    starts = datetime(2028, 10, 29, 2, 30, tzinfo=tz, fold=fold)
    with time_machine.travel(datetime(2028, 6, 1, 9, tzinfo=tz), tick=False):
        meeting = services.meeting_schedule(
            actor=None,
            forum=forums["samarbejdsforum"],
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
        )
        ics = calendar.invitation_ics(
            meeting,
            url="https://faellesindgang.example/moeder/1/",
            recipient=calendar.Recipient(email=member_user.email),
        )
    expected = datetime(2028, 10, 29, expected_utc_hour, 30, tzinfo=UTC)
    assert instants_everywhere(ics)[meeting.uid][0] == expected
