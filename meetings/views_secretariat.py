"""The secretariat's meeting pages: scheduling, the workspace (timeline, proposals to
decide, the agenda editor, sending), moving and cancelling, referrals."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import secretariat_required
from core.forms import call_service
from core.pages import form_page, post_action
from forums.selectors import forum_reach
from meetings import selectors, services
from meetings.forms import (
    AgendaItemForm,
    CancelForm,
    DeclineForm,
    MeetingForm,
    MeetingListFilterForm,
    MeetingTimesForm,
    MoveToForm,
    ProposalMoveForm,
    ReferForm,
    SendForm,
)
from meetings.models import AgendaItem, Attendance, Meeting, Proposal


def _year_warning(request, meeting: Meeting) -> None:
    """Warn about the forum just scheduled only, when it now exceeds its yearly mandate."""
    warning = selectors.mandate_count_warning(meeting.forum, meeting.day.year)
    if warning:
        messages.warning(request, warning)


@secretariat_required
def meeting_list(request):
    filters = MeetingListFilterForm(request.GET, initial={"aar": timezone.localdate().year})
    filters.explain(request)
    year = filters.values()["aar"]
    meetings = (
        Meeting.objects.filter(starts_at__year=year).select_related("forum").order_by("starts_at")
    )
    return render(
        request,
        "meetings/secretariat/list.html",
        {
            "meetings": meetings,
            "year": year,
            "counts": selectors.forum_year_counts(year),
            "years": [year - 1, year, year + 1],
        },
    )


@secretariat_required
def meeting_schedule(request):
    initial = {"forum": request.GET.get("forum")}
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting = call_service(
            form,
            lambda: services.meeting_schedule(
                actor=request.user,
                forum=data["forum"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                title=data["title"],
                is_archive=data["is_archive"],
            ),
        )
        if meeting:
            messages.success(
                request,
                _("The meeting is scheduled; the invitation is %(reach)s.")
                % {"reach": forum_reach(meeting.forum).text}
                if not meeting.is_archive
                else _("The earlier meeting is recorded."),
            )
            _year_warning(request, meeting)
            return redirect("meetings:workspace", pk=meeting.pk)
    return form_page(
        request, form, title=_("Schedule a meeting"), cancel_url=reverse("meetings:sec_list")
    )


@secretariat_required
def workspace(request, pk: int):
    meeting = get_object_or_404(Meeting.objects.select_related("forum"), pk=pk)
    context = {
        "meeting": meeting,
        "timeline": selectors.meeting_timeline(meeting),
        "items": selectors.meeting_items(meeting),
        "proposals": selectors.proposals_to_decide(meeting),
        "decided": meeting.proposals.exclude(status=Proposal.Status.SUBMITTED).select_related(
            "proposer"
        ),
        "versions": selectors.agenda_versions_sent(meeting),
        "reach": forum_reach(meeting.forum),
        "failed_deliveries": selectors.failed_deliveries(meeting),
        "attendance": Attendance.objects.filter(meeting=meeting).select_related(
            "person", "substitute"
        ),
        "send_form": SendForm(),
        "missing_responsible": selectors.items_missing_responsible(meeting),
        "required_absent": selectors.required_items_absent(meeting),
    }
    return render(request, "meetings/secretariat/workspace.html", context)


@secretariat_required
def meeting_move(request, pk: int):
    meeting = get_object_or_404(Meeting.objects.select_related("forum"), pk=pk)
    local = timezone.localtime(meeting.starts_at)
    form = MeetingTimesForm(
        request.POST or None,
        initial={
            "day": local.date(),
            "starts": local.time(),
            "starts_fold": str(local.fold),
            "ends": timezone.localtime(meeting.ends_at).time(),
            "ends_fold": str(timezone.localtime(meeting.ends_at).fold),
            "place": meeting.place,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        moved = call_service(
            form,
            lambda: services.meeting_move(
                actor=request.user,
                meeting=meeting,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
            ),
        )
        if moved:
            messages.success(
                request,
                _(
                    "The meeting is moved and the deadlines are computed again; the update is "
                    "%(reach)s."
                )
                % {"reach": forum_reach(meeting.forum).text},
            )
            _year_warning(request, moved)
            return redirect("meetings:workspace", pk=pk)
    return form_page(
        request,
        form,
        title=_("Move the meeting"),
        cancel_url=reverse("meetings:workspace", args=[pk]),
        intro=str(meeting),
    )


@secretariat_required
def meeting_cancel(request, pk: int):
    meeting = get_object_or_404(Meeting.objects.select_related("forum"), pk=pk)
    form = CancelForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(
            form,
            lambda: services.meeting_cancel(
                actor=request.user, meeting=meeting, reason=form.cleaned_data["reason"]
            ),
        )
    ):
        messages.success(
            request,
            _("The meeting is cancelled; the cancellation is %(reach)s.")
            % {"reach": forum_reach(meeting.forum).text},
        )
        return redirect("meetings:workspace", pk=pk)
    return form_page(
        request,
        form,
        title=_("Cancel the meeting"),
        cancel_url=reverse("meetings:workspace", args=[pk]),
        intro=str(meeting),
    )


@secretariat_required
def item_edit(request, pk: int | None = None, meeting_pk: int | None = None):
    item = (
        get_object_or_404(AgendaItem.objects.select_related("meeting__forum"), pk=pk)
        if pk
        else AgendaItem(meeting=get_object_or_404(Meeting, pk=meeting_pk))
    )
    form = AgendaItemForm(request.POST or None, request.FILES or None, instance=item)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "files"}
        saved = call_service(
            form,
            lambda: services.agenda_item_save(
                actor=request.user, item=item, files=form.cleaned_data["files"], **data
            ),
        )
        if saved:
            messages.success(request, _("The item is saved."))
            return redirect(
                reverse("meetings:workspace", args=[item.meeting_id]) + f"#item-{saved.pk}"
            )
    title = _("Edit agenda item") if pk else _("New agenda item")
    return form_page(
        request,
        form,
        title=title,
        cancel_url=reverse("meetings:workspace", args=[item.meeting_id]),
        multipart=True,
        intro=str(item.meeting),
    )


def _post_action(request, meeting_id: int, action, success: str):
    return post_action(request, action, success, reverse("meetings:workspace", args=[meeting_id]))


@secretariat_required
@require_POST
def item_delete(request, pk: int):
    item = get_object_or_404(AgendaItem, pk=pk)
    return _post_action(
        request,
        item.meeting_id,
        lambda: services.agenda_item_delete(actor=request.user, item=item),
        _("The item is removed from the agenda."),
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


@secretariat_required
@require_POST
def agenda_send(request, pk: int):
    meeting = get_object_or_404(Meeting, pk=pk)
    form = SendForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("change_note", "")
    first = meeting.status == Meeting.Status.PLANNED
    # The same people the distribution task e-mails moments later (forum_people today).
    reach = forum_reach(meeting.forum).text
    return _post_action(
        request,
        pk,
        lambda: services.agenda_send(actor=request.user, meeting=meeting, change_note=note),
        _("The agenda is %(reach)s.") % {"reach": reach}
        if first
        else _("The revised agenda is %(reach)s.") % {"reach": reach},
    )


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
