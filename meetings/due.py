"""The meetings' deadlines in the secretariat's cockpit (core.due, issue 14 §3).

Three sources, each one query whatever the number of meetings (the forum comes with
`select_related`, the proposals are counted in the same query):

- "proposals_close": a planned meeting's proposal deadline (Partnerskabsforum and
  Samarbejdsforum, D − 21) still ahead: a window, so it is never overdue, and it goes once
  the agenda is sent (that closes the proposals) or the deadline has passed;
- "agenda_due": the agenda of a coming meeting not yet sent, due at D − 14 (D − 7 for
  Styregruppen); overdue after that until it is sent or the meeting has begun;
- "proposals_undecided": submitted proposals nobody has accepted, declined or moved, due
  when the agenda is due (they must be decided before it is sent: `agenda_send_check`).
"""

from collections.abc import Iterator
from datetime import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.due import DueItem
from meetings import deadlines
from meetings.models import Meeting, Proposal


def meeting_label(meeting: Meeting) -> str:
    """The meeting as the cockpit names it: "Samarbejdsforum, 10. marts 2027 kl. 14:00"
    (the meeting's own title where it has one). Costs no query."""
    starts = date_format(deadlines.local_day(meeting.starts_at), "j. F Y")
    clock = meeting.starts_at.astimezone(deadlines.TZ).strftime("%H:%M")
    return f"{meeting.display_title}, {starts} kl. {clock}"


def meeting_item(
    meeting: Meeting, *, kind: str, label, due: datetime, url: str, **extra
) -> DueItem:
    """A DueItem for a deadline of `meeting` (forum and meeting filled in; `act_on` the
    working day to act on: `deadlines.act_by`)."""
    return DueItem(
        kind=kind,
        label=str(label),
        due=due,
        act_on=deadlines.act_by(deadlines.local_day(due)),
        url=url,
        forum_name=meeting.forum.name,
        meeting_label=meeting_label(meeting),
        forum_id=meeting.forum_id,
        **extra,
    )


def _coming(now: datetime):
    """Planned meetings still ahead (a sent agenda makes a meeting AGENDA_SENT)."""
    return Meeting.objects.filter(
        is_archive=False, status=Meeting.Status.PLANNED, starts_at__gt=now
    ).select_related("forum")


def proposals_closing(*, now: datetime, until: datetime) -> Iterator[DueItem]:
    """Planned meetings whose proposal deadline lies in (now, until]."""
    meetings = _coming(now).filter(proposals_close_at__gt=now, proposals_close_at__lte=until)
    for meeting in meetings:
        yield meeting_item(
            meeting,
            kind="proposals_close",
            label=_("Proposals close"),
            due=meeting.proposals_close_at,
            url=reverse("meetings:workspace", args=[meeting.pk]),
            rule=_("%(days)d days before the meeting")
            % {"days": meeting.forum.proposal_deadline_days},
        )


def agendas_due(*, now: datetime, until: datetime) -> Iterator[DueItem]:
    """Coming meetings whose agenda is unsent and due at or before `until` (overdue too)."""
    meetings = _coming(now).filter(agenda_due_at__lte=until)
    for meeting in meetings:
        yield meeting_item(
            meeting,
            kind="agenda_due",
            label=_("Agenda due"),
            due=meeting.agenda_due_at,
            url=reverse("meetings:send", args=[meeting.pk]),
            rule=_("%(days)d days before the meeting")
            % {"days": meeting.forum.agenda_deadline_days},
        )


def proposals_undecided(*, now: datetime, until: datetime) -> Iterator[DueItem]:
    """Coming meetings (planned or with the agenda sent) with submitted proposals still
    undecided, dated by the agenda deadline; one item per meeting with the count."""
    submitted = Q(proposals__status=Proposal.Status.SUBMITTED)
    meetings = (
        Meeting.objects.filter(
            is_archive=False,
            status__in=[Meeting.Status.PLANNED, Meeting.Status.AGENDA_SENT],
            starts_at__gt=now,
            agenda_due_at__lte=until,
        )
        .annotate(undecided=Count("proposals", filter=submitted))
        .filter(undecided__gt=0)
        .select_related("forum")
    )
    for meeting in meetings:
        yield meeting_item(
            meeting,
            kind="proposals_undecided",
            label=_("Proposals awaiting a decision"),
            due=meeting.agenda_due_at,
            url=reverse("meetings:workspace", args=[meeting.pk]) + "#proposals-heading",
            rule=_("Decided before the agenda is sent"),
            detail=ngettext("%(count)d proposal", "%(count)d proposals", meeting.undecided)
            % {"count": meeting.undecided},
        )


def register() -> None:
    from core.due import due_source_register

    due_source_register("proposals_close", proposals_closing)
    due_source_register("agenda_due", agendas_due)
    due_source_register("proposals_undecided", proposals_undecided)
