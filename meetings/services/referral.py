"""services: Referral."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.errors import DomainError
from core.search import search_index
from meetings.attachments import (
    attachment_copy,
)
from meetings.models import (
    AgendaItem,
    Meeting,
    Proposal,
)
from meetings.services.scheduling import _lock

# --- Referral -----------------------------------------------------------------------------


@transaction.atomic
def item_refer(*, actor: Any, item: AgendaItem, meeting: Meeting) -> Proposal:
    """Refer the matter of `item` to another forum's meeting: a proposal there carrying
    the title, description and attachments, linked back to the item."""
    target = _lock(meeting)
    if target.forum_id == item.meeting.forum_id:
        raise DomainError({"meeting": _("Choose a meeting of another forum.")})
    if target.status != Meeting.Status.PLANNED or target.is_archive:
        raise DomainError(
            {"meeting": _("Choose a planned meeting whose agenda has not been sent.")}
        )
    description = "\n\n".join(part for part in (item.presentation, item.recommendation) if part)
    proposal = Proposal.objects.create(
        meeting=target,
        proposer=actor,
        title=item.title,
        description=description or item.title,
        treatment=item.treatment,
        responsible=item.responsible,
        referred_from=item,
    )
    for attachment in item.attachments.all():
        attachment_copy(attachment, proposal=proposal)
    audit_record(
        actor=actor,
        action="item.refer",
        obj=item,
        data={"proposal": proposal.pk, "meeting": target.pk},
    )
    search_index(target)
    return proposal
