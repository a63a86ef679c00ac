"""services: The framework agreement."""

from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agreements.models import (
    AgreementVersion,
    FrameworkAgreement,
    Theme,
)
from agreements.services._common import NOTIFIED_FORUMS
from core.audit import audit_record
from core.cache_stamps import bump
from core.errors import DomainError
from core.queue import queue_after_commit
from core.search import search_index
from forums.models import Forum
from meetings.models import Meeting
from meetings.selectors import forum_people
from minutes.models import Minutes
from notifications.services import notify_people

# --- The framework agreement --------------------------------------------------------------


def _lock(agreement: FrameworkAgreement) -> FrameworkAgreement:
    return FrameworkAgreement.objects.select_for_update().get(pk=agreement.pk)


def _notify_forums(agreement: FrameworkAgreement, *, kind: str, key: str, context: dict) -> int:
    """Members of Partnerskabsforum and Borgmesterforum, once each (a mayor sits in both)."""
    people = {}
    for forum in Forum.objects.filter(slug__in=NOTIFIED_FORUMS):
        for person in forum_people(forum):
            people.setdefault(person.pk, person)
    return notify_people(
        people.values(),
        kind=kind,
        key=key,
        concerns=agreement,
        context={
            "agreement": agreement,
            "public_url": reverse("agreements:detail", args=[agreement.pk]),
            **context,
        },
    )


def _overlapping_in_force(agreement: FrameworkAgreement):
    return (
        FrameworkAgreement.objects.filter(status=FrameworkAgreement.Status.IN_FORCE)
        .exclude(pk=agreement.pk)
        .filter(period_start__lt=agreement.period_end, period_end__gt=agreement.period_start)
    )


def _check_no_overlap(
    agreement: FrameworkAgreement, *, allow_predecessor: bool
) -> FrameworkAgreement | None:
    """Refuse an agreement whose period overlaps another in force, except the one it
    succeeds (which it replaces). Returns that predecessor."""
    overlapping = list(_overlapping_in_force(agreement))
    predecessor = (
        next((a for a in overlapping if a.period_start < agreement.period_start), None)
        if allow_predecessor
        else None
    )
    others = [a for a in overlapping if a != predecessor]
    if others:
        raise DomainError(
            {
                "period_start": _("The period overlaps %(title)s, which is in force.")
                % {"title": others[0].title}
            }
        )
    return predecessor


PERIOD_YEARS = 4


def four_year_end(start: date) -> date:
    """The last day of a four-year period from `start` (1 January 2027 → 31 December 2030):
    the terms of reference's »4-årig politisk hovedaftale«, renewed every four years."""
    return start + relativedelta(years=PERIOD_YEARS, days=-1)


def _check_period(agreement: FrameworkAgreement) -> None:
    """Four years, or another length with a recorded reason (issue 10 §4)."""
    start, end = agreement.period_start, agreement.period_end
    if not (start and end) or end <= start or agreement.period_reason.strip():
        return
    if end != four_year_end(start):
        raise DomainError(
            {
                "period_end": _(
                    "The framework agreement runs for four years: from %(start)s it ends on "
                    "%(end)s. For another period (e.g. a transition period) record the reason."
                )
                % {
                    "start": date_format(start, "j. F Y"),
                    "end": date_format(four_year_end(start), "j. F Y"),
                }
            }
        )


def _is_renewal(agreement: FrameworkAgreement) -> bool:
    """A renewal follows an earlier framework agreement (any agreement starting before it)."""
    return (
        FrameworkAgreement.objects.exclude(pk=agreement.pk)
        .filter(period_start__lt=agreement.period_start)
        .exists()
    )


def _check_prepared_at(agreement: FrameworkAgreement) -> None:
    """The meeting named as preparing the agreement is a meeting of Borgmesterforum
    (»Forberede en 4-årig politisk hovedaftale … og at den fornys hvert 4. år«)."""
    meeting = agreement.prepared_at
    if meeting and (
        meeting.forum.slug != "borgmesterforum" or meeting.status == Meeting.Status.CANCELLED
    ):
        raise DomainError(
            {
                "prepared_at": _(
                    "The framework agreement is prepared by Borgmesterforum: choose a meeting "
                    "of Borgmesterforum that was not cancelled."
                )
            }
        )


@transaction.atomic
def agreement_save(*, actor: Any, agreement: FrameworkAgreement, **fields) -> FrameworkAgreement:
    """Create or change a framework agreement (`fields`: title, period_start, period_end,
    period_reason, parties, introduction, prepared_at).

    Refuses (DomainError at the field): a period other than four years
    (`four_year_end`) without a recorded `period_reason`; a `prepared_at` meeting that is
    not Borgmesterforum's; a new period or parties once the agreement is approved."""
    if agreement.pk and agreement.status not in (
        FrameworkAgreement.Status.DRAFT,
        FrameworkAgreement.Status.NEGOTIATED,
    ):
        protected = {"period_start", "period_end", "parties"} & set(fields)
        if any(getattr(agreement, f) != fields[f] for f in protected):
            raise DomainError(_("The period and parties of an approved agreement cannot change."))
    for name, value in fields.items():
        setattr(agreement, name, value)
    _check_period(agreement)
    _check_prepared_at(agreement)
    agreement.full_clean()
    agreement.save()
    audit_record(actor=actor, action="agreement.save", obj=agreement)
    bump("agreements")  # public agreement pages show it (core/cache_stamps.py)
    search_index(agreement)
    return agreement


@transaction.atomic
def theme_save(*, actor: Any, theme: Theme, **fields) -> Theme:
    for name, value in fields.items():
        setattr(theme, name, value)
    if theme.agreement.status in (
        FrameworkAgreement.Status.EXPIRED,
        FrameworkAgreement.Status.REPLACED,
    ):
        raise DomainError(_("An agreement that has ended cannot change."))
    theme.full_clean()
    theme.save()
    audit_record(
        actor=actor, action="agreement.theme", obj=theme.agreement, data={"theme": theme.title}
    )
    bump("agreements")  # public agreement pages show it (core/cache_stamps.py)
    search_index(theme.agreement)
    return theme


@transaction.atomic
def agreement_mark_negotiated(
    *, actor: Any, agreement: FrameworkAgreement, meeting: Meeting
) -> FrameworkAgreement:
    agreement = _lock(agreement)
    if agreement.status != FrameworkAgreement.Status.DRAFT:
        raise DomainError(_("Only a draft can be recorded as negotiated."))
    if meeting.forum.slug != "partnerskabsforum":
        raise DomainError(
            {"meeting": _("The agreement is negotiated at a meeting of Partnerskabsforum.")}
        )
    if not agreement.themes.exists():
        raise DomainError(_("The agreement has no themes yet."))
    if (
        Minutes.objects.filter(meeting=meeting)
        .exclude(status=Minutes.Status.DRAFT, sent_at__isnull=True)
        .exists()
    ):
        # The negotiated text goes out with the meeting's minutes (minutes extras); once
        # they are sent nothing more goes out with them, and the frozen minutes must not
        # claim a document that was never sent.
        raise DomainError(
            {
                "meeting": _(
                    "The negotiated agreement goes out with the meeting's minutes, and the "
                    "minutes of this meeting have already been sent: record the negotiation "
                    "before the minutes are sent."
                )
            }
        )
    if _is_renewal(agreement) and not agreement.prepared_at_id:
        raise DomainError(
            _(
                "A renewal of the framework agreement is prepared by Borgmesterforum: record "
                "the Borgmesterforum meeting that prepared it before it is negotiated."
            )
        )
    if agreement.prepared_at_id and agreement.prepared_at.starts_at > meeting.starts_at:
        raise DomainError(
            {
                "meeting": _(
                    "Partnerskabsforum negotiates the agreement after Borgmesterforum has "
                    "prepared it (%(day)s)."
                )
                % {
                    "day": date_format(
                        timezone.localdate(agreement.prepared_at.starts_at), "j. F Y"
                    )
                }
            }
        )
    agreement.status, agreement.negotiated_at = FrameworkAgreement.Status.NEGOTIATED, meeting
    agreement.save(update_fields=["status", "negotiated_at"])
    audit_record(
        actor=actor, action="agreement.negotiated", obj=agreement, data={"meeting": meeting.pk}
    )
    # Public agreement pages show it, and the meeting's minutes page links its text.
    bump("agreements", f"meeting:{meeting.pk}")
    search_index(agreement)
    return agreement


def _check_approvable(agreement: FrameworkAgreement, field: str) -> None:
    if agreement.status != FrameworkAgreement.Status.NEGOTIATED:
        raise DomainError(
            _(
                "Approvals are recorded after the agreement has been negotiated in Partnerskabsforum."
            )
        )
    if getattr(agreement, field):
        raise DomainError(_("This approval has already been recorded."))


@transaction.atomic
def agreement_record_br_approval(
    *, actor: Any, agreement: FrameworkAgreement, approved_on: date, case_reference: str
) -> FrameworkAgreement:
    agreement = _lock(agreement)
    _check_approvable(agreement, "br_approved_on")
    if not case_reference.strip():
        raise DomainError({"case_reference": _("Give the City Council's case reference.")})
    agreement.br_approved_on, agreement.br_case_reference = approved_on, case_reference.strip()
    agreement.save(update_fields=["br_approved_on", "br_case_reference"])
    return _after_approval(actor, agreement, "br")


@transaction.atomic
def agreement_record_housing_approval(
    *, actor: Any, agreement: FrameworkAgreement, approved_on: date
) -> FrameworkAgreement:
    agreement = _lock(agreement)
    _check_approvable(agreement, "housing_approved_on")
    agreement.housing_approved_on = approved_on
    agreement.save(update_fields=["housing_approved_on"])
    return _after_approval(actor, agreement, "housing")


def _after_approval(actor: Any, agreement: FrameworkAgreement, which: str) -> FrameworkAgreement:
    audit_record(actor=actor, action=f"agreement.approval_{which}", obj=agreement)
    _notify_forums(
        agreement,
        kind="agreement_approval",
        key=f"agreement-approval:{agreement.pk}:{which}",
        context={"which": which},
    )
    if agreement.br_approved_on and agreement.housing_approved_on:
        _enter_into_force(actor, agreement)
    bump("agreements")  # public agreement pages show it (core/cache_stamps.py)
    search_index(agreement)
    return agreement


def _enter_into_force(actor: Any, agreement: FrameworkAgreement) -> None:
    """Both approvals are recorded: the agreement is in force from the later of the two
    (or its period start); its predecessor is replaced; version 1 is frozen."""
    predecessor = _check_no_overlap(agreement, allow_predecessor=True)
    since = max(agreement.br_approved_on, agreement.housing_approved_on, agreement.period_start)
    agreement.status, agreement.in_force_since = FrameworkAgreement.Status.IN_FORCE, since
    agreement.save(update_fields=["status", "in_force_since"])
    if predecessor:
        predecessor.status, predecessor.replaced_by = FrameworkAgreement.Status.REPLACED, agreement
        predecessor.ended_on = since - timedelta(days=1)
        predecessor.save(update_fields=["status", "replaced_by", "ended_on"])
        audit_record(
            actor=actor, action="agreement.replaced", obj=predecessor, data={"by": agreement.pk}
        )
    _freeze_version(
        actor,
        agreement,
        adopted_on=since,
        meeting=agreement.negotiated_at,
        decision="",
        change_note=_("The agreement as approved."),
    )
    audit_record(
        actor=actor, action="agreement.in_force", obj=agreement, data={"since": since.isoformat()}
    )


def agreement_snapshot(agreement: FrameworkAgreement) -> dict:
    return {
        "title": agreement.title,
        "introduction": agreement.introduction,
        "parties": agreement.parties,
        "period": [agreement.period_start.isoformat(), agreement.period_end.isoformat()],
        "themes": [
            {"title": t.title, "goals": t.goals, "priorities": t.priorities}
            for t in agreement.themes.order_by("position", "pk")
        ],
    }


def _freeze_version(
    actor, agreement, *, adopted_on: date, meeting, decision: str, change_note: str
):
    last = agreement.versions.order_by("-number").first()
    version = AgreementVersion.objects.create(
        agreement=agreement,
        number=(last.number + 1) if last else 1,
        adopted_on=adopted_on,
        meeting=meeting,
        decision=decision,
        change_note=change_note,
        snapshot=agreement_snapshot(agreement),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _notify_forums(
        agreement,
        kind="agreement_version",
        key=f"agreement-version:{version.pk}",
        context={"version": version},
    )
    _queue_pdf(version.pk)
    return version


def _queue_pdf(version_id: int) -> None:
    from agreements.tasks import render_agreement_version

    queue_after_commit(render_agreement_version, version_id)


@transaction.atomic
def agreement_adjust(
    *,
    actor: Any,
    agreement: FrameworkAgreement,
    meeting: Meeting,
    adopted_on: date,
    decision: str,
    change_note: str,
) -> AgreementVersion:
    """Partnerskabsforum decided to adjust the priorities: freeze the current text of the
    themes as the next version, linked to the meeting and its decision."""
    agreement = _lock(agreement)
    if agreement.status != FrameworkAgreement.Status.IN_FORCE:
        raise DomainError(_("Only an agreement in force can be adjusted."))
    if meeting.forum.slug != "partnerskabsforum":
        raise DomainError({"meeting": _("Adjustments are decided by Partnerskabsforum.")})
    if not change_note.strip():
        raise DomainError({"change_note": _("Describe what the adjustment changes.")})
    earliest = max(
        filter(
            None,
            [agreement.in_force_since, *agreement.versions.values_list("adopted_on", flat=True)],
        ),
        default=None,
    )
    if earliest and adopted_on < earliest:
        raise DomainError(
            {
                "adopted_on": _(
                    "An adjustment cannot be adopted before %(day)s, the date of the "
                    "version in force."
                )
                % {"day": date_format(earliest, "j. F Y")}
            }
        )
    last = agreement.versions.order_by("-number").first()
    if last and last.snapshot == agreement_snapshot(agreement):
        raise DomainError(
            _("The themes have not changed since version %(number)d. Edit them first.")
            % {"number": last.number}
        )
    version = _freeze_version(
        actor,
        agreement,
        adopted_on=adopted_on,
        meeting=meeting,
        decision=decision.strip(),
        change_note=change_note.strip(),
    )
    audit_record(
        actor=actor, action="agreement.adjust", obj=agreement, data={"version": version.number}
    )
    bump("agreements")  # public agreement pages show it (core/cache_stamps.py)
    search_index(agreement)
    return version


def agreement_version_render(*, version_id: int) -> AgreementVersion:
    from django.core.files.base import ContentFile

    from agreements.pdf import render_agreement_pdf

    version = AgreementVersion.objects.select_related("agreement").get(pk=version_id)
    if version.pdf:
        return version
    name = version.pdf.storage.save(
        f"agreements/hovedaftale-{version.agreement_id}-v{version.number}.pdf",
        ContentFile(render_agreement_pdf(version)),
    )
    AgreementVersion.objects.filter(pk=version.pk, pdf="").update(pdf=name)
    version.refresh_from_db()
    bump("agreements")  # public agreement pages show it (core/cache_stamps.py)
    return version
