"""The agreements' texts in the search (core.search): the framework agreement (its
introduction and themes) and each of its versions, sub-agreements and initiatives.

Who may read what is decided by this app's public selectors: an agreement and its
versions are PUBLIC once in `public_agreements()` (in force, expired, replaced), else
SECRETARIAT (drafts); a sub-agreement is PUBLIC once in `public_sub_agreements()`, else
SECRETARIAT; the initiative register (`public_initiatives()`) is PUBLIC."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agreements.models import FrameworkAgreement, Initiative, SubAgreement
from agreements.selectors import public_agreements, public_initiatives, public_sub_agreements
from core.search import PUBLIC, SECRETARIAT, SearchDoc, search_provider_register

KINDS = {
    "agreement": _("Framework agreement"),
    "sub_agreement": _("Sub-agreements"),
    "initiative": _("Initiatives"),
}


def _joined(*texts: str) -> str:
    return "\n\n".join(t for t in texts if t)


def agreement_documents(agreement: FrameworkAgreement) -> list[SearchDoc]:
    """The agreement and each of its versions (core.search.Provider)."""
    public = public_agreements().filter(pk=agreement.pk).exists()
    visibility = PUBLIC if public else SECRETARIAT
    url = (
        agreement.get_absolute_url()
        if public
        else reverse("agreements:manage", args=[agreement.pk])
    )
    themes = [_joined(t.title, t.goals, t.priorities) for t in agreement.themes.all()]
    docs = [
        SearchDoc(
            kind="agreement",
            ref=f"agreements.frameworkagreement:{agreement.pk}",
            url=url,
            title=agreement.title,
            body=_joined(agreement.introduction, *themes),
            visibility=visibility,
            year=agreement.period_start.year,
        )
    ]
    for version in agreement.versions.order_by("number"):
        docs.append(
            SearchDoc(
                kind="agreement",
                ref=f"agreements.agreementversion:{version.pk}",
                url=reverse("agreements:version", args=[agreement.pk, version.number])
                if public
                else url,
                title=f"{agreement.title} – version {version.number}",
                body=_joined(version.decision, version.change_note),
                visibility=visibility,
                year=version.adopted_on.year,
            )
        )
    return docs


def sub_agreement_documents(sub: SubAgreement) -> list[SearchDoc]:
    """The sub-agreement (core.search.Provider)."""
    public = public_sub_agreements().filter(pk=sub.pk).exists()
    return [
        SearchDoc(
            kind="sub_agreement",
            ref=f"agreements.subagreement:{sub.pk}",
            url=sub.get_absolute_url(),
            title=sub.title,
            body=_joined(sub.theme, sub.summary),
            visibility=PUBLIC if public else SECRETARIAT,
            year=sub.period_start.year,
        )
    ]


def initiative_documents(initiative: Initiative) -> list[SearchDoc]:
    """The initiative (core.search.Provider)."""
    public = public_initiatives().filter(pk=initiative.pk).exists()
    return [
        SearchDoc(
            kind="initiative",
            ref=f"agreements.initiative:{initiative.pk}",
            url=initiative.get_absolute_url(),
            title=initiative.name,
            body=_joined(initiative.area, initiative.description),
            visibility=PUBLIC if public else SECRETARIAT,
            year=initiative.period_start.year,
        )
    ]


def register() -> None:
    search_provider_register(
        FrameworkAgreement,
        agreement_documents,
        roots=lambda: FrameworkAgreement.objects.iterator(),
        kinds={"agreement": KINDS["agreement"]},
    )
    search_provider_register(
        SubAgreement,
        sub_agreement_documents,
        roots=lambda: SubAgreement.objects.iterator(),
        kinds={"sub_agreement": KINDS["sub_agreement"]},
    )
    search_provider_register(
        Initiative,
        initiative_documents,
        roots=lambda: Initiative.objects.iterator(),
        kinds={"initiative": KINDS["initiative"]},
    )
