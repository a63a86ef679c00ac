"""iCalendar: the invitation that goes with the call, its updates and cancellations, and
the public and personal feeds. Only public information goes into a public feed."""

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from meetings.models import Meeting

PRODID = "-//Fællesindgang//Københavns Kommune//DA"


def _calendar(method: str | None = None, name: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal


def _event(
    meeting: Meeting, *, url: str, cancelled: bool = False, stamp: datetime | None = None
) -> Event:
    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", stamp or timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", meeting.display_title if meeting.title else f"Møde i {meeting.forum.name}")
    event.add("location", vText(meeting.place))
    event.add("url", url)
    event.add("description", f"{meeting.forum.name}\n{url}")
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.split('<')[-1].rstrip('>')}")
    organizer.params["cn"] = vText("Sekretariatet, Center for Bydesign")
    event.add("organizer", organizer)
    return event


def invitation_ics(meeting: Meeting, *, url: str) -> bytes:
    """REQUEST for a new or moved meeting (SEQUENCE grows on each move), CANCEL for a
    cancelled one; the UID stays the same, so calendars update the one event."""
    cancelled = meeting.status == Meeting.Status.CANCELLED
    cal = _calendar("CANCEL" if cancelled else "REQUEST")
    cal.add_component(_event(meeting, url=url, cancelled=cancelled))
    return cal.to_ical()


def feed_ics(meetings: Iterable[Meeting], *, name: str, url_for) -> bytes:
    cal = _calendar(name=name)
    for meeting in meetings:
        cal.add_component(
            _event(
                meeting, url=url_for(meeting), cancelled=meeting.status == Meeting.Status.CANCELLED
            )
        )
    return cal.to_ical()
