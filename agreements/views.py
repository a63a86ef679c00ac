"""Public pages of the framework agreement, its versions, the published sub-agreements and
the initiative register; and the secretariat's pages to manage them."""

from urllib.parse import urljoin

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.permissions import secretariat_required
from agreements import selectors, services
from agreements.forms import (
    AdjustForm,
    AgreementForm,
    BrApprovalForm,
    HousingApprovalForm,
    InitiativeDecideForm,
    InitiativeFilterForm,
    InitiativeForm,
    InitiativeProposeForm,
    NegotiatedForm,
    SubAgreementFilterForm,
    SubAgreementForm,
    ThemeForm,
)
from agreements.models import (
    AgreementVersion,
    FrameworkAgreement,
    Initiative,
    SubAgreement,
    SubAgreementDocument,
    Theme,
)
from core.cache_stamps import public_cache
from core.diff import word_diff
from core.errors import DomainError
from core.forms import call_service
from core.pages import form_page
from meetings.views import _file_response


def _agreement_page(request, agreement: FrameworkAgreement | None):
    version = selectors.latest_agreement_version(agreement) if agreement else None
    return render(
        request,
        "agreements/detail.html",
        {
            "agreement": agreement,
            "version": version,
            "snapshot": version.snapshot if version else {},
            "versions": selectors.public_versions(agreement) if agreement else [],
            "others": selectors.public_agreements().exclude(pk=agreement.pk) if agreement else [],
        },
    )


@public_cache("forums", "agreements", "meetings")
def current(request):
    agreement = selectors.agreement_in_force() or selectors.public_agreements().first()
    return _agreement_page(request, agreement)


@public_cache("forums", "agreements", "meetings")
def detail(request, pk: int):
    return _agreement_page(request, selectors.public_agreement_or_404(pk))


def compare_snapshots(old: dict, new: dict) -> list[dict]:
    before = {t["title"]: t for t in old.get("themes", [])}
    rows = []
    for theme in new.get("themes", []):
        prior = before.pop(theme["title"], {"goals": "", "priorities": ""})
        rows.append(
            {
                "title": theme["title"],
                "goals": word_diff(prior["goals"], theme["goals"]),
                "priorities": word_diff(prior["priorities"], theme["priorities"]),
                "removed": False,
            }
        )
    rows.extend(
        {
            "title": title,
            "goals": word_diff(t["goals"], ""),
            "priorities": word_diff(t["priorities"], ""),
            "removed": True,
        }
        for title, t in before.items()
    )
    return rows


@public_cache("forums", "agreements", "meetings")
def version(request, pk: int, number: int):
    agreement = selectors.public_agreement_or_404(pk)
    this = get_object_or_404(
        AgreementVersion.objects.select_related("meeting__forum"),
        agreement=agreement,
        number=number,
    )
    return render(request, "agreements/version.html", {"agreement": agreement, "version": this})


@public_cache("forums", "agreements", "meetings")
def compare(request, pk: int):
    agreement = selectors.public_agreement_or_404(pk)
    versions = {v.number: v for v in agreement.versions.all()}
    if not versions:
        raise Http404
    try:
        second = int(request.GET.get("til", max(versions)))
        first = int(request.GET.get("fra", max(second - 1, min(versions))))
    except ValueError:
        raise Http404 from None
    if first not in versions or second not in versions:
        raise Http404
    return render(
        request,
        "agreements/compare.html",
        {
            "agreement": agreement,
            "first": versions[first],
            "second": versions[second],
            "numbers": sorted(versions),
            "rows": compare_snapshots(versions[first].snapshot, versions[second].snapshot),
            "introduction": word_diff(
                versions[first].snapshot.get("introduction", ""),
                versions[second].snapshot.get("introduction", ""),
            ),
        },
    )


def version_pdf(request, pk: int, number: int):
    agreement = selectors.public_agreement_or_404(pk)
    this = get_object_or_404(AgreementVersion, agreement=agreement, number=number)
    return _file_response(this.pdf, f"hovedaftale-version-{number}.pdf")


class PlainTextAtomFeed(Atom1Feed):
    """Atom whose entry summaries are plain text (RFC 4287 §3.1.1, type="text"): a change
    note is what the secretariat typed, not HTML, so `<b>` and `&` in it show as typed in
    every reader instead of being interpreted (Django's Atom1Feed declares type="html")."""

    def add_root_elements(self, handler):
        # The author's <uri> is the site's home page, absolute like every link of the feed.
        if self.feed["author_name"] and not self.feed["author_link"]:
            self.feed["author_link"] = urljoin(self.feed["link"], "/")
        super().add_root_elements(handler)

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class AdjustmentFeed(Feed):
    """An Atom feed announcing each new version of the framework agreement."""

    feed_type = PlainTextAtomFeed
    title = gettext_lazy("The framework agreement – new versions")
    link = reverse_lazy("agreements:current")
    subtitle = gettext_lazy(
        "Each adjustment of the framework agreement between the City Council and BL 1. kreds."
    )
    # RFC 4287 §4.1.1: a feed without an author on every entry has one itself.
    author_name = gettext_lazy(
        "The secretariat, Teknik- og Miljøforvaltningen, Center for Bydesign"
    )

    def items(self):
        return selectors.public_agreement_versions()[:30]

    def item_title(self, item: AgreementVersion) -> str:
        return _("%(title)s, version %(number)d") % {
            "title": item.agreement.title,
            "number": item.number,
        }

    def item_description(self, item: AgreementVersion) -> str:
        return item.change_note

    def item_pubdate(self, item: AgreementVersion):
        return item.created_at

    def item_updateddate(self, item: AgreementVersion):
        return item.created_at


@public_cache("forums", "agreements")
def sub_agreements(request):
    form = SubAgreementFilterForm(request.GET)
    form.explain(request)
    filters = form.values()
    secretariat = request.user.is_authenticated and request.user.is_secretariat
    items = selectors.sub_agreement_register(
        published_only=not secretariat, **{k: v for k, v in filters.items() if v}
    )
    return render(
        request,
        "agreements/sub_list.html",
        {"form": form, "sub_agreements": items, "secretariat": secretariat},
    )


@public_cache("forums", "agreements")
def sub_detail(request, pk: int):
    sub = selectors.visible_sub_agreement_or_404(request.user, pk)
    return render(request, "agreements/sub_detail.html", {"sub": sub})


def sub_document(request, pk: int):
    document = get_object_or_404(SubAgreementDocument, pk=pk)
    selectors.visible_sub_agreement_or_404(request.user, document.sub_agreement_id)
    return _file_response(document.file, document.name)


@public_cache("forums", "agreements")
def initiatives(request):
    filters = InitiativeFilterForm(request.GET)
    filters.explain(request)
    kind, status = filters.values()["type"], filters.values()["status"]
    return render(
        request,
        "agreements/initiative_list.html",
        {
            "initiatives": selectors.initiative_register(kind=kind, status=status),
            "kind": kind,
            "status": status,
            "kinds": Initiative.Kind.choices,
            "statuses": Initiative.Status.choices,
        },
    )


@public_cache("forums", "agreements", "meetings")
def initiative(request, pk: int):
    item = get_object_or_404(selectors.public_initiatives(), pk=pk)
    return render(
        request,
        "agreements/initiative_detail.html",
        {
            "initiative": item,
            "meetings": selectors.public_initiative_meetings(item),
            "decisions": selectors.public_initiative_decisions(item),
            "trail": item.steps.select_related("meeting__forum"),
        },
    )


# --- The secretariat ----------------------------------------------------------------------


@secretariat_required
def manage_list(request):
    return render(
        request,
        "agreements/secretariat/list.html",
        {"agreements": FrameworkAgreement.objects.order_by("-period_start")},
    )


@secretariat_required
def agreement_edit(request, pk: int | None = None):
    agreement = get_object_or_404(FrameworkAgreement, pk=pk) if pk else FrameworkAgreement()
    form = AgreementForm(request.POST or None, instance=agreement)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            lambda: services.agreement_save(
                actor=request.user, agreement=agreement, **form.cleaned_data
            ),
        )
        if saved:
            messages.success(request, _("The agreement is saved."))
            return redirect("agreements:manage", pk=saved.pk)
    return form_page(
        request,
        form,
        title=_("Edit the agreement") if pk else _("New framework agreement"),
        cancel_url=reverse("agreements:manage_list"),
    )


@secretariat_required
def manage(request, pk: int):
    agreement = get_object_or_404(
        FrameworkAgreement.objects.select_related("negotiated_at__forum"), pk=pk
    )
    return render(
        request,
        "agreements/secretariat/manage.html",
        {
            "agreement": agreement,
            "themes": agreement.themes.all(),
            "versions": agreement.versions.order_by("-number"),
            "negotiated_form": NegotiatedForm(),
            "br_form": BrApprovalForm(),
            "housing_form": HousingApprovalForm(),
            "adjust_form": AdjustForm(),
        },
    )


@secretariat_required
def theme_edit(request, pk: int | None = None, agreement_pk: int | None = None):
    theme = (
        get_object_or_404(Theme, pk=pk)
        if pk
        else Theme(agreement=get_object_or_404(FrameworkAgreement, pk=agreement_pk))
    )
    form = ThemeForm(request.POST or None, instance=theme)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(
            form, lambda: services.theme_save(actor=request.user, theme=theme, **form.cleaned_data)
        )
    ):
        messages.success(request, _("The theme is saved."))
        return redirect("agreements:manage", pk=theme.agreement_id)
    return form_page(
        request,
        form,
        title=_("Theme"),
        cancel_url=reverse("agreements:manage", args=[theme.agreement_id]),
    )


def _lifecycle(request, pk: int, form_class, call, success: str):
    agreement = get_object_or_404(FrameworkAgreement, pk=pk)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("agreements:manage", pk=pk)
    try:
        call(agreement, form.cleaned_data)
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect("agreements:manage", pk=pk)


@secretariat_required
@require_POST
def negotiated(request, pk: int):
    return _lifecycle(
        request,
        pk,
        NegotiatedForm,
        lambda a, d: services.agreement_mark_negotiated(
            actor=request.user, agreement=a, meeting=d["meeting"]
        ),
        _("Recorded as negotiated in Partnerskabsforum."),
    )


@secretariat_required
@require_POST
def br_approval(request, pk: int):
    return _lifecycle(
        request,
        pk,
        BrApprovalForm,
        lambda a, d: services.agreement_record_br_approval(actor=request.user, agreement=a, **d),
        _("The City Council's approval is recorded."),
    )


@secretariat_required
@require_POST
def housing_approval(request, pk: int):
    return _lifecycle(
        request,
        pk,
        HousingApprovalForm,
        lambda a, d: services.agreement_record_housing_approval(
            actor=request.user, agreement=a, **d
        ),
        _("The housing organisations' approval is recorded."),
    )


@secretariat_required
@require_POST
def adjust(request, pk: int):
    return _lifecycle(
        request,
        pk,
        AdjustForm,
        lambda a, d: services.agreement_adjust(actor=request.user, agreement=a, **d),
        _("The adjustment is recorded as a new version and published."),
    )


@secretariat_required
def sub_edit(request, pk: int | None = None):
    sub = get_object_or_404(SubAgreement, pk=pk) if pk else SubAgreement()
    form = SubAgreementForm(request.POST or None, request.FILES or None, instance=sub)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        files = data.pop("files")
        saved = call_service(
            form,
            lambda: services.sub_agreement_save(
                actor=request.user, sub_agreement=sub, files=files, **data
            ),
        )
        if saved:
            messages.success(request, _("The sub-agreement is saved."))
            return redirect("agreements:sub_detail", pk=saved.pk)
    return form_page(
        request,
        form,
        title=_("Edit sub-agreement") if pk else _("New sub-agreement"),
        cancel_url=reverse("agreements:subs"),
        multipart=True,
    )


@secretariat_required
def initiative_edit(request, pk: int | None = None):
    item = get_object_or_404(Initiative, pk=pk) if pk else Initiative()
    form = InitiativeForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        meetings, decisions = data.pop("meetings"), data.pop("decisions")
        saved = call_service(
            form,
            lambda: services.initiative_save(
                actor=request.user, initiative=item, meetings=meetings, decisions=decisions, **data
            ),
        )
        if saved:
            messages.success(request, _("The initiative is saved."))
            return redirect("agreements:initiative", pk=saved.pk)
    return form_page(
        request,
        form,
        title=_("Edit initiative") if pk else _("New initiative"),
        cancel_url=reverse("agreements:initiatives"),
    )


@secretariat_required
def initiative_propose(request, pk: int):
    item = get_object_or_404(Initiative, pk=pk)
    form = InitiativeProposeForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(
            form,
            lambda: services.initiative_propose(
                actor=request.user, initiative=item, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, _("Borgmesterforum's proposal is recorded."))
        return redirect("agreements:initiative", pk=item.pk)
    return form_page(
        request,
        form,
        title=_("Proposed by Borgmesterforum: %(name)s") % {"name": item.name},
        cancel_url=reverse("agreements:initiative", args=[item.pk]),
    )


@secretariat_required
def initiative_decide(request, pk: int):
    item = get_object_or_404(Initiative, pk=pk)
    form = InitiativeDecideForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(
            form,
            lambda: services.initiative_decide(
                actor=request.user, initiative=item, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, _("The decision is recorded."))
        return redirect("agreements:initiative", pk=item.pk)
    return form_page(
        request,
        form,
        title=_("Decision on %(name)s") % {"name": item.name},
        cancel_url=reverse("agreements:initiative", args=[item.pk]),
    )


def negotiated_pdf(request, pk: int):
    """The framework agreement as Partnerskabsforum negotiated it, the PDF that goes out
    with that meeting's minutes (agreements.selectors.negotiated_text_visible decides who)."""
    from django.http import HttpResponse

    from agreements.pdf import render_negotiated_pdf

    agreement = get_object_or_404(FrameworkAgreement.objects.select_related("negotiated_at"), pk=pk)
    if not selectors.negotiated_text_visible(request.user, agreement):
        raise Http404
    response = HttpResponse(
        render_negotiated_pdf(agreement, services.agreement_snapshot(agreement)),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = (
        f'inline; filename="hovedaftale-{agreement.pk}-forhandlet.pdf"'
    )
    return response
