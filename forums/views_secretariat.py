"""The secretariat's pages for organisations, people, memberships and theme groups.

Each view: load, bind a form, call a service, say what happened, redirect."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import secretariat_required
from accounts.services import account_invite
from core.audit import audit_trail
from core.cockpit import COCKPIT_WEEKS, cockpit
from core.contributions import contributed_context
from core.forms import call_service
from core.pages import form_page
from forums import services
from forums.forms import (
    CockpitFilterForm,
    MembershipEndForm,
    MembershipFilterForm,
    MembershipForm,
    OrganisationForm,
    PersonForm,
    ReplaceHolderForm,
    SearchFilterForm,
    StandardItemForm,
    StandardItemMoveForm,
    ThemeGroupForm,
    ThemeGroupMemberForm,
)
from forums.models import (
    Forum,
    Membership,
    Organisation,
    Person,
    StandardAgendaItem,
    ThemeGroup,
    ThemeGroupMember,
)
from forums.selectors import forum_list, membership_search
from notifications.selectors import outbox_backlog

PAGE_SIZE = 50


def _search(request) -> str:
    filters = SearchFilterForm(request.GET)
    filters.explain(request)
    return filters.values()["q"]


def _page(request, queryset, **params):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query_string = urlencode({k: v for k, v in params.items() if v})
    return {"page_obj": page, "object_list": page.object_list, "query_string": query_string}


@secretariat_required
def home(request):
    """»Hvad skal jeg nå?« first (core.cockpit, filtered by `?forum=<slug>`), then the
    links, the mail backlog and the forums."""
    now = timezone.now()
    forums = list(
        forum_list().annotate(
            current=Count("memberships", filter=Q(memberships__in=Membership.objects.current()))
        )
    )
    filters = CockpitFilterForm(request.GET)
    filters.explain(request)
    chosen = next((f for f in forums if f.slug == filters.values()["forum"]), None)
    context = {
        "forums": forums,
        "chosen_forum": chosen,
        "cockpit": cockpit(now=now, forum_id=chosen.pk if chosen else None),
        "cockpit_weeks": COCKPIT_WEEKS,
        "this_year": timezone.localdate().year,
        "mail_backlog": outbox_backlog(now=now),
    }
    return render(request, "forums/secretariat/home.html", context)


# --- Organisations ---------------------------------------------------------------------


@secretariat_required
def organisation_list(request):
    q = _search(request)
    qs = Organisation.objects.select_related("parent")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q))
    return render(
        request, "forums/secretariat/organisation_list.html", {"q": q, **_page(request, qs, q=q)}
    )


@secretariat_required
def organisation_edit(request, pk: int | None = None):
    organisation = get_object_or_404(Organisation, pk=pk) if pk else Organisation()
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            lambda: services.organisation_save(
                actor=request.user, organisation=organisation, **form.cleaned_data
            ),
        )
        if saved:
            messages.success(
                request, _("The organisation %(name)s is saved.") % {"name": saved.name}
            )
            return redirect("secretariat:organisations")
    title = _("Edit organisation") if pk else _("New organisation")
    return form_page(request, form, title=title, cancel_url=reverse("secretariat:organisations"))


# --- People ------------------------------------------------------------------------------


@secretariat_required
def person_list(request):
    q = _search(request)
    qs = Person.objects.select_related("organisation", "user")
    if q:
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(title__icontains=q)
            | Q(email__icontains=q)
            | Q(organisation__name__icontains=q)
            | Q(organisation__short_name__icontains=q)
        )
    return render(
        request, "forums/secretariat/person_list.html", {"q": q, **_page(request, qs, q=q)}
    )


@secretariat_required
def person_detail(request, pk: int):
    person = get_object_or_404(Person.objects.select_related("organisation", "user"), pk=pk)
    context = {
        "person": person,
        "memberships": person.memberships.select_related("forum", "seat").order_by("-starts_on"),
        "theme_groups": person.theme_groups.select_related("theme_group"),
        "audit": audit_trail(person)[:20],
    }
    return render(request, "forums/secretariat/person_detail.html", context)


@secretariat_required
def person_edit(request, pk: int | None = None):
    person = get_object_or_404(Person, pk=pk) if pk else Person()
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            lambda: services.person_save(actor=request.user, person=person, **form.cleaned_data),
        )
        if saved:
            messages.success(request, _("%(name)s is saved.") % {"name": saved.name})
            return redirect("secretariat:person", pk=saved.pk)
    title = _("Edit person") if pk else _("New person")
    cancel = reverse("secretariat:person", args=[pk]) if pk else reverse("secretariat:people")
    return form_page(request, form, title=title, cancel_url=cancel)


@secretariat_required
@require_POST
def person_invite(request, pk: int):
    person = get_object_or_404(Person, pk=pk)
    try:
        account_invite(actor=request.user, person=person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("An invitation is on its way to %(email)s.") % {"email": person.email}
        )
    return redirect("secretariat:person", pk=pk)


# --- Memberships -------------------------------------------------------------------------


@secretariat_required
def membership_list(request):
    filters = MembershipFilterForm(request.GET)
    filters.explain(request)
    values = filters.values()
    q, forum_slug, status = values["q"], values["forum"], values["status"]
    forum = Forum.objects.filter(slug=forum_slug).first() if forum_slug else None
    qs = membership_search(query=q, forum=forum, status=status)
    context = {
        "q": q,
        "forums": forum_list(),
        "selected_forum": forum_slug,
        "status": status,
        "statuses": MembershipFilterForm.STATUSES,
        **_page(request, qs, q=q, forum=forum_slug, status=status),
    }
    return render(request, "forums/secretariat/membership_list.html", context)


@secretariat_required
def membership_edit(request, pk: int | None = None):
    membership = get_object_or_404(Membership, pk=pk) if pk else Membership()
    initial = {}
    forum_slug = MembershipFilterForm(request.GET).values()["forum"]
    if not pk and forum_slug:
        initial["forum"] = Forum.objects.filter(slug=forum_slug).first()
    form = MembershipForm(request.POST or None, instance=membership, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            lambda: services.membership_save(
                actor=request.user, membership=membership, **form.cleaned_data
            ),
        )
        if saved:
            messages.success(request, _("The membership is saved."))
            return redirect(reverse("secretariat:memberships") + f"?forum={saved.forum.slug}")
    title = _("Edit membership") if pk else _("New membership")
    return form_page(request, form, title=title, cancel_url=reverse("secretariat:memberships"))


@secretariat_required
def membership_end(request, pk: int):
    membership = get_object_or_404(
        Membership.objects.select_related("person", "forum", "seat"), pk=pk
    )
    form = MembershipEndForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            lambda: services.membership_end(
                actor=request.user, membership=membership, ends_on=form.cleaned_data["ends_on"]
            ),
        )
        if saved:
            messages.success(
                request, _("The membership of %(name)s is ended.") % {"name": membership.person}
            )
            return redirect(reverse("secretariat:memberships") + f"?forum={membership.forum.slug}")
    return form_page(
        request,
        form,
        title=_("End membership"),
        cancel_url=reverse("secretariat:memberships"),
        intro=str(membership),
    )


@secretariat_required
def membership_replace(request, pk: int):
    membership = get_object_or_404(
        Membership.objects.select_related("person", "forum", "seat"), pk=pk
    )
    form = ReplaceHolderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        successor = call_service(
            form,
            lambda: services.membership_replace_holder(
                actor=request.user, membership=membership, **form.cleaned_data
            ),
        )
        if successor:
            messages.success(
                request,
                _("%(new)s has replaced %(old)s in the seat “%(seat)s”.")
                % {
                    "new": successor.person,
                    "old": membership.person,
                    "seat": membership.seat.title,
                },
            )
            return redirect(reverse("secretariat:memberships") + f"?forum={membership.forum.slug}")
    intro = _("Seat “%(seat)s” in %(forum)s, held by %(person)s since %(day)s.") % {
        "seat": membership.seat.title if membership.seat else "–",
        "forum": membership.forum,
        "person": membership.person,
        "day": membership.starts_on.strftime("%d.%m.%Y"),
    }
    return form_page(
        request,
        form,
        title=_("Replace holder"),
        cancel_url=reverse("secretariat:memberships"),
        intro=intro,
    )


# --- Theme groups ------------------------------------------------------------------------


@secretariat_required
def theme_group_list(request):
    q = _search(request)
    qs = (
        ThemeGroup.objects.select_related("forum")
        .annotate(member_count=Count("members"))
        .order_by("forum__position", "name")
    )
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(mandate__icontains=q))
    return render(
        request, "forums/secretariat/theme_group_list.html", {"q": q, **_page(request, qs, q=q)}
    )


@secretariat_required
def theme_group_detail(request, pk: int):
    group = get_object_or_404(ThemeGroup.objects.select_related("forum"), pk=pk)
    form = ThemeGroupMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        added = call_service(
            form,
            lambda: services.theme_group_member_add(
                actor=request.user, theme_group=group, **form.cleaned_data
            ),
        )
        if added:
            messages.success(request, _("%(name)s is added.") % {"name": added.person})
            return redirect("secretariat:theme_group", pk=pk)
    context = {
        "group": group,
        "form": form,
        "members": group.members.select_related("person", "person__organisation"),
        # Its reports and their trail come from `theme_reports` (core/contributions.py).
        **contributed_context("theme_group_page", request, group),
    }
    return render(request, "forums/secretariat/theme_group_detail.html", context)


@secretariat_required
def theme_group_edit(request, pk: int | None = None):
    group = get_object_or_404(ThemeGroup, pk=pk) if pk else ThemeGroup()
    form = ThemeGroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            lambda: services.theme_group_save(
                actor=request.user, theme_group=group, **form.cleaned_data
            ),
        )
        if saved:
            messages.success(
                request, _("The theme group %(name)s is saved.") % {"name": saved.name}
            )
            return redirect("secretariat:theme_group", pk=saved.pk)
    title = _("Edit theme group") if pk else _("New theme group")
    return form_page(request, form, title=title, cancel_url=reverse("secretariat:theme_groups"))


@secretariat_required
@require_POST
def theme_group_member_remove(request, pk: int, member_pk: int):
    member = get_object_or_404(ThemeGroupMember, pk=member_pk, theme_group_id=pk)
    services.theme_group_member_remove(actor=request.user, member=member)
    messages.success(
        request, _("%(name)s is removed from the theme group.") % {"name": member.person}
    )
    return redirect("secretariat:theme_group", pk=pk)


# --- Standard agenda items -----------------------------------------------------------------


def _standard_items_url(forum: Forum, item: StandardAgendaItem | None = None) -> str:
    url = reverse("secretariat:standard_items", args=[forum.slug])
    return f"{url}#standard-item-{item.pk}" if item else url


@secretariat_required
def standard_items(request, slug: str):
    """The forum's standard agenda items: the list with its actions, and a form to add one."""
    forum = get_object_or_404(Forum, slug=slug)
    form = StandardItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            lambda: services.standard_item_add(
                actor=request.user, forum=forum, **form.cleaned_data
            ),
        )
        if saved:
            messages.success(request, _("»%(title)s« is added.") % {"title": saved.title})
            return redirect(_standard_items_url(forum, saved))
    items = forum.standard_items.select_related("responsible").order_by("position")
    context = {"forum": forum, "items": items, "form": form, "count": len(items)}
    return render(request, "forums/secretariat/standard_items.html", context)


@secretariat_required
def standard_item_edit(request, slug: str, pk: int):
    item = get_object_or_404(
        StandardAgendaItem.objects.select_related("forum"), pk=pk, forum__slug=slug
    )
    form = StandardItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            lambda: services.standard_item_update(
                actor=request.user, item=item, **form.cleaned_data
            ),
        )
        if saved:
            messages.success(request, _("»%(title)s« is saved.") % {"title": saved.title})
            return redirect(_standard_items_url(item.forum, saved))
    return form_page(
        request,
        form,
        title=_("Edit standard agenda item"),
        cancel_url=_standard_items_url(item.forum, item),
    )


@secretariat_required
@require_POST
def standard_item_move(request, slug: str, pk: int):
    """Up, down ("to" is the neighbour's number) or "move to number N"; back to the item."""
    item = get_object_or_404(
        StandardAgendaItem.objects.select_related("forum"), pk=pk, forum__slug=slug
    )
    form = StandardItemMoveForm(request.POST)
    if form.is_valid():
        services.standard_item_move(actor=request.user, item=item, to=form.cleaned_data["to"])
        messages.success(request, _("»%(title)s« is moved.") % {"title": item.title})
    else:
        messages.error(request, _("Give the number to move the item to."))
    return redirect(_standard_items_url(item.forum, item))


@secretariat_required
@require_POST
def standard_item_remove(request, slug: str, pk: int):
    item = get_object_or_404(
        StandardAgendaItem.objects.select_related("forum"), pk=pk, forum__slug=slug
    )
    try:
        services.standard_item_remove(actor=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_standard_items_url(item.forum, item))
    messages.success(request, _("»%(title)s« is removed.") % {"title": item.title})
    return redirect(_standard_items_url(item.forum))
