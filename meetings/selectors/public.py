"""selectors: What the public sees."""

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.grace import pending_text_public
from forums.models import Forum, Membership, Person, StandardAgendaItem
from meetings import deadlines
from meetings.models import (
    AgendaItem,
    AgendaVersion,
    Attachment,
    Meeting,
    Proposal,
)
from meetings.selectors._common import user_sees_forum, version_in_grace

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
