"""The member's own page, `/konto/` (issue 14 §5): what is theirs to read and to do.

Everything is read for the signed-in user only, through the forums they may see
(`forums.selectors.forums_for_user`: their own forums and those that include them; every
forum for the secretariat), so a forum they do not sit in never appears. The number of
queries does not grow with the number of meetings, minutes, proposals or actions.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import BooleanField, Exists, OuterRef, Prefetch, Value
from django.utils import timezone

from forums.models import Forum, Person
from forums.selectors import forums_for_user
from meetings.models import Attendance, Meeting, Proposal
from meetings.selectors import proposals_open
from minutes.models import Comment, FollowUpAction, Minutes, MinutesVersion


@dataclass
class MemberPage:
    """The sections of the member's page, in the order the page shows them.

    `meetings`: coming meetings of the member's forums, each with `my_attendance`
    (an Attendance or None); `proposal_windows`: those of them whose proposal window is
    open and whose forum lets members propose; `minutes_to_comment`: sent minutes whose
    comment window is open, each with `i_commented` (bool); `proposals`: the user's own
    proposals, newest first; `actions`: the follow-up actions (not done) assigned to the
    person's organisation or the administration it is part of; `forums`: the forums."""

    person: Person | None
    forums: list[Forum]
    meetings: list[Meeting]
    proposal_windows: list[Meeting]
    minutes_to_comment: list[Minutes]
    proposals: list[Proposal]
    actions: list[FollowUpAction]


def member_page(user, *, now: datetime | None = None) -> MemberPage:
    """The member's page for `user` (authenticated) at `now` (aware; default: this moment).
    A fixed number of queries whatever the number of meetings."""
    now = now or timezone.now()
    person = Person.objects.filter(user=user).select_related("organisation").first()
    forums = forums_for_user(user, on=timezone.localdate(now))
    meetings = _coming_meetings(forums, person, now)
    return MemberPage(
        person=person,
        forums=forums,
        meetings=meetings,
        proposal_windows=[m for m in meetings if _may_propose(user, m, now)],
        minutes_to_comment=_minutes_to_comment(forums, person, now),
        proposals=list(
            Proposal.objects.filter(proposer=user, meeting__forum__in=forums)
            .select_related("meeting__forum")
            .order_by("-created_at", "-pk")
        ),
        actions=_organisation_actions(forums, person),
    )


def _coming_meetings(forums: list[Forum], person: Person | None, now: datetime) -> list[Meeting]:
    answers = Attendance.objects.filter(person=person) if person else Attendance.objects.none()
    meetings = (
        Meeting.objects.filter(
            forum__in=forums,
            is_archive=False,
            ends_at__gte=now,
            status__in=[Meeting.Status.PLANNED, Meeting.Status.AGENDA_SENT],
        )
        .select_related("forum")
        .prefetch_related(
            Prefetch("attendance", queryset=answers.select_related("substitute"), to_attr="mine")
        )
        .order_by("starts_at", "pk")
    )
    result = list(meetings)
    for meeting in result:
        meeting.my_attendance = meeting.mine[0] if meeting.mine else None
    return result


def _may_propose(user, meeting: Meeting, now: datetime) -> bool:
    """meetings.selectors.may_propose for a meeting of one of the user's forums, without
    asking for the forums again: the secretariat always, members where the forum's rule
    lets them (Borgmesterforum's agenda is set by the secretariat)."""
    if not proposals_open(meeting, now):
        return False
    return user.is_secretariat or meeting.forum.proposers != Forum.Proposers.SECRETARIAT


def _minutes_to_comment(forums: list[Forum], person: Person | None, now: datetime) -> list:
    """Sent minutes in their comment window (minutes.selectors.window_open, in one query):
    sent, not past `comments_close_at`, and the first send out of its grace period."""
    first_in_grace = MinutesVersion.objects.filter(
        minutes=OuterRef("pk"), number=1, is_final=False, send_after__gt=now
    )
    mine = Comment.objects.filter(minutes=OuterRef("pk"), author=person)
    qs = (
        Minutes.objects.filter(
            meeting__forum__in=forums,
            status=Minutes.Status.SENT,
            comments_close_at__gte=now,
        )
        .exclude(Exists(first_in_grace))
        .annotate(i_commented=Exists(mine) if person else Value(False, BooleanField()))
        .select_related("meeting__forum")
        .order_by("comments_close_at", "pk")
    )
    return list(qs)


def _organisation_actions(forums: list[Forum], person: Person | None) -> list:
    """Open and ongoing follow-up actions of sent or approved minutes of the forums, whose
    responsible administration is the person's organisation or the one it is part of (a
    unit such as Center for Bydesign works for its administration, TMF)."""
    if person is None or person.organisation is None:
        return []
    organisations = [person.organisation_id]
    if person.organisation.parent_id:
        organisations.append(person.organisation.parent_id)
    return list(
        FollowUpAction.objects.filter(
            item__minutes__meeting__forum__in=forums, responsible__in=organisations
        )
        .exclude(item__minutes__status=Minutes.Status.DRAFT)
        .exclude(status=FollowUpAction.Status.DONE)
        .select_related("responsible", "item__minutes__meeting__forum")
        .order_by("due_on", "pk")
    )
