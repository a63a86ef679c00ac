"""The secretariat's pages of the steering dialogue, /sekretariat/styringsdialog/<år>/:
thin views (selector → form → service → message → redirect)."""

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import secretariat_required
from core.errors import DomainError
from core.forms import call_service
from core.pages import form_page
from dialogue import selectors, services
from dialogue.forms import (
    AreaForm,
    DialogueMeetingForm,
    EstateForm,
    FollowUpForm,
    IssueForm,
    RoundForm,
)
from dialogue.models import DialogueFollowUp, DialogueMeeting, RoundStatus

# Until the secretariat's cockpit lists core.due's items, the steering dialogue's own page
# lists its part: what falls due within this many days, and everything overdue.
DUE_DAYS = 60


def _round_url(year: int) -> str:
    return reverse("dialogue:round", kwargs={"year": year})


@secretariat_required
def round_list(request):
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = call_service(
            form, lambda: services.round_create(actor=request.user, **form.cleaned_data)
        )
        if created:
            messages.success(
                request, _("The steering dialogue of %(year)s is opened.") % {"year": created.year}
            )
            return redirect(_round_url(created.year))
    now = timezone.now()
    due = sorted(
        selectors.due_dialogue(now=now, until=now + timedelta(days=DUE_DAYS)),
        key=lambda item: (not item.overdue(now), item.due),
    )
    context = {
        "rounds": selectors.rounds(),
        "form": form,
        "due": [(item, item.overdue(now)) for item in due],
        "due_days": DUE_DAYS,
    }
    return render(request, "dialogue/round_list.html", context)


@secretariat_required
def round_detail(request, year: int):
    dialogue_round = selectors.round_for_year_or_404(year)
    steps = list(RoundStatus)
    index = steps.index(dialogue_round.status)
    context = {
        "round": dialogue_round,
        "areas": selectors.round_areas(dialogue_round),
        "next_status": steps[index + 1] if index + 1 < len(steps) else None,
        "statuses": DialogueFollowUp.Status.choices,
    }
    return render(request, "dialogue/round_detail.html", context)


@secretariat_required
@require_POST
def round_advance(request, year: int):
    dialogue_round = selectors.round_for_year_or_404(year)
    try:
        services.round_advance(
            actor=request.user, dialogue_round=dialogue_round, status=request.POST.get("status", "")
        )
    except DomainError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The round's status is changed."))
    return redirect(_round_url(year))


@secretariat_required
def estate_new(request):
    form = EstateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        estate = call_service(
            form, lambda: services.estate_save(actor=request.user, estate=form.instance)
        )
        if estate:
            messages.success(request, _("The estate %(estate)s is saved.") % {"estate": estate})
            return redirect("dialogue:rounds")
    return form_page(request, form, title=_("New estate"), cancel_url=reverse("dialogue:rounds"))


@secretariat_required
def area_new(request, year: int):
    dialogue_round = selectors.round_for_year_or_404(year)
    form = AreaForm(request.POST or None, year=year)
    if request.method == "POST" and form.is_valid():
        area = call_service(
            form,
            lambda: services.area_add(
                actor=request.user, dialogue_round=dialogue_round, **form.cleaned_data
            ),
        )
        if area:
            messages.success(request, _("The area %(area)s is added.") % {"area": area.name})
            return redirect(_round_url(year))
    return form_page(
        request,
        form,
        title=_("Area chosen for %(year)s") % {"year": year},
        cancel_url=_round_url(year),
    )


@secretariat_required
def meeting_new(request, year: int):
    dialogue_round = selectors.round_for_year_or_404(year)
    form = DialogueMeetingForm(request.POST or None, dialogue_round=dialogue_round)
    if request.method == "POST" and form.is_valid():
        meeting = call_service(
            form, lambda: services.meeting_add(actor=request.user, **form.cleaned_data)
        )
        if meeting:
            messages.success(request, _("The dialogue meeting is saved."))
            return redirect(_round_url(year))
    return form_page(request, form, title=_("New dialogue meeting"), cancel_url=_round_url(year))


def _meeting(year: int, pk: int) -> DialogueMeeting:
    return get_object_or_404(
        DialogueMeeting.objects.select_related("area__round"), pk=pk, area__round__year=year
    )


@secretariat_required
def follow_up_new(request, year: int, pk: int):
    meeting = _meeting(year, pk)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            lambda: services.follow_up_add(
                actor=request.user, meeting=meeting, **form.cleaned_data
            ),
        )
        if saved:
            messages.success(request, _("The follow-up is saved."))
            return redirect(_round_url(year))
    return form_page(
        request, form, title=_("New follow-up"), cancel_url=_round_url(year), intro=str(meeting)
    )


@secretariat_required
@require_POST
def follow_up_status(request, year: int, pk: int):
    follow_up = get_object_or_404(DialogueFollowUp, pk=pk, meeting__area__round__year=year)
    try:
        services.follow_up_set_status(
            actor=request.user, follow_up=follow_up, status=request.POST.get("status", "")
        )
    except DomainError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The follow-up's status is changed."))
    return redirect(_round_url(year))


@secretariat_required
def issue_raise(request, year: int, pk: int):
    meeting = _meeting(year, pk)
    form = IssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        issue = call_service(
            form,
            lambda: services.issue_raise(actor=request.user, meeting=meeting, **form.cleaned_data),
        )
        if issue:
            messages.success(
                request,
                _(
                    "»%(title)s« is proposed for Den Tværkommunale Styregruppe's meeting %(meeting)s."
                )
                % {"title": issue.title, "meeting": issue.proposal.meeting},
            )
            return redirect(_round_url(year))
    return form_page(
        request,
        form,
        title=_("Raise an issue to Den Tværkommunale Styregruppe"),
        cancel_url=_round_url(year),
        intro=_(
            "From the dialogue meeting %(meeting)s. It becomes a proposal for Styregruppen's next meeting that takes proposals."
        )
        % {"meeting": meeting},
    )
