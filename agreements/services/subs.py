"""services: Sub-agreements."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agreements.models import (
    Initiative,
    InitiativeStep,
    SubAgreement,
)
from core.audit import audit_record
from core.cache_stamps import bump
from core.errors import DomainError
from core.search import search_index
from meetings.models import Meeting

# --- Sub-agreements -----------------------------------------------------------------------


@transaction.atomic
def sub_agreement_save(
    *, actor: Any, sub_agreement: SubAgreement, goals=None, prepared_at=None, files=(), **fields
) -> SubAgreement:
    from meetings.attachments import clean_name, storage_name, validate_upload

    for name, value in fields.items():
        setattr(sub_agreement, name, value)
    sub_agreement.full_clean()
    sub_agreement.save()
    if goals is not None:
        sub_agreement.goals.set(goals)
    if prepared_at is not None:
        sub_agreement.prepared_at.set(prepared_at)
    for upload in files:
        content_type, extension = validate_upload(upload)
        document = sub_agreement.documents.model(
            sub_agreement=sub_agreement,
            name=clean_name(upload.name, extension),
            content_type=content_type,
            size=upload.size,
        )
        document.file.save(storage_name(document.name), upload, save=False)
        document.save()
    audit_record(actor=actor, action="sub_agreement.save", obj=sub_agreement)
    bump("agreements")  # public agreement pages show it (core/cache_stamps.py)
    search_index(sub_agreement)
    return sub_agreement


@transaction.atomic
def initiative_save(
    *, actor: Any, initiative: Initiative, meetings=None, decisions=None, **fields
) -> Initiative:
    for name, value in fields.items():
        setattr(initiative, name, value)
    initiative.full_clean()
    initiative.save()
    if meetings is not None:
        initiative.meetings.set(meetings)
    if decisions is not None:
        initiative.decisions.set(decisions)
    audit_record(actor=actor, action="initiative.save", obj=initiative)
    bump("agreements")  # public agreement pages show it (core/cache_stamps.py)
    search_index(initiative)
    return initiative


def _has_step(initiative: Initiative, *kinds: str) -> InitiativeStep | None:
    return initiative.steps.filter(kind__in=kinds).first()


@transaction.atomic
def initiative_propose(
    *, actor: Any, initiative: Initiative, meeting: Meeting, note: str = ""
) -> InitiativeStep:
    """Borgmesterforum »indstiller nye indsatsområder herunder konkrete forslag til nye
    områdefornyelsesprojekter« (issue 10 §4): record that `meeting` (Borgmesterforum's,
    not cancelled, already begun: a proposal is recorded after the meeting, never ahead of it)
    proposed `initiative`. Once per initiative; the meeting is added to the initiative's
    meetings. DomainError at »meeting« otherwise."""
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if meeting.forum.slug != "borgmesterforum" or meeting.status == Meeting.Status.CANCELLED:
        raise DomainError(
            {
                "meeting": _(
                    "New area-based initiatives are proposed by Borgmesterforum: choose a "
                    "meeting of Borgmesterforum that was not cancelled."
                )
            }
        )
    if meeting.starts_at > timezone.now():
        raise DomainError(
            {
                "meeting": _(
                    "Borgmesterforum has not held this meeting yet: record the proposal once "
                    "the meeting has taken place."
                )
            }
        )
    if _has_step(initiative, InitiativeStep.Kind.PROPOSED):
        raise DomainError(_("The proposal of this initiative is already recorded."))
    step = InitiativeStep.objects.create(
        initiative=initiative,
        kind=InitiativeStep.Kind.PROPOSED,
        meeting=meeting,
        on=timezone.localdate(meeting.starts_at),
        note=note.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    initiative.meetings.add(meeting)
    audit_record(
        actor=actor, action="initiative.propose", obj=initiative, data={"meeting": meeting.pk}
    )
    bump("agreements")  # the initiative's public page shows its trail
    return step


@transaction.atomic
def initiative_decide(
    *,
    actor: Any,
    initiative: Initiative,
    adopted: bool,
    decided_on: date,
    decided_by: str,
    reference: str = "",
    note: str = "",
) -> InitiativeStep:
    """Record the decision on an initiative Borgmesterforum proposed: adopted or not, on
    `decided_on` (not before the proposal, not after today in Copenhagen), by `decided_by` (e.g. »Borgerrepræsentationen«).
    Refused (DomainError) before a proposal is recorded or when a decision already is."""
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    proposal = _has_step(initiative, InitiativeStep.Kind.PROPOSED)
    if not proposal:
        raise DomainError(
            _("Record Borgmesterforum's proposal of the initiative before the decision on it.")
        )
    if _has_step(initiative, InitiativeStep.Kind.ADOPTED, InitiativeStep.Kind.NOT_ADOPTED):
        raise DomainError(_("The decision on this initiative is already recorded."))
    if decided_on < proposal.on:
        raise DomainError(
            {
                "decided_on": _("The decision cannot be earlier than the proposal (%(day)s).")
                % {"day": date_format(proposal.on, "j. F Y")}
            }
        )
    if decided_on > timezone.localdate():
        raise DomainError(
            {"decided_on": _("The decision cannot be dated in the future: record it once made.")}
        )
    if not decided_by.strip():
        raise DomainError({"decided_by": _("Say who decided.")})
    step = InitiativeStep.objects.create(
        initiative=initiative,
        kind=InitiativeStep.Kind.ADOPTED if adopted else InitiativeStep.Kind.NOT_ADOPTED,
        on=decided_on,
        decided_by=decided_by.strip(),
        reference=reference.strip(),
        note=note.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        action="initiative.decide",
        obj=initiative,
        data={"adopted": adopted, "on": decided_on.isoformat()},
    )
    bump("agreements")
    return step
