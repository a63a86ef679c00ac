"""iCalendar: the invitation that goes with the call, its updates and cancellations, and
the public and personal feeds. Only public information goes into a public feed.

What every object here carries, and why:

- times as local wall-clock with `TZID=Europe/Copenhagen` (TIME_ZONE) and a `VTIMEZONE`
  for every TZID used (RFC 5545 §3.6.5: without it ical.js, Thunderbird's parser, reads the
  time as floating). The VTIMEZONE is generated from zoneinfo by icalendar for the years
  the events span, with each `RDATE` written as a property of its own: ical.js reads a
  multi-valued RDATE as its first value only, which puts every summer after the first an
  hour off;
- invitations (RFC 5546 iTIP): `METHOD:REQUEST` for a new or moved meeting, `CANCEL` for a
  cancelled one, one UID for the meeting's whole life, SEQUENCE growing with each change;
  the ORGANIZER is the secretariat's mailbox (SECRETARIAT_EMAIL) and the one ATTENDEE the
  recipient (`ROLE=REQ-PARTICIPANT`, `RSVP=FALSE`: replies are not handled);
- feeds: `REFRESH-INTERVAL` (RFC 7986) and `X-PUBLISHED-TTL`, and a DTSTAMP/LAST-MODIFIED
  that is the time the event last changed (scheduled, moved, cancelled), so a client sees
  an unchanged event as unchanged and the body, hence its ETag, is stable;
- the personal feed: the member's alarms (`User.calendar_reminders`) and the proposal
  deadline and the end of the comment window of their forums' meetings as events.
"""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event, Timezone, vCalAddress, vDuration, vText

from core.contributions import contributions
from core.models import AuditEntry
from meetings.models import Meeting

PRODID = "-//Fællesindgang//Københavns Kommune//DA"
# How often a subscribed client should fetch a feed again (RFC 7986 REFRESH-INTERVAL, and
# X-PUBLISHED-TTL for Outlook); also the feeds' Cache-Control max-age.
REFRESH = timedelta(hours=1)
# The audit actions that change what a meeting's calendar event says.
EVENT_CHANGES = ("meeting.schedule", "meeting.move", "meeting.cancel")
# Alarm choices (User.calendar_reminders) → how long before the event each alarm rings.
REMINDER_OFFSETS = {
    "none": (),
    "hour": (timedelta(hours=1),),
    "day": (timedelta(days=1),),
    "both": (timedelta(days=1), timedelta(hours=1)),
}


@dataclass(frozen=True)
class Recipient:
    """The one ATTENDEE of an invitation: an e-mail address and the name to show."""

    email: str
    name: str = ""


def _local(moment: datetime) -> datetime:
    """An aware datetime in TIME_ZONE, whole seconds (iCalendar has no fractions); in UTC
    instead when the local wall-clock time occurs twice (the autumn hour): RFC 5545
    §3.3.5 reads an ambiguous local time as its first occurrence, so a 02:30 CET meeting
    written as local time would land an hour early in every client."""
    local = timezone.localtime(moment).replace(microsecond=0)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return _utc(moment)
    return local


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


def _address(email: str, name: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = vText(name)
    return address


def organizer() -> vCalAddress:
    """The secretariat's real mailbox (SECRETARIAT_EMAIL, "Name <address>" or an address)."""
    name, email = parseaddr(settings.SECRETARIAT_EMAIL)
    return _address(email, name or "Sekretariatet, Center for Bydesign")


def attendee(recipient: Recipient) -> vCalAddress:
    """ATTENDEE of one recipient (RFC 5545 §3.8.4.1): a required participant from whom no
    reply is asked."""
    address = _address(recipient.email, recipient.name)
    address.params["CUTYPE"] = "INDIVIDUAL"
    address.params["ROLE"] = "REQ-PARTICIPANT"
    address.params["PARTSTAT"] = "NEEDS-ACTION"
    address.params["RSVP"] = "FALSE"
    return address


def vtimezone(tzid: str, first: date, last: date) -> Timezone:
    """The VTIMEZONE of `tzid` from zoneinfo, valid from `first` to `last`, with one RDATE
    property per value (ical.js reads only the first value of a multi-valued RDATE)."""
    generated = Timezone.from_tzid(tzid, first_date=first, last_date=last)
    for observance in generated.subcomponents:
        rdates = observance.pop("RDATE", None)
        if rdates is None:
            continue
        for rdate in rdates if isinstance(rdates, list) else [rdates]:
            for moment in rdate.dts:
                observance.add("RDATE", moment.dt)
        observance.pop("COMMENT", None)
    generated.pop("COMMENT", None)
    return generated


def _calendar(method: str | None = None, name: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("name", name)
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", settings.TIME_ZONE)
        cal.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", vDuration(REFRESH))
    return cal


def _finish(cal: Calendar, events: list[Event]) -> bytes:
    """Add the VTIMEZONEs the events use (for the years they span) and the events."""
    starts = [e.decoded("DTSTART") for e in events]
    if starts:
        first = date(min(s.year for s in starts) - 1, 1, 1)
        last = date(max(s.year for s in starts) + 2, 1, 1)
        for event in events:
            cal.add_component(event)
        for tzid in sorted(cal.get_used_tzids()):
            cal.add_component(vtimezone(tzid, first, last))
    return cal.to_ical()


def _alarms(event: Event, reminders: str, what: str) -> None:
    for before in REMINDER_OFFSETS.get(reminders, ()):
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", what)
        alarm.add("trigger", -before)
        event.add_component(alarm)


def _meeting_event(meeting: Meeting, *, url: str, stamp: datetime) -> Event:
    cancelled = meeting.status == Meeting.Status.CANCELLED
    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", _utc(stamp))
    event.add("dtstart", _local(meeting.starts_at))
    event.add("dtend", _local(meeting.ends_at))
    event.add("summary", meeting.display_title if meeting.title else f"Møde i {meeting.forum.name}")
    event.add("location", vText(meeting.place))
    event.add("url", url)
    event.add("description", f"{meeting.forum.name}\n{url}")
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    event.add("organizer", organizer())
    return event


def invitation_method(meeting: Meeting) -> str:
    """ "CANCEL" for a cancelled meeting, otherwise "REQUEST" (RFC 5546 §3.2)."""
    return "CANCEL" if meeting.status == Meeting.Status.CANCELLED else "REQUEST"


def invitation_ics(
    meeting: Meeting, *, url: str, recipient: Recipient, now: datetime | None = None
) -> bytes:
    """The iTIP object sent to one `recipient` (UTF-8 bytes): REQUEST for a new or moved
    meeting (SEQUENCE grows on each move), CANCEL for a cancelled one (RFC 5546 §3.2.2 and
    §3.2.5); the UID stays the same, so calendars update the one event. DTSTAMP is `now`
    (when the object was made)."""
    cal = _calendar(invitation_method(meeting))
    event = _meeting_event(meeting, url=url, stamp=now or timezone.now())
    event.add("attendee", attendee(recipient))
    return _finish(cal, [event])


def with_changed_at(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """`meetings` annotated with `calendar_changed_at`: when its event last changed (the
    newest audit entry that scheduled, moved or cancelled it; its creation otherwise)."""
    changes = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Meeting),
        object_id=Cast(OuterRef("pk"), CharField()),
        action__in=EVENT_CHANGES,
    ).order_by("-created_at")
    return meetings.annotate(
        calendar_changed_at=Coalesce(Subquery(changes.values("created_at")[:1]), "created_at")
    )


def _changed_at(meeting: Meeting) -> datetime:
    return getattr(meeting, "calendar_changed_at", None) or meeting.created_at


@dataclass(frozen=True)
class Feed:
    """A feed as served: the body (UTF-8 bytes), a strong ETag of it, and the time its
    newest event last changed (None for an empty feed)."""

    body: bytes
    etag: str
    last_modified: datetime | None


def _feed(cal: Calendar, events: list[Event], stamps: list[datetime]) -> Feed:
    body = _finish(cal, events)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    return Feed(body=body, etag=etag, last_modified=max(stamps) if stamps else None)


def feed_ics(meetings: Iterable[Meeting], *, name: str, url_for: Callable[[Meeting], str]) -> Feed:
    """A public or personal feed of `meetings` (best annotated by `with_changed_at`)."""
    meetings = list(meetings)
    events = [_meeting_event(m, url=url_for(m), stamp=_changed_at(m)) for m in meetings]
    return _feed(_calendar(name=name), events, [_changed_at(m) for m in meetings])


def _deadline_event(*, uid: str, summary: str, at: datetime, url: str, stamp: datetime) -> Event:
    """A deadline as a moment (DTSTART without DTEND: RFC 5545 §3.6.1, it ends as it
    starts), marked free time so that it blocks nothing."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", _utc(stamp))
    event.add("dtstart", _local(at))
    event.add("summary", summary)
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    return event


# Deadlines the personal feed carries for every reader already (see personal_feed_ics):
# the secretariat's deadline events leave them out rather than show them twice.
FEED_HAS_ALREADY = frozenset({"proposals_close", "comment_window_closes"})


def due_event(item, *, url: str) -> Event:
    """A deadline of the secretariat (core.due.DueItem) as an all-day event on the
    deadline's local day (RFC 5545 §3.6.1: DTSTART;VALUE=DATE, DTEND the next day), free
    time; its UID stays the same while the deadline moves (kind, place and forum). The
    summary names the working day to act on when the day is a weekend or holiday."""
    from meetings.deadlines import local_day

    day = local_day(item.due)
    summary = item.label
    if item.forum_name:
        summary += f" – {item.forum_name}"
    if item.meeting_label or item.detail:
        summary += f": {item.meeting_label or item.detail}"
    if item.act_on != day:
        summary += " " + _("(act by %(day)s)") % {"day": item.act_on.strftime("%d.%m.%Y")}
    key = f"{item.kind}|{item.url}|{item.forum_id}"
    event = Event()
    event.add("uid", f"frist-{hashlib.sha256(key.encode()).hexdigest()[:24]}@faellesindgang")
    event.add("dtstamp", _utc(item.due))
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    if item.rule:
        event.add("description", item.rule)
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    event.add("categories", ["Frist"])
    return event


def personal_feed_ics(
    meetings: Iterable[Meeting],
    *,
    name: str,
    url_for: Callable[[Meeting], str],
    reminders: str = "none",
    due: Iterable = (),
    due_url: Callable[[str], str] = str,
) -> Feed:
    """The member's feed: their forums' meetings; for each meeting not cancelled, the
    proposal deadline (where the forum has one) and the end of the minutes' comment window
    (once the minutes are sent) as events of their own; and on every event not cancelled
    the alarms `reminders` asks for (a key of REMINDER_OFFSETS). For the secretariat,
    `due` (core.due.DueItem) adds its deadlines as all-day events (`due_event`; `due_url`
    makes a site path absolute), except those the feed has already (FEED_HAS_ALREADY)."""
    meetings = list(meetings)
    events: list[Event] = [
        due_event(item, url=due_url(item.url)) for item in due if item.kind not in FEED_HAS_ALREADY
    ]
    stamps: list[datetime] = []
    for meeting in meetings:
        url, stamp = url_for(meeting), _changed_at(meeting)
        event = _meeting_event(meeting, url=url, stamp=stamp)
        stamps.append(stamp)
        events.append(event)
        if meeting.status == Meeting.Status.CANCELLED:
            continue
        _alarms(event, reminders, str(event["SUMMARY"]))
        if meeting.proposals_close_at:
            summary = _("Proposals close for the meeting of %(forum)s") % {
                "forum": meeting.forum.name
            }
            deadline = _deadline_event(
                uid=f"forslag-{meeting.uid}",
                summary=summary,
                at=meeting.proposals_close_at,
                url=url,
                stamp=stamp,
            )
            deadline.add("sequence", meeting.sequence)
            _alarms(deadline, reminders, summary)
            events.append(deadline)
    by_meeting = {m.pk: m for m in meetings}
    # Deadlines other apps own (the minutes' comment window), through core/contributions.py.
    for contributor in contributions("personal_feed_deadlines"):
        for entry in contributor(meetings):
            meeting = by_meeting[entry["meeting_id"]]
            if meeting.status == Meeting.Status.CANCELLED:
                continue
            deadline = _deadline_event(
                uid=entry["uid"],
                summary=entry["summary"],
                at=entry["at"],
                url=url_for(meeting),
                stamp=entry["stamp"],
            )
            _alarms(deadline, reminders, entry["summary"])
            stamps.append(entry["stamp"])
            events.append(deadline)
    return _feed(_calendar(name=name), events, stamps)
