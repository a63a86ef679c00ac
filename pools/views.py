"""Funding pools (issue 10 §1): the public summaries of pools marked public, and the
secretariat's pages to register pools and record the grants Samarbejdsforum decides."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import secretariat_required
from core.forms import call_service
from core.pages import form_page
from pools import selectors, services
from pools.forms import GrantForm, PoolForm, WithdrawForm
from pools.models import Grant, Pool


def pool_list(request):
    pools = [(pool, selectors.public_pool_summary(pool)) for pool in selectors.public_pools_qs()]
    return render(request, "pools/list.html", {"pools": pools})


def pool_detail(request, slug: str):
    pool = selectors.public_pool_or_404(slug)
    return render(
        request,
        "pools/detail.html",
        {"pool": pool, "summary": selectors.public_pool_summary(pool)},
    )


@secretariat_required
def manage_list(request):
    return render(
        request, "pools/secretariat/list.html", {"rows": selectors.pools_for_secretariat()}
    )


@secretariat_required
def manage(request, pk: int):
    pool = get_object_or_404(Pool, pk=pk)
    return render(
        request,
        "pools/secretariat/manage.html",
        {
            "pool": pool,
            "totals": selectors.pool_totals(pool),
            "grants": selectors.pool_grants(pool),
            "withdraw_form": WithdrawForm(),
        },
    )


def _pools_crumb() -> dict:
    """The breadcrumb's parent (»Puljer«) for the secretariat's pool forms."""
    return {"parent_url": reverse("pools:manage_list"), "parent_title": _("Funding pools")}


@secretariat_required
def pool_edit(request, pk: int | None = None):
    pool = get_object_or_404(Pool, pk=pk) if pk else None
    form = PoolForm(request.POST or None, instance=pool)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form, lambda: services.pool_save(actor=request.user, pool=pool, **form.cleaned_data)
        )
        if saved:
            messages.success(request, _("The funding pool is saved."))
            return redirect("pools:manage", pk=saved.pk)
    return form_page(
        request,
        form,
        title=_("Edit funding pool") if pk else _("New funding pool"),
        cancel_url=reverse("pools:manage", args=[pk]) if pk else reverse("pools:manage_list"),
        extra=_pools_crumb(),
    )


@secretariat_required
def grant_new(request, pk: int):
    pool = get_object_or_404(Pool, pk=pk)
    form = GrantForm(request.POST or None, initial={"minutes_item": request.GET.get("punkt")})
    if request.method == "POST" and form.is_valid():
        grant = call_service(
            form, lambda: services.grant_record(actor=request.user, pool=pool, **form.cleaned_data)
        )
        if grant:
            messages.success(request, _("The grant is recorded."))
            return redirect("pools:manage", pk=pool.pk)
    return form_page(
        request,
        form,
        title=_("Record a grant from %(pool)s") % {"pool": pool.name},
        intro=_(
            "A grant reserves its amount at once and becomes final when the minutes that "
            "decided it are approved."
        ),
        cancel_url=reverse("pools:manage", args=[pool.pk]),
        extra=_pools_crumb(),
    )


@secretariat_required
@require_POST
def grant_withdraw(request, pk: int):
    grant = get_object_or_404(Grant, pk=pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the withdrawal."))
    elif call_service(
        form,
        lambda: services.grant_withdraw(
            actor=request.user, grant=grant, reason=form.cleaned_data["reason"]
        ),
    ):
        messages.success(request, _("The grant is withdrawn."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("pools:manage", pk=grant.pool_id)
