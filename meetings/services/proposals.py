"""services: Proposals."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.errors import DomainError
from core.search import search_index
from core.submission import mark_repeated, repeat_since
from forums.models import Organisation
from meetings.attachments import (
    attachments_store,
)
from meetings.models import (
    AgendaItem,
    Meeting,
    Proposal,
)
from meetings.selectors import (
    may_propose,
    proposals_closed_message,
    proposals_open,
)
from meetings.services.scheduling import _lock
from notifications.services import (
    outbox_enqueue,
)

# --- Proposals ----------------------------------------------------------------------------


def _check_proposal_window(actor: Any, meeting: Meeting, now: datetime) -> None:
    if not may_propose(actor, meeting):
        raise DomainError(_("You cannot propose items for this meeting."))
    if not proposals_open(meeting, now):
        raise DomainError(proposals_closed_message(meeting, now))


@transaction.atomic
def proposal_submit(
    *,
    actor: Any,
    meeting: Meeting,
    title: str,
    description: str,
    treatment: str,
    responsible: Organisation | None = None,
    files=(),
    now: datetime | None = None,
) -> Proposal:
    """A member's proposal for an agenda item of `meeting`, while proposals are open.

    The same proposal (title, description, treatment, responsible, and no other files than
    those it already has) by the same person on the same meeting within core.submission's
    REPEAT_MINUTES is not stored twice: the existing one is returned, marked
    (`mark_repeated`). Errors: DomainError (proposals closed, not allowed to propose)."""
    now = now or timezone.now()
    meeting = _lock(meeting)
    _check_proposal_window(actor, meeting, now)
    files = list(files)
    same = _same_recent_proposal(
        actor, meeting, now, title, description, treatment, responsible, files
    )
    if same is not None:
        return mark_repeated(same)
    proposal = Proposal.objects.create(
        meeting=meeting,
        proposer=actor,
        title=title,
        description=description,
        treatment=treatment,
        responsible=responsible,
    )
    attachments_store(uploads=files, user=actor, proposal=proposal)
    audit_record(actor=actor, action="proposal.submit", obj=proposal, data={"meeting": meeting.pk})
    search_index(meeting)
    return proposal


def _same_files(attachments, files) -> bool:
    """True when the uploads add nothing: none, or the same names as the row's files."""
    names = sorted(a.name for a in attachments)
    return not files or sorted(f.name for f in files) == names


def _same_recent_proposal(actor, meeting, now, title, description, treatment, responsible, files):
    for proposal in Proposal.objects.filter(
        meeting=meeting,
        proposer=actor,
        title=title,
        description=description,
        treatment=treatment,
        responsible=responsible,
        created_at__gte=repeat_since(now),
    ).prefetch_related("attachments"):
        if _same_files(proposal.attachments.all(), files):
            return proposal
    return None


def _check_own_open_proposal(actor: Any, proposal: Proposal, now: datetime) -> None:
    if proposal.proposer_id != actor.pk and not actor.is_secretariat:
        raise DomainError(_("Only the proposer can change the proposal."))
    if proposal.status != Proposal.Status.SUBMITTED:
        raise DomainError(_("The proposal has already been decided on or withdrawn."))
    if not proposals_open(proposal.meeting, now):
        raise DomainError(proposals_closed_message(proposal.meeting, now))


@transaction.atomic
def proposal_update(
    *,
    actor: Any,
    proposal: Proposal,
    title: str,
    description: str,
    treatment: str,
    responsible: Organisation | None = None,
    files=(),
    now: datetime | None = None,
) -> Proposal:
    now = now or timezone.now()
    proposal = (
        Proposal.objects.select_for_update().select_related("meeting__forum").get(pk=proposal.pk)
    )
    _check_own_open_proposal(actor, proposal, now)
    proposal.title, proposal.description, proposal.treatment = title, description, treatment
    proposal.responsible = responsible
    proposal.save(update_fields=["title", "description", "treatment", "responsible", "updated_at"])
    attachments_store(uploads=files, user=actor, proposal=proposal)
    audit_record(actor=actor, action="proposal.update", obj=proposal)
    search_index(proposal.meeting)
    return proposal


@transaction.atomic
def proposal_withdraw(*, actor: Any, proposal: Proposal, now: datetime | None = None) -> Proposal:
    now = now or timezone.now()
    proposal = (
        Proposal.objects.select_for_update().select_related("meeting__forum").get(pk=proposal.pk)
    )
    _check_own_open_proposal(actor, proposal, now)
    proposal.status = Proposal.Status.WITHDRAWN
    proposal.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="proposal.withdraw", obj=proposal)
    search_index(proposal.meeting)
    return proposal


def _decidable(proposal: Proposal) -> Proposal:
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("meeting__forum", "proposer")
        .get(pk=proposal.pk)
    )
    if proposal.status != Proposal.Status.SUBMITTED:
        raise DomainError(_("The proposal has already been decided on or withdrawn."))
    if not proposal.meeting.is_active:
        raise DomainError(_("The meeting is no longer planned."))
    return proposal


def _tell_proposer(proposal: Proposal, outcome: str) -> None:
    if proposal.proposer and proposal.proposer.email:
        outbox_enqueue(
            kind="proposal_decided",
            key=f"proposal-decided:{proposal.pk}:{outcome}:{proposal.meeting_id}",
            to=proposal.proposer.email,
            user=proposal.proposer,
            concerns=proposal,
            context={
                "proposal": proposal,
                "outcome": outcome,
                "meeting": proposal.meeting,
                "member_url": reverse("meetings:member", args=[proposal.meeting_id]),
            },
        )


def _next_position(meeting: Meeting) -> int:
    """Before "Eventuelt" where the agenda ends with it, else at the end."""
    last = meeting.items.order_by("-position").first()
    if last is None:
        return 1
    if last.is_standard and last.title == "Eventuelt":
        meeting.items.filter(position__gte=last.position).update(position=F("position") + 1)
        return last.position
    return last.position + 1


@transaction.atomic
def proposal_accept(*, actor: Any, proposal: Proposal) -> AgendaItem:
    proposal = _decidable(proposal)
    item = AgendaItem.objects.create(
        meeting=proposal.meeting,
        position=_next_position(proposal.meeting),
        title=proposal.title,
        presentation=proposal.description,
        treatment=proposal.treatment,
        responsible=proposal.responsible,
        # A closed item referred from another forum stays closed (never public).
        is_closed=bool(proposal.referred_from_id and proposal.referred_from.is_closed),
        from_proposal=proposal,
    )
    proposal.attachments.update(item=item)
    proposal.status, proposal.decided_at = Proposal.Status.ACCEPTED, timezone.now()
    proposal.save(update_fields=["status", "decided_at", "updated_at"])
    _tell_proposer(proposal, "accepted")
    audit_record(actor=actor, action="proposal.accept", obj=proposal, data={"item": item.pk})
    search_index(proposal.meeting)
    return item


@transaction.atomic
def proposal_decline(*, actor: Any, proposal: Proposal, reason: str) -> Proposal:
    if not reason.strip():
        raise DomainError({"reason": _("Give the proposer a reason.")})
    proposal = _decidable(proposal)
    proposal.status, proposal.decided_at = Proposal.Status.DECLINED, timezone.now()
    proposal.decision_reason = reason.strip()
    proposal.save(update_fields=["status", "decided_at", "decision_reason", "updated_at"])
    _tell_proposer(proposal, "declined")
    audit_record(actor=actor, action="proposal.decline", obj=proposal, data={"reason": reason})
    search_index(proposal.meeting)
    return proposal


@transaction.atomic
def proposal_move(*, actor: Any, proposal: Proposal, meeting: Meeting) -> Proposal:
    proposal = _decidable(proposal)
    if (
        meeting.forum_id != proposal.meeting.forum_id
        or not meeting.is_active
        or meeting.pk == proposal.meeting_id
    ):
        raise DomainError({"meeting": _("Choose another planned meeting of the same forum.")})
    source = proposal.meeting_id
    proposal.meeting = meeting
    proposal.save(update_fields=["meeting", "updated_at"])
    _tell_proposer(proposal, "moved")
    audit_record(
        actor=actor, action="proposal.move", obj=proposal, data={"from": source, "to": meeting.pk}
    )
    search_index(meeting)
    return proposal
