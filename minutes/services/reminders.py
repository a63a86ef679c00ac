"""services: Reminders."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from core.claims import claim_once, unsent
from meetings import deadlines
from meetings.models import Meeting
from meetings.selectors import (
    secretariat_users,
)
from minutes.models import (
    Minutes,
    MinutesVersion,
)
from minutes.selectors import (
    silent_members,
    undisposed_comments,
)
from minutes.services._common import _notify_members, _notify_secretariat, _queue_version
from notifications.services import (
    notify_users,
)

# --- Reminders ----------------------------------------------------------------------------


def remind_comment_window(*, now: datetime) -> dict[str, int]:
    """3 days before the window closes: members who have neither commented nor marked
    "no remarks" get one reminder; the secretariat gets one warning listing the comments
    still without a disposition."""
    due = Minutes.objects.filter(
        status=Minutes.Status.SENT,
        comments_close_at__gt=now,
        comments_close_at__lte=now + timedelta(days=3),
    ).select_related("meeting__forum")
    reminded = warned = 0
    for minutes in due:
        with transaction.atomic():
            if claim_once(Minutes, minutes.pk, "member_reminder_sent_for", "comments_close_at"):
                reminded += _notify_members(
                    minutes,
                    kind="minutes_comment_reminder",
                    people=silent_members(minutes),
                    key=f"minutes-reminder:{minutes.pk}:{minutes.comments_close_at.isoformat()}",
                    context={"closes": minutes.comments_close_at},
                )
        with transaction.atomic():
            pending = list(undisposed_comments(minutes))
            if pending and claim_once(
                Minutes, minutes.pk, "disposition_warning_sent_for", "comments_close_at"
            ):
                warned += _notify_secretariat(
                    minutes,
                    kind="minutes_disposition_warning",
                    key=f"minutes-dispositions:{minutes.pk}:{minutes.comments_close_at.isoformat()}",
                    context={"comments": pending, "closes": minutes.comments_close_at},
                )
    return {"reminded": reminded, "warned": warned}


def _minutes_unsent(qs):
    return qs.filter(Q(minutes__isnull=True) | Q(minutes__status=Minutes.Status.DRAFT))


def remind_minutes_due(*, now: datetime) -> dict[str, int]:
    """The secretariat is reminded 2 working days before the minutes are due."""
    candidates = (
        _minutes_unsent(
            Meeting.objects.filter(
                is_archive=False,
                status__in=[Meeting.Status.AGENDA_SENT, Meeting.Status.HELD],
                minutes_due_at__gt=now,
                minutes_due_at__lte=now + timedelta(days=14),
            )
        )
        .filter(unsent("minutes_reminder_sent_for", "minutes_due_at"))
        .select_related("forum")
    )
    sent = 0
    for meeting in candidates:
        if now < deadlines.secretariat_reminder_from(meeting.minutes_due_at):
            continue
        with transaction.atomic():
            if claim_once(Meeting, meeting.pk, "minutes_reminder_sent_for", "minutes_due_at"):
                _notify_meeting_secretariat(meeting, "minutes_due_reminder")
                sent += 1
    return {"meetings": sent}


OVERDUE_ALERT_HORIZON = timedelta(days=60)


def alert_minutes_overdue(*, now: datetime) -> dict[str, int]:
    """One alert when the minutes deadline passes with the minutes unsent."""
    overdue = (
        _minutes_unsent(
            Meeting.objects.filter(
                is_archive=False,
                status__in=[Meeting.Status.AGENDA_SENT, Meeting.Status.HELD],
                # A horizon keeps the query on the minutes_due_at index: an alert for minutes
                # overdue longer than this (downtime of two months) would help no one.
                minutes_due_at__lt=now,
                minutes_due_at__gte=now - OVERDUE_ALERT_HORIZON,
            )
        )
        .filter(unsent("minutes_alert_sent_for", "minutes_due_at"))
        .select_related("forum")
    )
    sent = 0
    for meeting in overdue:
        with transaction.atomic():
            if claim_once(Meeting, meeting.pk, "minutes_alert_sent_for", "minutes_due_at"):
                _notify_meeting_secretariat(meeting, "minutes_overdue")
                sent += 1
    return {"meetings": sent}


def _notify_meeting_secretariat(meeting: Meeting, kind: str) -> None:
    notify_users(
        secretariat_users(),
        kind=kind,
        key=f"{kind}:{meeting.pk}:{meeting.minutes_due_at.isoformat()}",
        concerns=meeting,
        context={
            "meeting": meeting,
            "forum": meeting.forum,
            "due": meeting.minutes_due_at,
            "editor_url": reverse("minutes:editor", args=[meeting.pk]),
        },
    )


def versions_catch_up(*, now: datetime) -> dict[str, int]:
    """Versions whose PDF or e-mails a lost task left undone are processed again."""
    waiting = list(
        MinutesVersion.objects.filter(
            Q(pdf="") | Q(is_final=False, distributed_at__isnull=True),
            created_at__lt=now - timedelta(minutes=5),
        )
        # A draft of approved minutes is no longer mailed: it waits only for its PDF.
        .exclude(~Q(pdf=""), is_final=False, minutes__status=Minutes.Status.APPROVED)
        .order_by("created_at")
        .values_list("pk", flat=True)[:50]
    )
    for version_id in waiting:
        _queue_version(version_id)
    return {"versions": len(waiting)}
