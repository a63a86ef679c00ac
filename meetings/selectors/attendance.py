"""selectors: Attendance."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from forums.models import Person
from forums.selectors import Reach, forum_people, forum_reach
from meetings.models import (
    AgendaItem,
    AgendaVersion,
    Attendance,
    Meeting,
    Presence,
)
from meetings.selectors._common import latest_version
from meetings.selectors.public import substitutes_for

# --- Attendance ---------------------------------------------------------------------------


@dataclass
class AttendanceRow:
    """One member of the forum on the meeting's day, for the secretariat: the member's own
    answer beforehand (`rsvp`, an Attendance or None when the member did not answer) kept
    apart from what the secretariat recorded (`presence`, a Presence or None), and the
    substitutes who may represent the member's seat."""

    person: Person
    rsvp: Attendance | None
    presence: Presence | None
    substitutes: list[Person]


def attendance_rows(meeting: Meeting) -> list[AttendanceRow]:
    """Every member of the forum on the meeting's day, by name (secretariat only: it shows
    the members' notes). Recorded rows of people no longer in the forum are appended so
    nothing recorded is hidden."""
    rsvps = {
        a.person_id: a
        for a in Attendance.objects.filter(meeting=meeting).select_related("substitute")
    }
    recorded = {
        p.person_id: p
        for p in Presence.objects.filter(meeting=meeting).select_related("person", "substitute")
    }
    members = forum_people(meeting.forum, on=meeting.day)
    known = {p.pk for p in members}
    people = members + [p.person for pid, p in recorded.items() if pid not in known]
    return [
        AttendanceRow(
            person=person,
            rsvp=rsvps.get(person.pk),
            presence=recorded.get(person.pk),
            substitutes=substitutes_for(person, meeting.forum, on=meeting.day),
        )
        for person in people
    ]


def recorded_presence(meeting: Meeting) -> QuerySet[Presence]:
    """The attendance the secretariat recorded, by name: what the minutes print."""
    return Presence.objects.filter(meeting=meeting).select_related("person", "substitute")


@dataclass
class SendPreview:
    """What pressing "send" on the agenda would do, for the confirmation page.

    `number`: the version it would become; `reach`: the members it is for and who of them
    has no address; `subject`: the e-mail's subject; `closes_proposals_early`: the
    forum's proposal deadline (`proposals_close_at`) is still ahead; `grace_minutes`: how
    long the send can be undone (settings.SEND_GRACE_MINUTES)."""

    meeting: Meeting
    number: int
    reach: Reach
    subject: str
    closes_proposals_early: bool
    grace_minutes: int


def agenda_send_preview(meeting: Meeting, *, now: datetime | None = None) -> SendPreview:
    from notifications.services import render_subject

    now = now or timezone.now()
    last = latest_version(meeting)
    number = last.number + 1 if last else 1
    kind = "agenda_sent" if number == 1 else "agenda_revised"
    preview = AgendaVersion(meeting=meeting, number=number)
    return SendPreview(
        meeting=meeting,
        number=number,
        reach=forum_reach(meeting.forum),
        subject=render_subject(
            kind, {"meeting": meeting, "forum": meeting.forum, "version": preview}
        ),
        closes_proposals_early=number == 1
        and meeting.proposals_close_at is not None
        and now <= meeting.proposals_close_at,
        grace_minutes=settings.SEND_GRACE_MINUTES,
    )


def item_delete_losses(item: AgendaItem) -> list[str]:
    """What deleting `item` destroys, in words for the confirmation page: its text, the
    attachments that go with it, and that a proposal it came from goes back to the list
    of proposals to decide (with the proposal's own files)."""
    losses = [
        _("The item »%(title)s« with its presentation and proposed decision.")
        % {"title": item.title}
    ]
    own = [
        a.name
        for a in item.attachments.all()
        if a.proposal_id != item.from_proposal_id or not item.from_proposal_id
    ]
    if own:
        losses.append(_("Its attachments: %(names)s.") % {"names": ", ".join(own)})
    if item.from_proposal_id:
        losses.append(
            _("The proposal it came from goes back to the proposals to decide, with its files.")
        )
    return losses


def public_changes_after(now: datetime) -> datetime | None:
    """The next moment after `now` at which a public meeting page changes by time alone
    (no service runs): a coming meeting starts (it leaves "coming meetings") or an agenda
    version's grace period ends (it becomes public). None if nothing is pending. Two
    indexed aggregate queries; core.cache_stamps keeps no copy beyond this moment."""
    starts = (
        Meeting.objects.filter(
            starts_at__gt=now, status__in=[Meeting.Status.PLANNED, Meeting.Status.AGENDA_SENT]
        )
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    released = (
        AgendaVersion.objects.filter(send_after__gt=now)
        .order_by("send_after")
        .values_list("send_after", flat=True)
        .first()
    )
    moments = [m for m in (starts, released) if m is not None]
    return min(moments) if moments else None
