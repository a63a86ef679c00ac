"""What the minutes.services modules share: imports and small helpers."""

from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from core.errors import DomainError
from core.minutes_hooks import minutes_extras
from core.queue import queue_after_commit, send_task
from meetings.models import Meeting
from meetings.selectors import (
    forum_people,
    secretariat_users,
)
from minutes.models import (
    Minutes,
)
from notifications.services import (
    Attachment,
    attachment_fits,
    notify_people,
    notify_users,
)


class MinutesConflict(DomainError):
    """Someone else saved the minutes since this editor loaded them."""

    def __init__(self, message: str, current: Minutes):
        super().__init__(message)
        self.current = current


def _day(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j. F Y")


def _member_url(minutes: Minutes) -> str:
    return reverse("minutes:member", args=[minutes.meeting_id])


def _notify_members(
    minutes: Minutes,
    *,
    kind: str,
    key: str,
    people=None,
    context=None,
    attachments: tuple = (),
    not_before: datetime | None = None,
) -> int:
    people = people if people is not None else forum_people(minutes.meeting.forum)
    return notify_people(
        people,
        kind=kind,
        key=key,
        concerns=minutes,
        attachments=attachments,
        not_before=not_before,
        context={
            "minutes": minutes,
            "meeting": minutes.meeting,
            "forum": minutes.meeting.forum,
            "member_url": _member_url(minutes),
            **(context or {}),
        },
    )


def _extras(meeting: Meeting) -> tuple[tuple[Attachment, ...], dict]:
    """What other apps send with the minutes (core.minutes_hooks extras, e.g. the framework
    agreement Partnerskabsforum negotiated at the meeting): attached where the PDF exists
    and fits (attachment_fits), always linked. ((Attachment, ...), {"extras": [...]})."""
    attachments, listed = [], []
    for extra in minutes_extras(meeting):
        content = extra.content() if extra.content else None
        attached = bool(content and extra.filename and attachment_fits(len(content)))
        if attached:
            attachments.append(Attachment(extra.filename, extra.mimetype, content))
        listed.append({"label": extra.label, "url": extra.url, "attached": attached})
    return tuple(attachments), {"extras": listed}


def _notify_secretariat(minutes: Minutes, *, kind: str, key: str, context=None) -> int:
    return notify_users(
        secretariat_users(),
        kind=kind,
        key=key,
        concerns=minutes,
        context={
            "minutes": minutes,
            "meeting": minutes.meeting,
            "forum": minutes.meeting.forum,
            "editor_url": reverse("minutes:editor", args=[minutes.meeting_id]),
            **(context or {}),
        },
    )


def _queue_version(version_id: int, *, after_commit: bool = False) -> None:
    from minutes.tasks import process_minutes_version

    (queue_after_commit if after_commit else send_task)(process_minutes_version, version_id)
