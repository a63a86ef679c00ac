"""What the meetings.selectors modules share: imports and small helpers."""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from forums.models import Forum
from forums.selectors import Reach, forum_people, forums_for_user
from meetings import deadlines
from meetings.models import (
    AgendaVersion,
    Meeting,
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


def latest_version(meeting: Meeting) -> AgendaVersion | None:
    """The newest version, sent or still in its grace period (the secretariat's view)."""
    return meeting.versions.order_by("-number").first()


def version_in_grace(meeting: Meeting, *, now: datetime | None = None) -> AgendaVersion | None:
    """The newest version while its send can still be undone (see AgendaVersion.in_grace)."""
    last = latest_version(meeting)
    return last if last and last.in_grace(now) else None
