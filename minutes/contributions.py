"""What `minutes` adds to pages and outputs of `meetings` (core/contributions.py): the
links to a meeting's minutes, the archive's »referat« mark, the follow-up item on the next
agenda, and the comment window's end in the member's calendar feed."""

from django.utils.translation import gettext as _

from core.contributions import contribution_register


def _meeting_public(request, meeting) -> dict:
    from minutes.selectors import public_minutes_for

    return {"minutes_public": public_minutes_for(meeting) is not None}


def _meeting_member(request, meeting) -> dict:
    from minutes.models import Minutes
    from minutes.selectors import released

    minutes = Minutes.objects.filter(meeting=meeting).first()
    return {"minutes_sent": minutes is not None and released(minutes)}


def _archive_meetings(request, meetings: list) -> None:
    """`minutes_public` where the minutes are public; `decision_count` (the decisions
    register's entries) for the meetings of the reader's own forums."""
    from forums.selectors import forums_for_user
    from minutes.selectors import decision_counts, public_minutes

    with_minutes = set(
        public_minutes()
        .filter(meeting__in=[m.pk for m in meetings])
        .values_list("meeting_id", flat=True)
    )
    member_forums = {f.pk for f in forums_for_user(request.user)}
    decided = decision_counts([m.pk for m in meetings if m.forum_id in member_forums])
    for meeting in meetings:
        meeting.minutes_public = meeting.pk in with_minutes
        meeting.decision_count = decided.get(meeting.pk, 0)


def _agenda_follow_up(meeting) -> list[str]:
    """One line per open follow-up action of the meeting's forum:
    "- what (administration, frist dd.mm.yyyy, status)"."""
    from minutes.selectors import open_actions

    return [
        f"- {a.what} ({a.responsible.short_name or a.responsible.name}"
        + (f", frist {a.due_on:%d.%m.%Y}" if a.due_on else "")
        + f", {a.get_status_display().lower()})"
        for a in open_actions(meeting.forum)
    ]


def _personal_feed_deadlines(meetings: list) -> list[dict]:
    """The end of each sent minutes' comment window, for the member's feed."""
    from minutes.models import Minutes

    windows = Minutes.objects.filter(
        meeting__in=[m.pk for m in meetings], comments_close_at__isnull=False
    ).select_related("meeting__forum")
    return [
        {
            "meeting_id": minutes.meeting_id,
            "uid": f"kommentarer-{minutes.meeting.uid}",
            "summary": _("Comments on the minutes of %(forum)s close")
            % {"forum": minutes.meeting.forum.name},
            "at": minutes.comments_close_at,
            "stamp": minutes.sent_at or minutes.comments_close_at,
        }
        for minutes in windows
    ]


def register() -> None:
    """Called from MinutesConfig.ready()."""
    contribution_register("meeting_public", _meeting_public)
    contribution_register("meeting_member", _meeting_member)
    contribution_register("archive_meetings", _archive_meetings)
    contribution_register("agenda_follow_up", _agenda_follow_up)
    contribution_register("personal_feed_deadlines", _personal_feed_deadlines)
