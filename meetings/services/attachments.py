"""services: Attachments."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.errors import DomainError
from meetings.attachments import (
    attachment_store,
    check_limits,
)
from meetings.models import (
    Attachment,
)
from meetings.selectors import (
    may_change_attachment,
)

# --- Attachments --------------------------------------------------------------------------


def _attachment_owner(attachment: Attachment) -> dict:
    """The rows the attachment is ordered among: its item's, else its proposal's."""
    if attachment.item_id:
        return {"item_id": attachment.item_id}
    return {"proposal_id": attachment.proposal_id}


def _check_may_change_attachment(actor: Any, attachment: Attachment, now: datetime) -> Attachment:
    """The attachment as stored now (locked, with its owner read afresh: a caller's copy
    may hold a proposal whose status has since changed), if `actor` may change it."""
    attachment = (
        Attachment.all_objects.select_for_update(of=("self",))
        .select_related("item__meeting", "proposal__meeting")
        .get(pk=attachment.pk)
    )
    if attachment.removed_at is not None or not may_change_attachment(actor, attachment, now=now):
        raise DomainError(
            _(
                "Only the secretariat while the meeting is coming, or the proposer until the "
                "proposal closes, can change this attachment."
            )
        )
    return attachment


def _sent_with_a_version(attachment: Attachment) -> bool:
    item = attachment.item
    if item is None:
        return False
    return any(
        a["id"] == attachment.pk
        for version in item.meeting.versions.all()
        for sent in version.items
        for a in sent["attachments"]
    )


def _take_away(attachment: Attachment, now: datetime) -> None:
    """Hide the attachment from its item or proposal. One that went out with a sent agenda
    version is kept (removed_at) for that version's history; any other row is deleted, and
    its file too unless another row (a referral's copy) shares it."""
    if _sent_with_a_version(attachment):
        Attachment.all_objects.filter(pk=attachment.pk).update(removed_at=now)
        return
    name = attachment.file.name
    Attachment.all_objects.filter(pk=attachment.pk).delete()
    if not Attachment.all_objects.filter(file=name).exists():
        attachment.file.storage.delete(name)


@transaction.atomic
def attachment_remove(*, actor: Any, attachment: Attachment, now: datetime | None = None) -> None:
    """Remove an attachment (issue 13 §4). Raises DomainError unless the actor may change
    it (_check_may_change_attachment). A version already sent keeps offering it."""
    now = now or timezone.now()
    attachment = _check_may_change_attachment(actor, attachment, now)
    _take_away(attachment, now)
    audit_record(
        actor=actor,
        action="attachment.remove",
        obj=attachment.item or attachment.proposal,
        data={"attachment": attachment.pk, "name": attachment.name},
    )


@transaction.atomic
def attachment_replace(
    *, actor: Any, attachment: Attachment, upload, now: datetime | None = None
) -> Attachment:
    """Put a new file in the attachment's place (same owner, same position); the old one is
    removed as by attachment_remove. The upload is checked by content (meetings.attachments);
    a refusal is a DomainError at the `file` field. Returns the new attachment."""
    now = now or timezone.now()
    attachment = _check_may_change_attachment(actor, attachment, now)
    owner = {"item": attachment.item} if attachment.item_id else {"proposal": attachment.proposal}
    held = Attachment.objects.filter(**_attachment_owner(attachment)).exclude(pk=attachment.pk)
    try:
        check_limits(
            [upload],
            existing_count=held.count(),
            existing_size=sum(held.values_list("size", flat=True)),
        )
        new = attachment_store(upload=upload, user=actor, **owner)
    except ValidationError as exc:
        raise DomainError({"file": exc.messages}) from None
    if attachment.item_id and attachment.proposal_id:
        new.proposal_id = attachment.proposal_id
    new.position = attachment.position
    new.save(update_fields=["position", "proposal"])
    Attachment.objects.filter(pk=new.pk).update(uploaded_at=attachment.uploaded_at)
    _take_away(attachment, now)
    audit_record(
        actor=actor,
        action="attachment.replace",
        obj=attachment.item or attachment.proposal,
        data={"attachment": attachment.pk, "by": new.pk, "name": new.name},
    )
    return new


@transaction.atomic
def attachment_shift(
    *, actor: Any, attachment: Attachment, step: int, now: datetime | None = None
) -> None:
    """Move an attachment one place up (step=-1) or down (step=+1) among its item's (else
    its proposal's) attachments; the order is then 1..n. At either end: a DomainError."""
    now = now or timezone.now()
    attachment = _check_may_change_attachment(actor, attachment, now)
    siblings = list(Attachment.objects.select_for_update().filter(**_attachment_owner(attachment)))
    index = next(i for i, a in enumerate(siblings) if a.pk == attachment.pk)
    target = index + step
    if not 0 <= target < len(siblings):
        raise DomainError(_("The attachment cannot move further."))
    siblings[index], siblings[target] = siblings[target], siblings[index]
    for number, sibling in enumerate(siblings, start=1):
        Attachment.objects.filter(pk=sibling.pk).update(position=number)
    audit_record(
        actor=actor,
        action="attachment.move",
        obj=attachment.item or attachment.proposal,
        data={"attachment": attachment.pk, "position": target + 1},
    )
