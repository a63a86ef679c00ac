"""Reads about meetings: who may see and do what, what is due, the timeline."""

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from core.grace import pending_text_public
from forums.models import Forum, Membership, Person, StandardAgendaItem
from forums.selectors import Reach, forum_people, forum_reach, forums_for_user
from meetings import deadlines
from meetings.models import (
    AgendaItem,
    AgendaVersion,
    Attachment,
    Attendance,
    Meeting,
    Presence,
    Proposal,
)
from notifications.models import OutboxMessage


def outbox_reach(forum: Forum, *, key: str, on: date) -> Reach:
    """Whom the messages written under `key` (one per person, keyed `<key>:<person id>`,
    see notifications.services.notify_people) reached among the forum's members on `on`:
    a row queued, sending or sent counts as reached, a failed row as failed, no row as a
    member without an address when it was sent."""
    members = forum_people(forum, on=on)
    status = {
        int(row_key.rsplit(":", 1)[1]): row_status
        for row_key, row_status in OutboxMessage.objects.filter(
            key__startswith=f"{key}:"
        ).values_list("key", "status")
    }
    failed = OutboxMessage.Status.FAILED
    return Reach(
        members=members,
        reached=[p for p in members if p.pk in status and status[p.pk] != failed],
        failed=[p for p in members if status.get(p.pk) == failed],
    )


@dataclass
class SentVersion:
    """An agenda version with whom its e-mails reached (None until they are written)."""

    version: AgendaVersion
    reach: Reach | None


def agenda_versions_sent(meeting: Meeting) -> list[SentVersion]:
    """The meeting's agenda versions, newest first, each with its reach among the members
    of the day it was e-mailed."""
    return [
        SentVersion(
            version=v,
            reach=outbox_reach(
                meeting.forum, key=f"agenda:{v.pk}", on=deadlines.local_day(v.distributed_at)
            )
            if v.distributed_at
            else None,
        )
        for v in meeting.versions.order_by("-number")
    ]


def failed_deliveries(meeting: Meeting) -> QuerySet[OutboxMessage]:
    """The meeting's e-mails the outbox gave up on (status failed), newest first."""
    return OutboxMessage.objects.filter(
        content_type=ContentType.objects.get_for_model(Meeting),
        object_id=str(meeting.pk),
        status=OutboxMessage.Status.FAILED,
    ).order_by("-created_at", "-id")


def secretariat_users() -> QuerySet[User]:
    return User.objects.filter(is_active=True, groups__name=settings.SECRETARIAT_GROUP).distinct()


def user_sees_forum(user, forum: Forum) -> bool:
    return any(f.pk == forum.pk for f in forums_for_user(user))


def meeting_for_member_or_404(user, pk: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("forum"), pk=pk)
    if not user.is_authenticated or not user_sees_forum(user, meeting.forum):
        raise Http404
    return meeting


# --- What the public sees ---------------------------------------------------------------
# Every public page, PDF, feed and sitemap entry about meetings reads through these.


def public_meetings() -> QuerySet[Meeting]:
    """Every meeting, with its forum: a meeting's time, place, title and status are public
    for all four forums (the public calendar feeds and the list of coming meetings show
    them). Its agenda and minutes are not: see public_agendas() and
    minutes.selectors.public_minutes()."""
    return Meeting.objects.select_related("forum")


def public_meeting_or_404(pk: int) -> Meeting:
    """The meeting `pk` as the public may see it; Http404 if there is none."""
    return get_object_or_404(public_meetings(), pk=pk)


def public_calendar(forum: Forum) -> QuerySet[Meeting]:
    """The meetings of the forum's public iCalendar feed (RFC 5545): all but archive
    entries, in order of time."""
    return public_meetings().filter(forum=forum, is_archive=False).order_by("starts_at")


def public_agendas() -> QuerySet[Meeting]:
    """Meetings whose agenda is published: the forum's rules make its agenda public
    (Partnerskabsforum), it has been sent, and the meeting is not cancelled."""
    return (
        public_meetings()
        .filter(forum__agenda_public=True, versions__isnull=False)
        .exclude(status=Meeting.Status.CANCELLED)
        .distinct()
        .order_by("starts_at")
    )


def public_agenda_visible(meeting: Meeting) -> bool:
    """Whether the meeting is among public_agendas() (one query)."""
    return public_agendas().filter(pk=meeting.pk).exists()


def public_agenda_version(meeting: Meeting) -> AgendaVersion | None:
    """The published version of the meeting's agenda (the latest sent), or None where the
    agenda is not public."""
    return released_versions(meeting).first() if public_agenda_visible(meeting) else None


def public_agenda_pending(meeting: Meeting) -> AgendaVersion | None:
    """The version waiting in its grace period, where the forum's agenda is public (its
    page then says when it goes out, as every page does); None otherwise. Its content is
    not shown: only public_agenda_version() is."""
    if not meeting.forum.agenda_public or meeting.is_archive:
        return None
    return version_in_grace(meeting)


def public_agenda_items(version: AgendaVersion | None) -> list[dict]:
    """The items of a published agenda version as the public sees them (snapshot dicts, as
    AgendaVersion.items): a closed item keeps its place and number and nothing else
    (core.closed_items.withhold_closed: "Punkt N: Lukket punkt"). `version` must come from
    public_agenda_version(); None gives []."""
    return version.public_items if version else []


def latest_version(meeting: Meeting) -> AgendaVersion | None:
    """The newest version, sent or still in its grace period (the secretariat's view)."""
    return meeting.versions.order_by("-number").first()


def released_versions(meeting: Meeting, now: datetime | None = None) -> QuerySet[AgendaVersion]:
    """The versions members and the public may see, newest first: those whose grace
    period has ended (or that had none). A version the secretariat can still undo is
    nobody else's business yet."""
    now = now or timezone.now()
    return meeting.versions.filter(Q(send_after__isnull=True) | Q(send_after__lte=now)).order_by(
        "-number"
    )


def proposals_open(meeting: Meeting, now: datetime | None = None) -> bool:
    """Open until the forum's proposal deadline, or, where it has none, until the agenda
    is sent; never for a cancelled, held or archived meeting."""
    now = now or timezone.now()
    if meeting.status != Meeting.Status.PLANNED or meeting.is_archive:
        return False
    if meeting.proposals_close_at is not None:
        return now <= meeting.proposals_close_at
    return now < meeting.starts_at


def proposals_closed_message(meeting: Meeting, now: datetime | None = None) -> str:
    """What the proposal form says once proposals have closed. An agenda sent before the
    proposal deadline closed them early: say so, never name a deadline still ahead."""
    now = now or timezone.now()
    if meeting.agenda_pending(now) and (
        meeting.proposals_close_at is None or now <= meeting.proposals_close_at
    ):
        return _("Agenda: %(pending)s. Proposals can no longer be made.") % {
            "pending": pending_text_public(meeting.agenda_sent_at)
        }
    if meeting.status == Meeting.Status.AGENDA_SENT and (
        meeting.proposals_close_at is None or now <= meeting.proposals_close_at
    ):
        return _("The agenda has been sent; proposals can no longer be made.")
    if meeting.proposals_close_at:
        day = date_format(timezone.localtime(meeting.proposals_close_at), "l j. F Y")
        return _("Proposals for this meeting closed at the end of %(day)s.") % {"day": day}
    return _("Proposals for this meeting closed when the agenda was sent.")


def items_missing_responsible(meeting: Meeting) -> list[AgendaItem]:
    """Substantive items that still need a responsible administration before the agenda can
    be sent, where the forum asks for one (procedural items such as "Eventuelt" need none)."""
    if not meeting.forum.item_requires_responsible:
        return []
    return list(meeting.items.filter(responsible__isnull=True, is_procedural=False))


def required_items_absent(meeting: Meeting) -> list[StandardAgendaItem]:
    """The forum's required standard items (Partnerskabsforum's status on the framework
    agreement and the area-based initiatives, MANDATES.md) that are not on this agenda,
    in the forum's order; the agenda is not sent while any is absent."""
    present = meeting.items.filter(standard_item__isnull=False).values("standard_item_id")
    return list(
        meeting.forum.standard_items.filter(required=True)
        .exclude(pk__in=present)
        .order_by("position")
    )


def may_propose(user, meeting: Meeting) -> bool:
    """The secretariat always; members of the forum where its rule lets members propose
    (Borgmesterforum's agenda is set by the secretariat)."""
    if not user.is_authenticated:
        return False
    if user.is_secretariat:
        return True
    if meeting.forum.proposers == Forum.Proposers.SECRETARIAT:
        return False
    return user_sees_forum(user, meeting.forum)


def upcoming_meetings(*, limit: int | None = None, forum: Forum | None = None) -> QuerySet[Meeting]:
    qs = public_meetings().filter(
        starts_at__gte=timezone.now(),
        status__in=[Meeting.Status.PLANNED, Meeting.Status.AGENDA_SENT],
    )
    if forum:
        qs = qs.filter(forum=forum)
    return qs[:limit] if limit else qs


def meeting_items(meeting: Meeting) -> QuerySet[AgendaItem]:
    return meeting.items.select_related(
        "responsible", "standard_item", "from_proposal__referred_from__meeting__forum"
    ).prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.all()),
        Prefetch("referrals", queryset=Proposal.objects.select_related("meeting__forum")),
    )


def proposals_to_decide(meeting: Meeting) -> QuerySet[Proposal]:
    return (
        meeting.proposals.filter(status=Proposal.Status.SUBMITTED)
        .select_related("proposer", "responsible", "referred_from__meeting__forum")
        .prefetch_related("attachments")
    )


@dataclass
class TimelineEntry:
    """One step of a meeting's cycle. `done` says the step happened (the agenda or minutes
    sent, the meeting held, the minutes approved); a step not done is `due` until its moment
    and `overdue` after it. `opens` is where a window starts (the comment window). A step
    whose send waits in its grace period is `scheduled`, leaving at `pending` (core.grace)."""

    key: str
    label: str
    moment: datetime
    non_working: bool
    holiday: str | None
    done: bool
    state: str = "due"
    opens: datetime | None = None
    pending: datetime | None = None

    @property
    def day(self) -> date:
        return deadlines.local_day(self.moment)

    @property
    def act_by(self) -> date:
        """The working day before, where the deadline falls on a day off."""
        return deadlines.act_by(self.day)


def _minutes_of(meeting: Meeting):
    """The meeting's minutes (minutes app, through the reverse relation), or None."""
    try:
        return meeting.minutes
    except ObjectDoesNotExist:
        return None


def _timeline_steps(meeting: Meeting, now: datetime) -> list[tuple]:
    """(key, label, moment, done, opens, pending) for each step known so far, in order.
    A send in its grace period (agenda_sent_at, the end of the grace period, still ahead)
    is not done: it is pending until then."""
    steps = []
    sent_at = meeting.agenda_sent_at
    agenda_out = sent_at is not None and sent_at <= now
    agenda_pending = sent_at if sent_at is not None and not agenda_out else None
    if meeting.proposals_close_at:
        # Done only when the sent agenda closed it; a deadline that merely passed is
        # `passed` (see meeting_timeline), not done.
        closed = meeting.proposals_close_at < now or agenda_out
        steps.append(
            (
                "proposals",
                _("Proposals close"),
                meeting.proposals_close_at,
                agenda_out,
                None,
                None if closed else agenda_pending,
            )
        )
    if meeting.agenda_due_at:
        steps.append(
            ("agenda", _("Agenda due"), meeting.agenda_due_at, agenda_out, None, agenda_pending)
        )
    steps.append(
        ("meeting", _("The meeting"), meeting.starts_at, meeting.starts_at < now, None, None)
    )
    minutes = _minutes_of(meeting)
    if meeting.minutes_due_at:
        minutes_sent_at = minutes.sent_at if minutes else None
        sent = minutes_sent_at is not None and minutes_sent_at <= now
        pending = minutes_sent_at if minutes_sent_at is not None and not sent else None
        steps.append(("minutes", _("Minutes due"), meeting.minutes_due_at, sent, None, pending))
    if minutes and minutes.comments_close_at:
        approved = minutes.approved_at is not None
        closes = minutes.comments_close_at
        steps.append(
            (
                "comments",
                _("Comment window"),
                closes,
                approved,
                minutes.sent_at,
                None,
            )
        )
        steps.append(
            ("approval", _("Final approval"), minutes.approved_at or closes, approved, None, None)
        )
    return steps


# Steps that end a window rather than ask for an act: when their moment passes without the
# act that closes them (the agenda sent, the minutes approved) they are `passed`, not overdue
# and never `done` (issue 13: a meeting called after its proposal deadline).
WINDOW_STEPS = frozenset({"proposals", "comments"})


def meeting_timeline(meeting: Meeting, *, now: datetime | None = None) -> list[TimelineEntry]:
    """The meeting's deadlines and steps, each marked done / scheduled / due / overdue /
    passed at `now`: proposals close, agenda due, the meeting, minutes due, and, once the
    minutes are sent, the comment window (sent → closes) and the final approval (MANDATES.md,
    "Deadlines"). `done` only when the thing happened; a deadline that simply went by is
    `overdue` (an act was due) or `passed` (a window, WINDOW_STEPS)."""
    now = now or timezone.now()
    result = []
    for key, label, moment, done, opens, pending in _timeline_steps(meeting, now):
        day = deadlines.local_day(moment)
        if done:
            state = "done"
        elif pending:
            state = "scheduled"
        elif moment >= now:
            state = "due"
        else:
            state = "passed" if key in WINDOW_STEPS else "overdue"
        result.append(
            TimelineEntry(
                key=key,
                label=label,
                moment=moment,
                non_working=key not in ("meeting", "approval") and deadlines.non_working_day(day),
                holiday=deadlines.holiday_name(day),
                done=done,
                state=state,
                opens=opens,
                pending=pending,
            )
        )
    return result


@dataclass
class YearCount:
    """Meetings planned or held (not cancelled) by `forum` in local calendar `year`,
    judged on `today`: too many is over the mandate's maximum; too few is short of its
    minimum by more than the part of the year left can still hold (`meetings_still_possible`)."""

    forum: Forum
    year: int
    planned: int
    today: date | None = None

    @property
    def too_many(self) -> bool:
        return self.planned > self.forum.meetings_per_year_max

    @property
    def still_needed(self) -> int:
        """Meetings missing to reach the mandate's minimum (0 when it is reached)."""
        return max(self.forum.meetings_per_year_min - self.planned, 0)

    @property
    def too_few(self) -> bool:
        today = self.today or timezone.localdate()
        return self.still_needed > meetings_still_possible(self.forum, self.year, today=today)

    @property
    def within_mandate(self) -> bool:
        return not (self.too_many or self.too_few)


def meetings_still_possible(forum: Forum, year: int, *, today: date) -> int:
    """How many more meetings the part of `year` left after `today` holds at the pace of
    the forum's minimum (issue 10 §5): the minimum times the share of the year's days still
    callable, rounded up — 0 for a past year, the whole minimum for a coming one. The days
    still callable start at the later of tomorrow and the earliest day with the forum's
    notice and, where the mandate names a quarter, lie within it."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    start = max(first, today + timedelta(days=1))
    earliest = deadlines.earliest_day_with_notice(forum, today)
    if earliest:
        start = max(start, earliest)
    if forum.required_quarter:
        q_first = date(year, 3 * forum.required_quarter - 2, 1)
        q_last = date(year, 3 * forum.required_quarter, 1) + relativedelta(months=1, days=-1)
        start, first, last = max(start, q_first), q_first, q_last
    if start > last:
        return 0
    share = ((last - start).days + 1) / ((last - first).days + 1)
    return math.ceil(forum.meetings_per_year_min * share)


def forum_year_counts(
    year: int, *, today: date | None = None, forum: Forum | None = None
) -> list[YearCount]:
    """Meetings planned or held per forum (or only `forum`) in `year`, against the forum's
    mandate as judged on `today` (default: the local date)."""
    today = today or timezone.localdate()
    counts = []
    forums = Forum.objects.order_by("position")
    for each in forums.filter(pk=forum.pk) if forum else forums:
        planned = (
            each.meetings.filter(starts_at__year=year)
            .exclude(status=Meeting.Status.CANCELLED)
            .count()
        )
        counts.append(YearCount(forum=each, year=year, planned=planned, today=today))
    return counts


def _mandate_words(forum: Forum, params: dict) -> str:
    low, high = forum.meetings_per_year_min, forum.meetings_per_year_max
    if low == high:
        return (
            ngettext(
                "%(forum)s now has %(count)d meetings in %(year)d; its terms of reference say "
                "exactly %(high)d meeting a year.",
                "%(forum)s now has %(count)d meetings in %(year)d; its terms of reference say "
                "exactly %(high)d meetings a year.",
                high,
            )
            % params
        )
    return (
        _(
            "%(forum)s now has %(count)d meetings in %(year)d; its terms of reference say "
            "%(low)d–%(high)d meetings a year."
        )
        % params
    )


def mandate_count_warning(forum: Forum, year: int, *, today: date | None = None) -> str | None:
    """A Danish sentence when `forum`'s meetings (planned or held, not cancelled) in local
    calendar `year` are more than its terms of reference allow, or fewer than the minimum
    by more than the part of the year left after `today` still holds
    (`meetings_still_possible`, issue 10 §5), naming the forum and the mandate in natural
    words ("præcis 1 møde om året", "4–6 møder om året"); else None."""
    today = today or timezone.localdate()
    (count,) = forum_year_counts(year, today=today, forum=forum)
    low, high = forum.meetings_per_year_min, forum.meetings_per_year_max
    params = {"forum": forum.name, "count": count.planned, "year": year, "low": low, "high": high}
    if count.too_many:
        return _mandate_words(forum, params)
    if not count.too_few:
        return None
    possible = meetings_still_possible(forum, year, today=today)
    params.update(missing=count.still_needed, possible=possible)
    if possible == 0:
        return (
            ngettext(
                "%(forum)s has %(count)d of at least %(low)d meeting in %(year)d: %(missing)d "
                "missing, and no more can be called in what is left of the year.",
                "%(forum)s has %(count)d of at least %(low)d meetings in %(year)d: %(missing)d "
                "missing, and no more can be called in what is left of the year.",
                low,
            )
            % params
        )
    return (
        ngettext(
            "%(forum)s has %(count)d of at least %(low)d meeting in %(year)d: %(missing)d "
            "missing, while what is left of the year holds about %(possible)d at the forum's pace.",
            "%(forum)s has %(count)d of at least %(low)d meetings in %(year)d: %(missing)d "
            "missing, while what is left of the year holds about %(possible)d at the forum's pace.",
            low,
        )
        % params
    )


def member_person(user) -> Person | None:
    return Person.objects.filter(user=user).first() if user.is_authenticated else None


def substitutes_for(person: Person, forum: Forum, *, on: date) -> list[Person]:
    """The substitutes of the seats `person` holds in the forum, or in the forum whose
    members it includes (a Styregruppe member's own substitute in Samarbejdsforum)."""
    forums = [forum, *([forum.includes_members_of] if forum.includes_members_of_id else [])]
    seats = (
        Membership.objects.current(on)
        .filter(person=person, forum__in=forums)
        .values_list("seat", flat=True)
    )
    return [
        m.person
        for m in Membership.objects.current(on)
        .filter(seat__in=seats, role=Membership.Role.SUBSTITUTE)
        .select_related("person")
    ]


def _in_items(attachment: Attachment, items: list[dict]) -> bool:
    return any(a["id"] == attachment.pk for item in items for a in item["attachments"])


def attachment_visible(user, attachment: Attachment) -> bool:
    """The secretariat sees every attachment; a proposer sees those of their proposal;
    members see those on an agenda sent to them; the public sees those of open items on
    a published public agenda."""
    meeting = (attachment.item or attachment.proposal).meeting
    if user.is_authenticated and user.is_secretariat:
        return True
    if (
        attachment.proposal_id
        and user.is_authenticated
        and attachment.proposal.proposer_id == user.pk
    ):
        return True
    if attachment.item_id is None:
        return False
    if user.is_authenticated and user_sees_forum(user, meeting.forum):
        return any(_in_items(attachment, v.items) for v in meeting.versions.all())
    return _in_items(attachment, public_agenda_items(public_agenda_version(meeting)))


def may_change_attachment(user, attachment: Attachment, *, now: datetime | None = None) -> bool:
    """Whether `user` may remove, replace or reorder the attachment (issue 13 §4): the
    secretariat while the meeting is planned or its agenda sent; the proposer, for the
    attachments of their own proposal, while it waits for a decision and proposals are
    open (proposals_open)."""
    meeting = (attachment.item or attachment.proposal).meeting
    if not user.is_authenticated:
        return False
    if user.is_secretariat:
        return meeting.is_active
    proposal = attachment.proposal
    return (
        proposal is not None
        and proposal.proposer_id == user.pk
        and proposal.status == Proposal.Status.SUBMITTED
        and proposals_open(meeting, now)
    )


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


def version_in_grace(meeting: Meeting, *, now: datetime | None = None) -> AgendaVersion | None:
    """The newest version while its send can still be undone (see AgendaVersion.in_grace)."""
    last = latest_version(meeting)
    return last if last and last.in_grace(now) else None


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


# --- The public archive (issue 14 §1) ------------------------------------------------------


def public_past_meetings(*, forum: Forum | None = None, now: datetime | None = None):
    """Meetings that have begun (held, cancelled or archive entries), newest first, from
    public_meetings(): their time, place, title and status are public for every forum."""
    qs = public_meetings().filter(starts_at__lt=now or timezone.now())
    if forum is not None:
        qs = qs.filter(forum=forum)
    return qs.order_by("-starts_at")


def public_archive_years(*, forum: Forum | None = None, now: datetime | None = None) -> list[int]:
    """The years with a past meeting (Copenhagen time), newest first."""
    return sorted(
        {
            timezone.localtime(m).year
            for m in public_past_meetings(forum=forum, now=now).values_list("starts_at", flat=True)
        },
        reverse=True,
    )


def public_archive_year(year: int, *, forum: Forum | None = None, now: datetime | None = None):
    """The past meetings of `year` (Copenhagen time), newest first, each annotated
    `agenda_public` (among public_agendas())."""
    from django.db.models import Exists, OuterRef

    start = datetime(year, 1, 1, tzinfo=timezone.get_current_timezone())
    end = datetime(year + 1, 1, 1, tzinfo=timezone.get_current_timezone())
    return (
        public_past_meetings(forum=forum, now=now)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .annotate(agenda_public=Exists(public_agendas().filter(pk=OuterRef("pk"))))
    )
