from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from agreements.models import AgreementVersion, FrameworkAgreement, Initiative, SubAgreement


def agreement_in_force(on: date | None = None) -> FrameworkAgreement | None:
    on = on or timezone.localdate()
    return (
        FrameworkAgreement.objects.filter(
            status=FrameworkAgreement.Status.IN_FORCE, period_start__lte=on
        )
        .order_by("-period_start")
        .first()
        or FrameworkAgreement.objects.filter(status=FrameworkAgreement.Status.IN_FORCE)
        .order_by("period_start")
        .first()
    )


def public_agreements() -> QuerySet[FrameworkAgreement]:
    return FrameworkAgreement.objects.filter(
        status__in=[
            FrameworkAgreement.Status.IN_FORCE,
            FrameworkAgreement.Status.EXPIRED,
            FrameworkAgreement.Status.REPLACED,
        ]
    ).order_by("-period_start")


def latest_agreement_version(agreement: FrameworkAgreement) -> AgreementVersion | None:
    return agreement.versions.order_by("-number").first()


def public_versions(agreement: FrameworkAgreement) -> QuerySet[AgreementVersion]:
    return agreement.versions.select_related("meeting__forum").order_by("-number")


def sub_agreement_register(
    *,
    published_only: bool = False,
    theme: str = "",
    administration=None,
    housing_organisation=None,
    status: str = "",
) -> QuerySet[SubAgreement]:
    qs = SubAgreement.objects.select_related("administration", "housing_organisation")
    if published_only:
        qs = qs.filter(is_published=True)
    if theme:
        qs = qs.filter(Q(theme__icontains=theme) | Q(goals__title__icontains=theme)).distinct()
    if administration:
        qs = qs.filter(administration=administration)
    if housing_organisation:
        qs = qs.filter(housing_organisation=housing_organisation)
    if status:
        qs = qs.filter(status=status)
    return qs


def initiative_register(*, kind: str = "", status: str = "") -> QuerySet[Initiative]:
    qs = Initiative.objects.select_related("responsible")
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs


def initiative_status_summary() -> str:
    """One line for Borgmesterforum's standing item: how many initiatives in each state."""
    counts = {s: Initiative.objects.filter(status=s).count() for s in Initiative.Status.values}
    return ", ".join(f"{counts[s]} {label.lower()}" for s, label in Initiative.Status.choices)
