"""views_secretariat: Scheduling."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import secretariat_required
from core.errors import DomainError
from core.forms import attach_errors, call_service
from core.pages import (
    Confirmation,
    confirm_page,
    confirmed,
    form_page,
)
from core.wallclock import wall_clock
from forums.selectors import forum_reach
from meetings import selectors, services, yearwheel
from meetings.forms import (
    CancelForm,
    MeetingForm,
    MeetingListFilterForm,
    MeetingTimesForm,
    SendForm,
)
from meetings.models import Meeting, Proposal
from meetings.views_secretariat._common import (
    _after_change,
    _grace_note,
    _members_told,
    _pending_warnings,
    _when,
)
from meetings.yearwheel import WHEEL_YEARS

# --- Scheduling ---------------------------------------------------------------------------


def _year_warning(request, meeting: Meeting) -> None:
    """Warn about the forum just scheduled, moved or cancelled only, when its meetings in
    that year are now over its yearly mandate or short of it by more than the rest of the
    year can hold (an archive entry is only checked for too many: its year has gone)."""
    warning = selectors.mandate_count_warning(meeting.forum, meeting.day.year)
    if (
        warning
        and meeting.is_archive
        and not selectors.forum_year_counts(meeting.day.year, forum=meeting.forum)[0].too_many
    ):
        return
    if warning:
        messages.warning(request, warning)


@secretariat_required
@require_POST
def meeting_mail_undo(request, pk: int):
    """ "Fortryd udsendelse" for a call, move or cancellation in its grace period."""
    meeting = get_object_or_404(Meeting, pk=pk)
    try:
        restored = services.meeting_mail_undo(actor=request.user, meeting=meeting)
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("meetings:workspace", pk=pk)
    if restored is None:
        messages.success(
            request, _("The call is undone: the meeting is removed and no e-mail went out.")
        )
        return redirect("meetings:sec_list")
    messages.success(request, _("Undone: no e-mail went out, and the meeting is as it was."))
    return redirect("meetings:workspace", pk=pk)


def _schedule_warnings(draft: Meeting, *, calling: bool) -> list[str]:
    """What the call or move confirmation warns of: another meeting of the forum that day
    (allowed; subjects then carry the time), for a call a proposal deadline passed, and an
    agenda deadline passed while the agenda is not yet sent (issue 13)."""
    warnings = []
    others = list(draft.same_day_meetings())
    if others:
        warnings.append(
            _(
                "%(forum)s already has a meeting that day (%(times)s). You can still go ahead; "
                "the e-mails' subjects will then give the time, so that the meetings are told "
                "apart."
            )
            % {
                "forum": draft.forum.name,
                "times": ", ".join(wall_clock(m.starts_at) for m in others),
            }
        )
    if calling and draft.proposals_close_at and draft.proposals_close_at < timezone.now():
        day = date_format(timezone.localtime(draft.proposals_close_at), "l j. F Y")
        warnings.append(
            _(
                "The proposal deadline (the end of %(day)s) has already passed: the invitation "
                "does not invite proposals, and members cannot propose items for this meeting."
            )
            % {"day": day}
        )
    if draft.agenda_due_at and draft.agenda_due_at < timezone.now() and not draft.agenda_sent_at:
        day = date_format(timezone.localtime(draft.agenda_due_at), "l j. F Y")
        warnings.append(
            _(
                "The agenda deadline (the end of %(day)s) has already passed: the timeline will "
                "show it as overdue until the agenda is sent, so send it as soon as you can."
            )
            % {"day": day}
        )
    return warnings


def _rules_allow(form, forum, starts_at, ends_at) -> bool:
    """The forum's rules checked before the confirmation page (a refusal belongs at the
    form's fields, not after the confirmation); the service checks them again."""
    errors = services.meeting_rule_errors(
        forum, starts_at=starts_at, ends_at=ends_at, is_archive=False, now=timezone.now()
    )
    if errors:
        attach_errors(form, DomainError(errors))
    return not errors


@secretariat_required
def meeting_list(request):
    filters = MeetingListFilterForm(request.GET, initial={"aar": timezone.localdate().year})
    filters.explain(request)
    values = filters.values()
    year = values["aar"]
    meetings = (
        Meeting.objects.filter(starts_at__year=year).select_related("forum").order_by("starts_at")
    )
    if values["forum"]:
        meetings = meetings.filter(forum=values["forum"])
    if values["status"]:
        meetings = meetings.filter(status=values["status"])
    return render(
        request,
        "meetings/secretariat/list.html",
        {
            "filters": filters,
            "meetings": meetings,
            "year": year,
            "counts": selectors.forum_year_counts(year),
            "years": [year - 1, year, year + 1],
        },
    )


def _wheel_year(year: int) -> int:
    """The year of a year-wheel address; 404 outside the years a wheel can be read for."""
    if not WHEEL_YEARS[0] <= year <= WHEEL_YEARS[1]:
        raise Http404
    return year


@secretariat_required
def year_wheel(request, year: int):
    """The year wheel: the four forums' meetings and deadlines by month, the mandate check."""
    wheel = yearwheel.year_wheel(_wheel_year(year))
    return render(request, "meetings/secretariat/year_wheel.html", {"wheel": wheel})


@secretariat_required
def year_wheel_pdf(request, year: int):
    """The year wheel as an A4-landscape PDF (rendered on request, not stored)."""
    from meetings.pdf import render_year_wheel_pdf

    wheel = yearwheel.year_wheel(_wheel_year(year))
    response = HttpResponse(render_year_wheel_pdf(wheel), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="aarshjul-{year}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@secretariat_required
def meeting_schedule(request):
    initial = {"forum": request.GET.get("forum")}
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if (
            not data["is_archive"]
            and not confirmed(request)
            and _rules_allow(form, data["forum"], data["starts_at"], data["ends_at"])
        ):
            draft = services.meeting_draft(
                data["forum"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                title=data["title"],
            )
            return confirm_page(
                request,
                Confirmation(
                    title=_("Call the meeting"),
                    intro=_when(draft),
                    button=_("Call the meeting"),
                    cancel_url=reverse("meetings:sec_list"),
                    carried=form,
                    notes=[
                        _("Every member receives the invitation with a calendar entry."),
                        *_grace_note(),
                    ],
                    warnings=_schedule_warnings(draft, calling=True),
                    **_members_told(
                        data["forum"],
                        "meeting_called",
                        draft,
                        services.meeting_mail_context(draft),
                    ),
                ),
            )
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
        if meeting and meeting.is_archive:
            messages.success(request, _("The earlier meeting is recorded."))
        elif meeting:
            _after_change(
                request,
                meeting,
                done=_("The meeting is scheduled."),
                sent=_("The meeting is scheduled; the invitation is %(reach)s."),
            )
        if meeting:
            _year_warning(request, meeting)
            return redirect("meetings:workspace", pk=meeting.pk)
    return form_page(
        request, form, title=_("Schedule a meeting"), cancel_url=reverse("meetings:sec_list")
    )


@secretariat_required
def workspace(request, pk: int):
    meeting = get_object_or_404(Meeting.objects.select_related("forum"), pk=pk)
    attendance = selectors.attendance_rows(meeting)
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
        "attendance": attendance,
        "unanswered": [row.person for row in attendance if row.rsvp is None],
        "may_record_attendance": meeting.status != Meeting.Status.CANCELLED
        and timezone.now() >= meeting.starts_at,
        "send_form": SendForm(),
        "grace_version": selectors.version_in_grace(meeting),
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
        if not confirmed(request) and _rules_allow(
            form, meeting.forum, data["starts_at"], data["ends_at"]
        ):
            after = services.meeting_draft(
                meeting.forum,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"] or meeting.place,
                title=meeting.title,
                pk=meeting.pk,
            )
            after.status = meeting.status
            return confirm_page(
                request,
                Confirmation(
                    title=_("Move the meeting"),
                    intro=_("From %(before)s to %(after)s")
                    % {
                        "before": wall_clock(meeting.starts_at, "j. F Y H:i"),
                        "after": wall_clock(data["starts_at"], "j. F Y H:i"),
                    },
                    button=_("Move the meeting"),
                    cancel_url=reverse("meetings:workspace", args=[pk]),
                    carried=form,
                    notes=[
                        _(
                            "Every member receives an updated invitation; deadlines are computed again."
                        ),
                        *_grace_note(),
                    ],
                    warnings=[
                        *_pending_warnings(meeting),
                        *_schedule_warnings(after, calling=False),
                    ],
                    **_members_told(
                        meeting.forum,
                        "meeting_moved",
                        after,
                        services.meeting_mail_context(after, before=meeting),
                    ),
                ),
            )
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
            _after_change(
                request,
                moved,
                done=_("The meeting is moved and the deadlines are computed again."),
                sent=_(
                    "The meeting is moved and the deadlines are computed again; the update is "
                    "%(reach)s."
                ),
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
    """The confirmation page of cancelling: recipients, subject, the reason; its button
    ("Aflys mødet") cancels."""
    meeting = get_object_or_404(Meeting.objects.select_related("forum"), pk=pk)
    form = CancelForm(request.POST if request.method == "POST" else None)
    if (
        confirmed(request)
        and form.is_valid()
        and call_service(
            form,
            lambda: services.meeting_cancel(
                actor=request.user, meeting=meeting, reason=form.cleaned_data["reason"]
            ),
        )
    ):
        meeting.refresh_from_db()
        _after_change(
            request,
            meeting,
            done=_("The meeting is cancelled."),
            sent=_("The meeting is cancelled; the cancellation is %(reach)s."),
        )
        _year_warning(request, meeting)
        return redirect("meetings:workspace", pk=pk)
    return confirm_page(
        request,
        Confirmation(
            title=_("Cancel the meeting"),
            intro=str(meeting),
            button=_("Cancel the meeting"),
            cancel_url=reverse("meetings:workspace", args=[pk]),
            form=form,
            notes=[
                _("Every member receives the cancellation, which removes the calendar entry."),
                *_grace_note(),
            ],
            danger=True,
            warnings=_pending_warnings(meeting),
            **_members_told(meeting.forum, "meeting_cancelled", meeting),
        ),
    )
