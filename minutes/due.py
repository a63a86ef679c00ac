"""The minutes' deadlines in the secretariat's cockpit (core.due, issue 14 §3).

Four sources, each one query whatever the number of meetings:

- "minutes_due": a meeting (not cancelled, not an archive entry) whose minutes are not
  sent (none yet, or a draft) by D + 7; overdue after that until they are sent;
- "comment_window_closes": sent minutes whose two-week comment window is still open
  (a window: never overdue; when it closes the minutes are approved by the sweep);
- "comments_undisposed": sent minutes with comments that have no disposition yet, dated
  by the end of the comment window (one item per minutes, with the count);
- "action_due": follow-up actions of sent or approved minutes, not done, with a due
  date at or before `until` (overdue ones first, as everywhere).
"""

from collections.abc import Iterator
from datetime import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.due import DueItem
from meetings import deadlines
from meetings.due import meeting_item
from meetings.models import Meeting
from minutes.models import FollowUpAction, Minutes


def minutes_due(*, now: datetime, until: datetime) -> Iterator[DueItem]:
    """Meetings whose minutes are unsent and due at or before `until`."""
    meetings = (
        Meeting.objects.filter(is_archive=False, minutes_due_at__lte=until)
        .exclude(status=Meeting.Status.CANCELLED)
        .filter(Q(minutes__isnull=True) | Q(minutes__status=Minutes.Status.DRAFT))
        .select_related("forum")
    )
    for meeting in meetings:
        yield meeting_item(
            meeting,
            kind="minutes_due",
            label=_("Minutes due"),
            due=meeting.minutes_due_at,
            url=reverse("minutes:editor", args=[meeting.pk]),
            rule=_("%(days)d days after the meeting")
            % {"days": meeting.forum.minutes_deadline_days},
        )


def _sent_minutes(now: datetime, until: datetime):
    return Minutes.objects.filter(
        status=Minutes.Status.SENT,
        comments_close_at__gt=now,
        comments_close_at__lte=until,
        meeting__is_archive=False,
    ).select_related("meeting__forum")


def comment_windows_closing(*, now: datetime, until: datetime) -> Iterator[DueItem]:
    """Sent minutes whose comment window closes in (now, until]."""
    for minutes in _sent_minutes(now, until):
        yield meeting_item(
            minutes.meeting,
            kind="comment_window_closes",
            label=_("Comment window closes"),
            due=minutes.comments_close_at,
            url=reverse("minutes:comments", args=[minutes.meeting_id]),
            rule=_("%(days)d days after the minutes are sent")
            % {"days": minutes.meeting.forum.comment_window_days},
        )


def comments_undisposed(*, now: datetime, until: datetime) -> Iterator[DueItem]:
    """Sent minutes with comments still without a disposition (one item per minutes)."""
    pending = Q(comments__disposition="")
    rows = (
        Minutes.objects.filter(status=Minutes.Status.SENT, comments_close_at__lte=until)
        .annotate(undisposed=Count("comments", filter=pending))
        .filter(undisposed__gt=0)
        .select_related("meeting__forum")
    )
    for minutes in rows:
        yield meeting_item(
            minutes.meeting,
            kind="comments_undisposed",
            label=_("Comments without a disposition"),
            due=minutes.comments_close_at,
            url=reverse("minutes:comments", args=[minutes.meeting_id]),
            rule=_("Before the comment window closes"),
            detail=ngettext("%(count)d comment", "%(count)d comments", minutes.undisposed)
            % {"count": minutes.undisposed},
        )


def actions_due(*, now: datetime, until: datetime) -> Iterator[DueItem]:
    """Follow-up actions not done whose due date is at or before `until`'s day."""
    actions = (
        FollowUpAction.objects.filter(
            due_on__lte=deadlines.local_day(until),
            item__minutes__status__in=[Minutes.Status.SENT, Minutes.Status.APPROVED],
        )
        .exclude(status=FollowUpAction.Status.DONE)
        .select_related("item__minutes__meeting__forum", "responsible")
    )
    register = reverse("minutes:register")
    for action in actions:
        meeting = action.item.minutes.meeting
        yield meeting_item(
            meeting,
            kind="action_due",
            label=_("Follow-up action"),
            due=deadlines.end_of_day(action.due_on),
            url=f"{register}?forum={meeting.forum.slug}#status-{action.pk}",
            rule=_("Decided at the meeting"),
            detail=f"{action.what[:80]} ({action.responsible.short_name or action.responsible.name})",
        )


def register() -> None:
    from core.due import due_source_register

    due_source_register("minutes_due", minutes_due)
    due_source_register("comment_window_closes", comment_windows_closing)
    due_source_register("comments_undisposed", comments_undisposed)
    due_source_register("action_due", actions_due)
