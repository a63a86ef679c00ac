"""views_secretariat: Agenda items."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import secretariat_required
from core.errors import DomainError
from core.forms import call_service
from core.pages import (
    Confirmation,
    confirm_page,
    confirmed,
    form_page,
    post_action,
)
from core.submission import landed_on, submit_once
from meetings import selectors, services
from meetings.forms import (
    AgendaItemForm,
    MoveToForm,
    ReferForm,
)
from meetings.models import AgendaItem, Meeting
from meetings.views_secretariat._common import _post_action

# --- Agenda items -------------------------------------------------------------------------


@secretariat_required
def item_edit(request, pk: int | None = None, meeting_pk: int | None = None):
    item = (
        get_object_or_404(AgendaItem.objects.select_related("meeting__forum"), pk=pk)
        if pk
        else AgendaItem(meeting=get_object_or_404(Meeting, pk=meeting_pk))
    )
    form = AgendaItemForm(request.POST or None, request.FILES or None, instance=item)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("files", "submission_key")}

        def save() -> str | None:
            saved = call_service(
                form,
                lambda: services.agenda_item_save(
                    actor=request.user, item=item, files=form.cleaned_data["files"], **data
                ),
            )
            if not saved:
                return None
            url = reverse("meetings:workspace", args=[item.meeting_id]) + f"#item-{saved.pk}"
            return landed_on(saved, url)

        done = submit_once(
            request,
            form,
            save,
            success=_("The item is saved."),
            repeated=_("The item was already saved."),
        )
        if done is not None:
            return done
    title = _("Edit agenda item") if pk else _("New agenda item")
    return form_page(
        request,
        form,
        title=title,
        cancel_url=reverse("meetings:workspace", args=[item.meeting_id]),
        multipart=True,
        intro=str(item.meeting),
        after="meetings/secretariat/fragment_item_attachments.html" if pk else "",
        extra={"item": item, "attachments": list(item.attachments.all()) if pk else []},
    )


@secretariat_required
def item_delete(request, pk: int):
    """The confirmation page of deleting an item, saying what is lost; its button deletes."""
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__forum"), pk=pk)
    try:
        services.agenda_item_delete_check(item)
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_back_to_item(item))
    if confirmed(request):
        return _post_action(
            request,
            item.meeting_id,
            lambda: services.agenda_item_delete(actor=request.user, item=item),
            _("The item is removed from the agenda."),
        )
    return confirm_page(
        request,
        Confirmation(
            title=_("Delete the agenda item"),
            intro=f"{item.position}. {item.title}",
            button=_("Delete the item"),
            cancel_url=reverse("meetings:workspace", args=[item.meeting_id]) + f"#item-{item.pk}",
            losses=selectors.item_delete_losses(item),
            danger=True,
        ),
    )


def _back_to_item(item: AgendaItem) -> str:
    return reverse("meetings:workspace", args=[item.meeting_id]) + f"#item-{item.pk}"


@secretariat_required
@require_POST
def item_shift(request, pk: int, direction: str):
    item = get_object_or_404(AgendaItem, pk=pk)
    offset = -1 if direction == "op" else 1
    return post_action(
        request,
        lambda: services.agenda_item_shift(actor=request.user, item=item, offset=offset),
        _("The order is changed."),
        _back_to_item(item),
    )


@secretariat_required
@require_POST
def item_move_to(request, pk: int):
    """ "Flyt til nummer N": the number comes from a small form beside the item."""
    item = get_object_or_404(AgendaItem, pk=pk)
    form = MoveToForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the number to move the item to."))
        return redirect(_back_to_item(item))
    return post_action(
        request,
        lambda: services.agenda_item_move_to(
            actor=request.user, item=item, to=form.cleaned_data["to"]
        ),
        _("The order is changed."),
        _back_to_item(item),
    )


@secretariat_required
def item_refer(request, pk: int):
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__forum"), pk=pk)
    form = ReferForm(request.POST or None, item=item)
    if request.method == "POST" and form.is_valid():
        proposal = call_service(
            form,
            lambda: services.item_refer(
                actor=request.user, item=item, meeting=form.cleaned_data["meeting"]
            ),
        )
        if proposal:
            messages.success(
                request, _("The matter is referred to %(meeting)s.") % {"meeting": proposal.meeting}
            )
            return redirect("meetings:workspace", pk=item.meeting_id)
    return form_page(
        request,
        form,
        title=_("Refer to another forum"),
        cancel_url=reverse("meetings:workspace", args=[item.meeting_id]),
        intro=str(item),
    )
