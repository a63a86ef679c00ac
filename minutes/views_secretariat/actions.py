"""views_secretariat: Follow-up actions."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import secretariat_required
from core.forms import call_service
from minutes import services
from minutes.forms import ActionForm
from minutes.models import FollowUpAction, MinutesItem
from minutes.views_secretariat._common import _post_action
from minutes.views_secretariat.editing import (
    _action_form,
    _editor_page,
    _fresh_form,
    _save_carried_text,
)

# --- Follow-up actions --------------------------------------------------------------------


@secretariat_required
@require_POST
def action_add(request, pk: int):
    item = get_object_or_404(MinutesItem.objects.select_related("minutes__meeting"), pk=pk)
    minutes = item.minutes
    refused = _save_carried_text(
        request, minutes, _("The action is not added: your text of the minutes is not saved yet.")
    )
    if refused is not None:
        return refused
    # The editor page names the fields "action<item>-what"; a bare post names them "what".
    prefixed = f"action{item.pk}-what" in request.POST
    form = _action_form(item, request.POST) if prefixed else ActionForm(request.POST)
    if form.is_valid() and call_service(
        form, lambda: services.action_add(actor=request.user, item=item, **form.cleaned_data)
    ):
        messages.success(request, _("The follow-up action is added."))
        return redirect(reverse("minutes:editor", args=[minutes.meeting_id]) + f"#item-{item.pk}")
    if not prefixed:
        form = _action_form(item, {f"action{item.pk}-{k}": v for k, v in request.POST.items()})
        form.is_valid()
    messages.error(request, _("The follow-up action is not added; see the fields below."))
    return _editor_page(
        request,
        minutes.meeting,
        minutes,
        _fresh_form(minutes),
        bound_action=form,
        status=400,
    )


@secretariat_required
@require_POST
def action_delete(request, pk: int):
    action = get_object_or_404(FollowUpAction.objects.select_related("item__minutes"), pk=pk)
    meeting_pk = action.item.minutes.meeting_id
    refused = _save_carried_text(
        request,
        action.item.minutes,
        _("The action is not removed: your text of the minutes is not saved yet."),
    )
    if refused is not None:
        return refused
    return _post_action(
        request,
        meeting_pk,
        lambda: services.action_delete(actor=request.user, action=action),
        _("The follow-up action is removed."),
    )
