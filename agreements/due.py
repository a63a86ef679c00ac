"""The agreements' deadlines in the secretariat's cockpit (core.due, issue 14 §3).

- "sub_agreement_expires": a signed sub-agreement whose period ends at or before `until`
  (the end of its last day); it goes when it is extended or expires (the sweep);
- "agreement_renewal": the framework agreement in force, from 12 months before its period
  ends (the renewal reminder's lead time, MANDATES.md: renewed every 4 years), dated by
  the end of the period; it goes when a successor has been negotiated or is in force.
Each source is one query.
"""

from collections.abc import Iterator
from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agreements.models import FrameworkAgreement, SubAgreement
from core.due import DueItem
from meetings import deadlines

RENEWAL_LEAD = relativedelta(months=12)


def _item(*, kind: str, label, day, url: str, rule, detail: str) -> DueItem:
    return DueItem(
        kind=kind,
        label=str(label),
        due=deadlines.end_of_day(day),
        act_on=deadlines.act_by(day),
        url=url,
        rule=str(rule),
        detail=detail,
    )


def sub_agreements_expiring(*, now: datetime, until: datetime) -> Iterator[DueItem]:
    """Signed sub-agreements whose period ends at or before `until`'s day."""
    subs = SubAgreement.objects.filter(
        status=SubAgreement.Status.SIGNED, period_end__lte=deadlines.local_day(until)
    ).select_related("administration", "housing_organisation")
    for sub in subs:
        yield _item(
            kind="sub_agreement_expires",
            label=_("Sub-agreement ends"),
            day=sub.period_end,
            url=reverse("agreements:sub_edit", args=[sub.pk]),
            rule=_("Extend or let it end"),
            detail=f"{sub.title} ({sub.administration} / {sub.housing_organisation})",
        )


def agreement_renewals(*, now: datetime, until: datetime) -> Iterator[DueItem]:
    """Framework agreements in force whose period ends within 12 months of `until` and
    that have no negotiated or in-force successor."""
    successor = FrameworkAgreement.objects.filter(
        period_start__gt=OuterRef("period_start"),
        status__in=[FrameworkAgreement.Status.NEGOTIATED, FrameworkAgreement.Status.IN_FORCE],
    )
    agreements = FrameworkAgreement.objects.filter(
        status=FrameworkAgreement.Status.IN_FORCE,
        period_end__lte=deadlines.local_day(until) + RENEWAL_LEAD,
    ).filter(~Exists(successor))
    for agreement in agreements:
        yield _item(
            kind="agreement_renewal",
            label=_("Framework agreement to renew"),
            day=agreement.period_end,
            url=reverse("agreements:manage", args=[agreement.pk]),
            rule=_("Renewed every 4 years"),
            detail=agreement.title,
        )


def register() -> None:
    from core.due import due_source_register

    due_source_register("sub_agreement_expires", sub_agreements_expiring)
    due_source_register("agreement_renewal", agreement_renewals)
