"""The secretariat's personal calendar feed carries its deadlines (core.due) as all-day
events beside the meetings; a member's feed carries none of them."""

from datetime import date, datetime

import pytest
import time_machine
from icalendar import Calendar

from meetings.deadlines import TZ
from meetings.models import CalendarToken
from meetings.tests.factories import schedule
from tests.calendar_clients import icaljs

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 1, 4, 10, 0, tzinfo=TZ)


def feed(user, client) -> bytes:
    token, _ = CalendarToken.objects.get_or_create(
        user=user, defaults={"token": user.email[:8] * 5}
    )
    with time_machine.travel(NOW, tick=False):
        response = client.get(f"/kalender/{token.token}.ics")
    assert response.status_code == 200
    return response.content


def all_day(body: bytes) -> dict[str, tuple]:
    """{summary: (start, end)} of the feed's all-day events."""
    return {
        str(e["SUMMARY"]): (e.decoded("DTSTART"), e.decoded("DTEND"))
        for e in Calendar.from_ical(body).walk("VEVENT")
        if not isinstance(e.decoded("DTSTART"), datetime)
    }


@pytest.fixture
def meeting(forums):
    with time_machine.travel(NOW, tick=False):
        # Samarbejdsforum on Sunday 14 February 2027: the agenda is due on Sunday 31 January.
        return schedule(forums["samarbejdsforum"], day=date(2027, 2, 14), now=NOW)


def test_the_secretariats_feed_carries_its_deadlines_as_all_day_events(
    meeting, secretariat_user, anonymous_client
):
    body = feed(secretariat_user, anonymous_client)
    events = all_day(body)
    agenda = next(s for s in events if s.startswith("Dagsorden senest"))
    assert events[agenda] == (date(2027, 1, 31), date(2027, 2, 1))
    assert "Samarbejdsforum" in agenda and "(handl senest 29.01.2027)" in agenda
    minutes = next(s for s in events if s.startswith("Referat senest"))
    assert events[minutes] == (date(2027, 2, 21), date(2027, 2, 22))
    # The proposal deadline is in the feed once, as the timed event every reader gets.
    assert not any(s.startswith("Frist for forslag") for s in events)
    read = {e["uid"]: e for e in icaljs(body)["events"]}
    assert meeting.uid in read and f"forslag-{meeting.uid}" in read
    assert sum(1 for e in read.values() if e["summary"] == agenda) == 1


def test_a_deadline_event_keeps_its_uid_when_the_meeting_moves(
    meeting, secretariat_user, anonymous_client
):
    from meetings import services
    from meetings.tests.factories import at

    def uids(body: bytes) -> set[str]:
        return {
            str(e["UID"])
            for e in Calendar.from_ical(body).walk("VEVENT")
            if str(e["UID"]).startswith("frist-")
        }

    before = uids(feed(secretariat_user, anonymous_client))
    with time_machine.travel(NOW, tick=False):
        day = date(2027, 2, 17)
        services.meeting_move(
            actor=secretariat_user,
            meeting=meeting,
            starts_at=at(day, 14),
            ends_at=at(day, 16),
            place="Rådhuset",
            now=NOW,
        )
    assert uids(feed(secretariat_user, anonymous_client)) == before != set()


def test_a_members_feed_carries_no_deadlines_of_the_secretariat(
    meeting, member_user, anonymous_client
):
    body = feed(member_user, anonymous_client)
    assert all_day(body) == {}
    assert b"frist-" not in body
    assert meeting.uid.encode() in body
