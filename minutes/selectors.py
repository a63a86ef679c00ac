"""Reads about minutes: who may see and do what, the members' states, the register."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext

from forums.models import Forum, Person
from forums.selectors import Reach, forums_for_user
from meetings.deadlines import local_day
from meetings.models import Meeting
from meetings.selectors import forum_people, latest_version, outbox_reach, recorded_presence
from minutes.models import Comment, FollowUpAction, Minutes, MinutesItem, MinutesVersion, Receipt


def window_open(minutes: Minutes, now: datetime | None = None) -> bool:
    """True while members may comment: from the send time (`sent_at`, the end of the grace
    period) to the end of the window (`comments_close_at`)."""
    now = now or timezone.now()
    return (
        minutes.status == Minutes.Status.SENT
        and now <= minutes.comments_close_at
        and not first_send_pending(minutes, now)
    )


def first_send_pending(minutes: Minutes, now: datetime | None = None) -> bool:
    """True while the first version's send waits in its grace period (core/grace.py)."""
    from core.grace import in_grace

    first = minutes.versions.filter(number=1, is_final=False).only("send_after").first()
    return bool(first and in_grace(first.send_after, now))


def released(minutes: Minutes, now: datetime | None = None) -> bool:
    """True once members may read the minutes: approved, or sent and the grace period
    over (sent_at)."""
    if minutes.status == Minutes.Status.APPROVED:
        return True
    return minutes.status != Minutes.Status.DRAFT and not first_send_pending(minutes, now)


def version_in_grace(minutes: Minutes, now: datetime | None = None) -> MinutesVersion | None:
    """The newest draft version while its send can still be undone (core/grace.py)."""
    from core.grace import in_grace

    last = minutes.versions.filter(is_final=False).order_by("-number").first()
    return last if last and in_grace(last.send_after, now) else None


def current_version(minutes: Minutes) -> MinutesVersion | None:
    return minutes.versions.order_by("-is_final", "-number").first()


def final_version(minutes: Minutes) -> MinutesVersion | None:
    return minutes.versions.filter(is_final=True).first()


def _attendance_row(p) -> dict:
    return {
        "name": p.person.name,
        "status": p.status,
        "status_label": p.label,
        "represented_by": p.substitute.name if p.substitute else "",
    }


def minutes_attendance(meeting: Meeting) -> list[dict]:
    """The attendance the minutes print: what the secretariat recorded (meetings.Presence),
    never a member's own answer (RSVP); one dict per person by name with `name`, `status`
    (a PresenceStatus value), `status_label` and `represented_by` (a name or "")."""
    return [_attendance_row(p) for p in recorded_presence(meeting)]


def minutes_attendance_many(meeting_ids: list[int]) -> dict[int, list[dict]]:
    """minutes_attendance for many meetings in one query: {meeting id: its rows}, in the
    same order (by name); a meeting without recorded attendance maps to []."""
    from meetings.models import Presence

    found: dict[int, list[dict]] = {pk: [] for pk in meeting_ids}
    rows = Presence.objects.filter(meeting_id__in=meeting_ids).select_related(
        "person", "substitute"
    )
    for p in rows:
        found[p.meeting_id].append(_attendance_row(p))
    return found


def attendance_shown(minutes: Minutes, version: MinutesVersion | None) -> list[dict]:
    """The attendance to print with `version` (issue 13 §3): until the minutes are approved,
    what is recorded now (attendance may be recorded after the minutes were sent); once
    approved, what the version froze (the final version froze it at approval)."""
    if minutes.status == Minutes.Status.APPROVED:
        return version.snapshot.get("attendance", []) if version else []
    return minutes_attendance(minutes.meeting)


def attendance_frozen_reason(meeting: Meeting) -> str | None:
    """A check for core.record_locks: the recorded attendance is frozen with the approved
    minutes. Inside a transaction the minutes row is locked, so a recording and the
    approval (minutes_approve) cannot interleave."""
    rows = Minutes.objects.filter(meeting=meeting)
    if transaction.get_connection().in_atomic_block:
        rows = rows.select_for_update()
    status = rows.values_list("status", flat=True).first()
    if status == Minutes.Status.APPROVED:
        return gettext(
            "The minutes are approved: the attendance recorded with them cannot be changed."
        )
    return None


@dataclass
class SentMinutesVersion:
    """A version of the minutes with whom its e-mails reached (None: not e-mailed yet,
    or the final version, which goes out with the approval notice)."""

    version: MinutesVersion
    reach: Reach | None


def minutes_versions_sent(minutes: Minutes) -> list[SentMinutesVersion]:
    """The versions in order, each draft with its reach among the members of the day it
    was e-mailed (see meetings.selectors.outbox_reach)."""
    forum = minutes.meeting.forum
    return [
        SentMinutesVersion(
            version=v,
            reach=outbox_reach(forum, key=f"minutes:{v.pk}", on=local_day(v.distributed_at))
            if v.distributed_at and not v.is_final
            else None,
        )
        for v in minutes.versions.order_by("number", "is_final")
    ]


def minutes_items(minutes: Minutes) -> QuerySet[MinutesItem]:
    return minutes.items.order_by("position").prefetch_related(
        Prefetch("actions", queryset=FollowUpAction.objects.select_related("responsible")),
        Prefetch("comments", queryset=Comment.objects.select_related("author")),
    )


def proposed_decisions(minutes: Minutes) -> dict[int, str]:
    """{minutes item id: the agenda's proposed decision ("Indstilling")} for the editor: the
    text of the agenda as last sent (what the members read), else as it stands now; items
    without one are left out."""
    version = latest_version(minutes.meeting)
    sent = {i["id"]: i.get("recommendation", "") for i in version.items} if version else {}
    result = {}
    for item in minutes.items.select_related("agenda_item"):
        text = sent.get(item.agenda_item_id) if version else None
        if text is None and item.agenda_item:
            text = item.agenda_item.recommendation
        if text:
            result[item.pk] = text
    return result


@dataclass
class MemberState:
    person: Person
    opened: bool
    commented: bool
    no_remarks: bool

    @property
    def key(self) -> str:
        if self.commented:
            return "commented"
        if self.no_remarks:
            return "no_remarks"
        return "opened" if self.opened else "not_opened"


def member_states(minutes: Minutes) -> list[MemberState]:
    receipts = {r.person_id: r for r in minutes.receipts.all()}
    commenters = set(minutes.comments.values_list("author_id", flat=True))
    return [
        MemberState(
            person=person,
            opened=bool(receipts.get(person.pk) and receipts[person.pk].opened_at),
            commented=person.pk in commenters,
            no_remarks=bool(receipts.get(person.pk) and receipts[person.pk].no_remarks_at),
        )
        for person in forum_people(minutes.meeting.forum)
    ]


def silent_members(minutes: Minutes) -> list[Person]:
    """Members who have neither commented nor marked "no remarks"."""
    return [s.person for s in member_states(minutes) if not s.commented and not s.no_remarks]


def undisposed_comments(minutes: Minutes) -> QuerySet[Comment]:
    return minutes.comments.filter(disposition="").select_related("author", "item")


def minutes_items_many(minutes_ids: list[int]) -> dict[int, list[MinutesItem]]:
    """minutes_items for many sets of minutes in a constant number of queries: {minutes
    id: its items by position, their actions and comments prefetched}."""
    found: dict[int, list[MinutesItem]] = {pk: [] for pk in minutes_ids}
    items = (
        MinutesItem.objects.filter(minutes_id__in=minutes_ids)
        .order_by("minutes_id", "position")
        .prefetch_related(
            Prefetch("actions", queryset=FollowUpAction.objects.select_related("responsible")),
            Prefetch("comments", queryset=Comment.objects.select_related("author")),
        )
    )
    for item in items:
        found[item.minutes_id].append(item)
    return found


def undisposed_comments_many(minutes_ids: list[int]) -> dict[int, list[Comment]]:
    """undisposed_comments for many sets of minutes in one query: {minutes id: comments}."""
    found: dict[int, list[Comment]] = {pk: [] for pk in minutes_ids}
    for comment in Comment.objects.filter(
        minutes_id__in=minutes_ids, disposition=""
    ).select_related("author", "item"):
        found[comment.minutes_id].append(comment)
    return found


# --- What the public sees ---------------------------------------------------------------
# Every public page, PDF, feed and sitemap entry about minutes and decisions reads
# through these. The forum rules (MANDATES.md): only Partnerskabsforum's approved minutes
# are public (Forum.approved_minutes_public), never a draft or sent version, never a
# closed item.


def public_minutes() -> QuerySet[Minutes]:
    """Finally approved minutes of the forums whose approved minutes are public, in order
    of the meeting's time."""
    return (
        Minutes.objects.filter(
            meeting__forum__approved_minutes_public=True, status=Minutes.Status.APPROVED
        )
        .select_related("meeting__forum")
        .order_by("meeting__starts_at")
    )


def public_minutes_for(meeting: Meeting) -> Minutes | None:
    """The meeting's minutes if the public may read them, else None."""
    return public_minutes().filter(meeting=meeting).first()


def public_minutes_items(minutes: Minutes | None) -> list[dict]:
    """The items of the final (approved) version of public minutes (snapshot dicts, as
    MinutesVersion.items), a closed item reduced to its number (withhold_closed). `minutes` must come from
    public_minutes(); None gives []."""
    final = final_version(minutes) if minutes else None
    return final.public_items if final else []


def public_decisions() -> QuerySet[MinutesItem]:
    """Decisions the public may read: the non-empty decisions of open items in public
    minutes, newest meeting first."""
    return (
        MinutesItem.objects.filter(minutes__in=public_minutes(), is_closed=False)
        .exclude(decision="")
        .select_related("minutes__meeting__forum")
        .order_by("-minutes__meeting__starts_at", "position")
    )


def actions_register(
    *,
    forums: list[Forum],
    forum: Forum | None = None,
    responsible=None,
    status: str = "",
    due_before: date | None = None,
    overdue: bool = False,
):
    # A draft's actions are not shown: members cannot see draft minutes.
    qs = (
        FollowUpAction.objects.filter(item__minutes__meeting__forum__in=forums)
        .exclude(item__minutes__status=Minutes.Status.DRAFT)
        .select_related("responsible", "item__minutes__meeting__forum", "item__agenda_item")
    )
    if forum:
        qs = qs.filter(item__minutes__meeting__forum=forum)
    if responsible:
        qs = qs.filter(responsible=responsible)
    if status:
        qs = qs.filter(status=status)
    if due_before:
        qs = qs.filter(due_on__lte=due_before)
    if overdue:
        qs = qs.filter(due_on__lt=timezone.localdate()).exclude(status=FollowUpAction.Status.DONE)
    return qs.order_by("due_on", "pk")


def decisions(*, forums: list[Forum], forum: Forum | None = None):
    qs = (
        MinutesItem.objects.filter(minutes__meeting__forum__in=forums)
        .exclude(decision="")
        .exclude(minutes__status=Minutes.Status.DRAFT)
        .select_related("minutes__meeting__forum")
        .prefetch_related("actions__responsible")
    )
    if forum:
        qs = qs.filter(minutes__meeting__forum=forum)
    return qs.order_by("-minutes__meeting__starts_at", "position")


def decision_counts(meeting_ids: list[int], *, now: datetime | None = None) -> dict[int, int]:
    """{meeting id: the number of decisions in its minutes as members may read them} for
    the meetings `meeting_ids` (one query): non-empty decisions of sent or approved
    minutes whose first send is out of its grace period (`released`). Only for meetings of
    forums the reader sits in: members read their forums' whole record (issue 14 §1)."""
    now = now or timezone.now()
    in_grace = MinutesVersion.objects.filter(
        minutes=OuterRef("minutes"), number=1, is_final=False, send_after__gt=now
    )
    rows = (
        MinutesItem.objects.filter(minutes__meeting__in=meeting_ids)
        .exclude(minutes__status=Minutes.Status.DRAFT)
        .exclude(decision="")
        .exclude(Exists(in_grace))
        .values("minutes__meeting")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {row["minutes__meeting"]: row["count"] for row in rows}


def open_actions(forum: Forum) -> QuerySet[FollowUpAction]:
    return (
        FollowUpAction.objects.filter(item__minutes__meeting__forum=forum)
        .exclude(status=FollowUpAction.Status.DONE)
        .exclude(item__minutes__status=Minutes.Status.DRAFT)
        .select_related("responsible")
        .order_by("due_on", "pk")
    )


def updatable_actions(user, actions) -> set[int]:
    """The pks of the actions among `actions` whose status `user` may change: every one
    for the secretariat; for anyone else, those of sent or approved minutes of a forum
    they sit in now (directly or through an included forum) whose responsible
    organisation (an administration or a housing organisation) is their own
    (Person.organisation). `actions` should
    select_related("item__minutes__meeting") to avoid a query per action."""
    if not user.is_authenticated:
        return set()
    if user.is_secretariat:
        return {a.pk for a in actions}
    organisation = (
        Person.objects.filter(user=user).values_list("organisation_id", flat=True).first()
    )
    if organisation is None:
        return set()
    forums = {f.pk for f in forums_for_user(user)}
    return {
        a.pk
        for a in actions
        if a.responsible_id == organisation
        and a.item.minutes.meeting.forum_id in forums
        and a.item.minutes.status != Minutes.Status.DRAFT
    }


def may_update_action(user, action: FollowUpAction) -> bool:
    """updatable_actions() for one action (the service's own check)."""
    return action.pk in updatable_actions(user, [action])


def action_for_status_update_or_404(user, pk: int) -> FollowUpAction:
    """The follow-up action `pk` if `user` may change its status (updatable_actions);
    Http404 otherwise, so that nobody learns of an action they may not touch."""
    action = get_object_or_404(
        FollowUpAction.objects.select_related("item__minutes__meeting__forum"), pk=pk
    )
    if action.pk not in updatable_actions(user, [action]):
        raise Http404
    return action


def receipt_for(minutes: Minutes, person: Person) -> Receipt | None:
    return minutes.receipts.filter(person=person).first()


def empty_items(minutes: Minutes) -> list[MinutesItem]:
    """Items with neither a summary nor a decision (blank or whitespace only), by number:
    sending them needs an explicit second confirmation (issue 13 §2)."""
    return [
        item
        for item in minutes.items.order_by("position", "pk")
        if not item.summary.strip() and not item.decision.strip()
    ]
