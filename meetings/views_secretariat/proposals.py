"""views_secretariat: Proposals."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import secretariat_required
from core.forms import call_service
from core.pages import (
    form_page,
)
from meetings import services
from meetings.forms import (
    DeclineForm,
    ProposalMoveForm,
)
from meetings.models import Proposal
from meetings.views_secretariat._common import _post_action

# --- Proposals ----------------------------------------------------------------------------


@secretariat_required
@require_POST
def proposal_accept(request, pk: int):
    proposal = get_object_or_404(Proposal, pk=pk)
    return _post_action(
        request,
        proposal.meeting_id,
        lambda: services.proposal_accept(actor=request.user, proposal=proposal),
        _("The proposal is on the agenda; the proposer is told."),
    )


@secretariat_required
def proposal_decline(request, pk: int):
    proposal = get_object_or_404(Proposal.objects.select_related("meeting__forum"), pk=pk)
    form = DeclineForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(
            form,
            lambda: services.proposal_decline(
                actor=request.user, proposal=proposal, reason=form.cleaned_data["reason"]
            ),
        )
    ):
        messages.success(request, _("The proposal is declined; the proposer is told."))
        return redirect("meetings:workspace", pk=proposal.meeting_id)
    return form_page(
        request,
        form,
        title=_("Decline the proposal"),
        cancel_url=reverse("meetings:workspace", args=[proposal.meeting_id]),
        intro=proposal.title,
    )


@secretariat_required
def proposal_move(request, pk: int):
    proposal = get_object_or_404(Proposal.objects.select_related("meeting__forum"), pk=pk)
    form = ProposalMoveForm(request.POST or None, proposal=proposal)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(
            form,
            lambda: services.proposal_move(
                actor=request.user, proposal=proposal, meeting=form.cleaned_data["meeting"]
            ),
        )
    ):
        messages.success(request, _("The proposal is moved; the proposer is told."))
        return redirect("meetings:workspace", pk=form.cleaned_data["meeting"].pk)
    return form_page(
        request,
        form,
        title=_("Move the proposal to another meeting"),
        cancel_url=reverse("meetings:workspace", args=[proposal.meeting_id]),
        intro=proposal.title,
    )
