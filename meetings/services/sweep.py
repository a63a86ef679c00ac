"""services: The sweep."""

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q

from core.audit import audit_record
from core.cache_stamps import bump
from core.claims import claim_once, unsent
from meetings import deadlines
from meetings.models import (
    AgendaVersion,
    CalendarToken,
    Meeting,
)
from meetings.services.agenda import _queue_processing
from meetings.services.scheduling import _notify_members, _notify_secretariat

# --- The sweep ----------------------------------------------------------------------------


def _armed(column: str, deadline_column: str):
    """Planned meetings whose reminder in `column` is not yet sent for the deadline."""
    return Meeting.objects.filter(
        unsent(column, deadline_column), status=Meeting.Status.PLANNED, is_archive=False
    )


def remind_proposals(*, now: datetime) -> dict[str, int]:
    """Members are reminded 3 days before proposals close; once per meeting and deadline."""
    due = (
        _armed("proposal_reminder_sent_for", "proposals_close_at")
        .filter(proposals_close_at__gt=now, proposals_close_at__lte=now + timedelta(days=3))
        .select_related("forum")
    )
    sent = 0
    for meeting in due:
        with transaction.atomic():
            if claim_once(Meeting, meeting.pk, "proposal_reminder_sent_for", "proposals_close_at"):
                _notify_members(
                    meeting,
                    kind="proposal_reminder",
                    key=f"proposal-reminder:{meeting.pk}:{meeting.proposals_close_at.isoformat()}",
                    context={"closes": meeting.proposals_close_at},
                )
                sent += 1
    return {"meetings": sent}


def remind_agenda(*, now: datetime) -> dict[str, int]:
    """The secretariat is reminded 2 working days before the agenda is due."""
    candidates = (
        _armed("agenda_reminder_sent_for", "agenda_due_at")
        .filter(agenda_due_at__gt=now, agenda_due_at__lte=now + timedelta(days=14))
        .select_related("forum")
    )
    sent = 0
    for meeting in candidates:
        due_day = deadlines.local_day(meeting.agenda_due_at)
        if now < deadlines.secretariat_reminder_from(meeting.agenda_due_at):
            continue
        with transaction.atomic():
            if claim_once(Meeting, meeting.pk, "agenda_reminder_sent_for", "agenda_due_at"):
                _notify_secretariat(
                    meeting,
                    kind="agenda_reminder",
                    key=f"agenda-reminder:{meeting.pk}:{meeting.agenda_due_at.isoformat()}",
                    context={
                        "due": meeting.agenda_due_at,
                        "non_working": deadlines.non_working_day(due_day),
                        "act_by": deadlines.act_by(due_day),
                    },
                )
                sent += 1
    return {"meetings": sent}


def alert_agenda_overdue(*, now: datetime) -> dict[str, int]:
    """One alert to the secretariat when the agenda deadline has passed unsent."""
    overdue = (
        _armed("agenda_alert_sent_for", "agenda_due_at")
        .filter(agenda_due_at__lt=now, starts_at__gt=now)
        .select_related("forum")
    )
    sent = 0
    for meeting in overdue:
        with transaction.atomic():
            if claim_once(Meeting, meeting.pk, "agenda_alert_sent_for", "agenda_due_at"):
                _notify_secretariat(
                    meeting,
                    kind="agenda_overdue",
                    key=f"agenda-overdue:{meeting.pk}:{meeting.agenda_due_at.isoformat()}",
                    context={"due": meeting.agenda_due_at},
                )
                sent += 1
    return {"meetings": sent}


def mark_held(*, now: datetime) -> dict[str, int]:
    """A meeting whose end has passed is held (stored; pages derive the same rule at once
    through `Meeting.status_at`)."""
    due = Meeting.objects.filter(
        status__in=[Meeting.Status.PLANNED, Meeting.Status.AGENDA_SENT], ends_at__lt=now
    )
    ids = list(due.values_list("pk", flat=True))
    count = due.filter(pk__in=ids).update(status=Meeting.Status.HELD) if ids else 0
    if count:
        bump("meetings", *(f"meeting:{pk}" for pk in ids))
    return {"held": count}


def agenda_catch_up(*, now: datetime) -> dict[str, int]:
    """Versions whose PDF or e-mails a lost task left undone are processed again."""
    waiting = list(
        AgendaVersion.objects.filter(
            Q(send_after__isnull=True) | Q(send_after__lte=now),
            distributed_at__isnull=True,
            created_at__lt=now - timedelta(minutes=5),
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:50]
    )
    for version_id in waiting:
        _queue_processing(version_id)
    return {"versions": len(waiting)}


def calendar_token_renew(*, actor: Any, user: Any) -> CalendarToken:
    """Give `user` a new personal feed address (``/kalender/<token>.ics``, 32 random bytes,
    URL-safe); the old address stops working at once. Called by the member from their
    dashboard and by a superuser's admin action (a leaked address); the audit entry
    ("calendar.renew") names who did it, never the token."""
    with transaction.atomic():
        token, _created = CalendarToken.objects.update_or_create(
            user=user, defaults={"token": secrets.token_urlsafe(32)}
        )
        audit_record(actor=actor, action="calendar.renew", obj=user)
    return token
