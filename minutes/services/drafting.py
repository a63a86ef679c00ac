"""services: Drafting."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.errors import DomainError
from core.search import search_index
from forums.models import Organisation
from meetings.models import Meeting
from meetings.selectors import (
    latest_version,
)
from minutes.models import (
    FollowUpAction,
    Minutes,
    MinutesItem,
)
from minutes.selectors import (
    window_open,
)
from minutes.services._common import MinutesConflict

# --- Drafting -----------------------------------------------------------------------------


@transaction.atomic
def minutes_start(*, actor: Any, meeting: Meeting, now: datetime | None = None) -> Minutes:
    """The minutes of a meeting, begun from its agenda (as last sent, else as it stands).

    The skeleton may be prepared before the meeting starts (sending waits for the meeting:
    `minutes_send`); a cancelled meeting has no minutes (DomainError)."""
    now = now or timezone.now()
    existing = Minutes.objects.filter(meeting=meeting).first()
    if existing:
        return existing
    if meeting.status == Meeting.Status.CANCELLED:
        raise DomainError(_("A cancelled meeting has no minutes."))
    minutes = Minutes.objects.create(meeting=meeting, updated_by=actor)
    version = latest_version(meeting)
    if version:
        rows = [(i["position"], i["title"], i["is_closed"], i["id"]) for i in version.items]
    else:
        rows = [
            (i.position, i.title, i.is_closed, i.pk) for i in meeting.items.order_by("position")
        ]
    existing_items = set(meeting.items.values_list("pk", flat=True))
    MinutesItem.objects.bulk_create(
        MinutesItem(
            minutes=minutes,
            position=position,
            title=title,
            is_closed=closed,
            agenda_item_id=item_id if item_id in existing_items else None,
        )
        for position, title, closed, item_id in rows
    )
    audit_record(actor=actor, action="minutes.start", obj=minutes)
    search_index(meeting)
    return minutes


def _locked(minutes: Minutes) -> Minutes:
    """The minutes row as stored now, locked until the transaction ends: the approval's
    compare-and-set waits for it, so a write checked against it cannot race the sweep."""
    return Minutes.objects.select_for_update().get(pk=minutes.pk)


def _check_editable(minutes: Minutes, now: datetime) -> None:
    """DomainError unless the text of `minutes` may still change: a draft, or sent
    minutes whose comment window is open. Pass a row read by `_locked`."""
    if minutes.status == Minutes.Status.APPROVED:
        raise DomainError(
            _("The minutes are finally approved and cannot change. Add a correction instead.")
        )
    if minutes.status == Minutes.Status.SENT and not window_open(minutes, now):
        raise DomainError(_("The comment window has closed; the minutes are being approved."))


@transaction.atomic
def minutes_save(
    *,
    actor: Any,
    minutes: Minutes,
    lock_version: int,
    introduction: str,
    items: dict[int, dict[str, str]],
    now: datetime | None = None,
) -> Minutes:
    """Save the editor's text if nobody saved in between (optimistic locking): the row's
    lock_version must still be the one the editor loaded."""
    now = now or timezone.now()
    _check_editable(_locked(minutes), now)
    claimed = (
        Minutes.objects.filter(pk=minutes.pk, lock_version=lock_version)
        .exclude(status=Minutes.Status.APPROVED)
        .update(
            lock_version=F("lock_version") + 1,
            introduction=introduction,
            updated_by=actor,
            updated_at=now,
        )
    )
    if claimed != 1:
        current = Minutes.objects.get(pk=minutes.pk)
        raise MinutesConflict(
            _(
                "Someone else saved the minutes while you were editing. Your text is "
                "kept below; compare it with the saved version and save again."
            ),
            current,
        )
    for item in minutes.items.all():
        if item.pk in items:
            values = items[item.pk]
            if (item.summary, item.decision) != (values["summary"], values["decision"]):
                MinutesItem.objects.filter(pk=item.pk).update(
                    summary=values["summary"], decision=values["decision"]
                )
    audit_record(
        actor=actor, action="minutes.save", obj=minutes, data={"lock_version": lock_version + 1}
    )
    search_index(minutes.meeting)
    return Minutes.objects.get(pk=minutes.pk)


def minutes_text_unchanged(
    *, minutes: Minutes, introduction: str, items: dict[int, dict[str, str]]
) -> bool:
    """True when the editor's text (introduction; {item pk: {"summary", "decision"}}) is
    exactly what is stored, so there is nothing unsaved to carry or autosave."""
    if Minutes.objects.filter(pk=minutes.pk).values_list("introduction", flat=True).get() != (
        introduction
    ):
        return False
    stored = {i.pk: (i.summary, i.decision) for i in minutes.items.all()}
    return all(
        stored.get(pk) == (values["summary"], values["decision"])
        for pk, values in items.items()
        if pk in stored
    )


def minutes_save_if_changed(
    *,
    actor: Any,
    minutes: Minutes,
    lock_version: int,
    introduction: str,
    items: dict[int, dict[str, str]],
    now: datetime | None = None,
) -> tuple[Minutes, bool]:
    """Save the editor's text as `minutes_save` does, but only when it differs from what is
    stored: an editor whose text is unchanged has nothing to lose and meets no conflict.

    Used by autosave (every 30 s from the editor page) and by the editor's action buttons,
    which carry the text with them (save, then act). Creates no version.
    Returns (the minutes as stored now, whether a save happened).
    Raises MinutesConflict when the text changed and someone saved since `lock_version`,
    DomainError when the minutes cannot be edited any more."""
    if minutes_text_unchanged(minutes=minutes, introduction=introduction, items=items):
        return minutes, False
    saved = minutes_save(
        actor=actor,
        minutes=minutes,
        lock_version=lock_version,
        introduction=introduction,
        items=items,
        now=now,
    )
    return saved, True


@transaction.atomic
def action_add(
    *, actor: Any, item: MinutesItem, what: str, responsible: Organisation, due_on=None
) -> FollowUpAction:
    """A follow-up action of `item`'s decision, assigned to `responsible`: an
    administration or a housing organisation (FollowUpAction.RESPONSIBLE_KINDS; the
    agreements bind both sides). DomainError for another kind, or minutes not editable."""
    _check_editable(_locked(item.minutes), timezone.now())
    if responsible.kind not in FollowUpAction.RESPONSIBLE_KINDS:
        raise DomainError(
            {
                "responsible": _(
                    "A follow-up action is assigned to an administration or a housing organisation."
                )
            }
        )
    action = FollowUpAction.objects.create(
        item=item, what=what, responsible=responsible, due_on=due_on, updated_by=actor
    )
    audit_record(actor=actor, action="action.add", obj=action)
    search_index(item.minutes.meeting)
    return action


@transaction.atomic
def action_delete(*, actor: Any, action: FollowUpAction) -> None:
    _check_editable(_locked(action.item.minutes), timezone.now())
    audit_record(
        actor=actor, action="action.delete", obj=action.item.minutes, data={"what": action.what}
    )
    action.delete()
    search_index(action.item.minutes.meeting)


@transaction.atomic
def action_set_status(*, actor: Any, action: FollowUpAction, status: str) -> FollowUpAction:
    from minutes.selectors import may_update_action

    if not may_update_action(actor, action):
        raise DomainError(
            _("Only the responsible organisation or the secretariat can update this action.")
        )
    if status not in FollowUpAction.Status.values:
        raise DomainError({"status": _("Choose a valid status.")})
    if action.item.minutes.status == Minutes.Status.DRAFT and not actor.is_secretariat:
        raise DomainError(_("The minutes with this action have not been sent yet."))
    FollowUpAction.objects.filter(pk=action.pk).update(
        status=status, updated_by=actor, updated_at=timezone.now()
    )
    audit_record(actor=actor, action="action.status", obj=action, data={"status": status})
    action.refresh_from_db()
    return action
