"""The secretariat's meeting pages: scheduling, the workspace (timeline, proposals to
decide, the agenda editor, sending), moving and cancelling, referrals."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.permissions import secretariat_required
from core.errors import DomainError
from core.forms import attach_errors, call_service
from core.grace import pending_text
from core.pages import (
    Confirmation,
    LinkedWarning,
    confirm_page,
    confirmed,
    form_page,
    post_action,
    reach_message,
)
from core.record_locks import attendance_locked
from core.submission import landed_on, submit_once
from core.wallclock import wall_clock
from forums.selectors import forum_reach
from meetings import selectors, services, yearwheel
from meetings.forms import (
    AgendaItemForm,
    CancelForm,
    DeclineForm,
    MeetingForm,
    MeetingListFilterForm,
    MeetingTimesForm,
    MoveToForm,
    PresenceForm,
    ProposalMoveForm,
    ReferForm,
    SendForm,
)
from meetings.models import AgendaItem, AgendaVersion, Meeting, Proposal
from meetings.yearwheel import WHEEL_YEARS


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


def _members_told(forum, kind: str, meeting, context: dict | None = None) -> dict:
    """The confirmation's recipients and subject for a message `kind` to `forum`'s members;
    `context` is what the service adds to the e-mail (services.meeting_mail_context)."""
    from notifications.services import render_subject

    return {
        "reach": forum_reach(forum),
        "subject": render_subject(kind, {"meeting": meeting, "forum": forum, **(context or {})}),
    }


def _when(meeting: Meeting) -> str:
    """»Samarbejdsforum, tirsdag 4. maj 2027, 14:00–16:00« (the chosen one of a twice-passed
    time marked »(sommertid)«/»(vintertid)«)."""
    start = wall_clock(meeting.starts_at, "l j. F Y, H:i")
    return f"{meeting.forum.name}, {start}–{wall_clock(meeting.ends_at, 'H:i')}"


def _grace_note(minutes: int | None = None) -> list[str]:
    """The confirmation's note on the grace period (settings.SEND_GRACE_MINUTES; none at 0)."""
    from django.conf import settings

    minutes = settings.SEND_GRACE_MINUTES if minutes is None else minutes
    if not minutes:
        return []
    return [
        ngettext(
            "The e-mails leave %(minutes)d minute after you send; until then you can undo "
            "the send on the meeting's page.",
            "The e-mails leave %(minutes)d minutes after you send; until then you can undo "
            "the send on the meeting's page.",
            minutes,
        )
        % {"minutes": minutes}
    ]


def _after_change(request, meeting: Meeting, *, done: str, sent: str) -> None:
    """Say whom a call, move or cancellation reaches: `sent` (with %(reach)s) once the
    e-mails are out; while they wait in the grace period, `done` and the one sentence of
    core/grace.py with the recipients in the future tense."""
    reach = forum_reach(meeting.forum)
    if meeting.mail_pending():
        pending = _("The e-mails: %(pending)s.") % {
            "pending": pending_text(meeting.mail_pending_until)
        }
        text = f"{done} {pending} {pending_reach_text(reach, plural=True)}"
    else:
        text = sent % {"reach": reach.text}
    reach_message(request, reach, text)


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


def _pending_warnings(meeting: Meeting) -> list[LinkedWarning]:
    """The move/cancel confirmation's warning, before its button, while the previous
    change's e-mails still wait (services.meeting_change_check), linking to the meeting's
    page, where »Fortryd udsendelse« withdraws them."""
    return [
        LinkedWarning(
            problem,
            reverse("meetings:workspace", args=[meeting.pk]),
            _("Undo the send on the meeting's page"),
        )
        for problem in services.meeting_change_check(meeting)
    ]


def _agenda_send_warnings(meeting: Meeting) -> list:
    """The agenda send confirmation's warnings from the service's own check
    (services.agenda_send_check: what must be fixed before the send is accepted, linking
    to the meeting's page) and the proposals still awaiting a decision, by title."""
    workspace = reverse("meetings:workspace", args=[meeting.pk])
    warnings: list = [
        LinkedWarning(
            _("The agenda cannot be sent yet. %(problem)s") % {"problem": problem},
            workspace,
            _("Fix it on the meeting's page"),
        )
        for problem in services.agenda_send_check(meeting)
    ]
    undecided = services.proposals_undecided(meeting)
    if undecided:
        warnings.append(
            LinkedWarning(
                ngettext(
                    "%(count)d proposal still awaits a decision and will not be on the "
                    "agenda: %(titles)s.",
                    "%(count)d proposals still await a decision and will not be on the "
                    "agenda: %(titles)s.",
                    len(undecided),
                )
                % {
                    "count": len(undecided),
                    "titles": ", ".join(f"»{p.title}«" for p in undecided),
                },
                workspace,
                _("Decide on the proposals"),
            )
        )
    return warnings


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


def _post_action(request, meeting_id: int, action, success: str):
    return post_action(request, action, success, reverse("meetings:workspace", args=[meeting_id]))


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


@secretariat_required
def agenda_send(request, pk: int):
    """The confirmation page of sending the agenda (or a revision); its button sends."""
    meeting = get_object_or_404(Meeting.objects.select_related("forum"), pk=pk)
    form = SendForm(request.POST if request.method == "POST" else None)
    if confirmed(request) and form.is_valid():
        note = form.cleaned_data["change_note"]
        try:
            version = services.agenda_send(actor=request.user, meeting=meeting, change_note=note)
        except DomainError as exc:  # said above the page; the typed note stays in the form
            messages.error(request, " ".join(exc.messages))
        else:
            reach_message(request, forum_reach(meeting.forum), _sent_message(meeting, version))
            return redirect("meetings:workspace", pk=pk)
    preview = selectors.agenda_send_preview(meeting)
    first = preview.number == 1
    warnings = _agenda_send_warnings(meeting)
    if preview.closes_proposals_early:
        day = date_format(timezone.localtime(meeting.proposals_close_at), "l j. F Y")
        warnings.append(
            _(
                "Proposals are open until the end of %(day)s. Sending the agenda now closes "
                "them early: members can no longer propose items."
            )
            % {"day": day}
        )
    notes = _grace_note(preview.grace_minutes)
    return confirm_page(
        request,
        Confirmation(
            title=_("Send the agenda") if first else _("Send revised agenda"),
            intro=str(meeting)
            if first
            else _("%(meeting)s – version %(number)d")
            % {"meeting": meeting, "number": preview.number},
            button=_("Send the agenda to the members")
            if first
            else _("Send version %(number)d to the members") % {"number": preview.number},
            cancel_url=reverse("meetings:workspace", args=[pk]),
            reach=preview.reach,
            subject=preview.subject,
            preview_url=reverse("meetings:send_preview", args=[pk]),
            warnings=warnings,
            notes=notes,
            form=None if first else form,
        ),
    )


def pending_reach_text(reach, *, plural: bool = False) -> str:
    """Whom a send still in its grace period will reach, in the future tense: »Den når 2
    af 9 medlemmer — 7 uden e-mail: …«. `reach`: forums.selectors.Reach. `plural`: the
    sentence before has a plural subject (»E-mailene: …«), so it says »De når …«."""
    counts = {"reached": len(reach.reached), "total": len(reach.members)}
    if plural:
        text = _("They will reach %(reached)d of %(total)d members.") % counts
    else:
        text = _("It will reach %(reached)d of %(total)d members.") % counts
    if reach.without_email:
        names = ", ".join(p.name for p in reach.without_email)
        text += " " + _("Without e-mail: %(names)s.") % {"names": names}
    return text


def _sent_message(meeting: Meeting, version) -> str:
    if version.in_grace():
        return (
            _("Version %(number)d of the agenda: %(pending)s.")
            % {
                "number": version.number,
                "pending": pending_text(version.send_after),
            }
            + " "
            + pending_reach_text(forum_reach(meeting.forum))
        )
    reach = forum_reach(meeting.forum).text
    if version.number == 1:
        return _("The agenda is %(reach)s.") % {"reach": reach}
    return _("The revised agenda is %(reach)s.") % {"reach": reach}


@secretariat_required
@require_POST
def agenda_send_undo(request, pk: int):
    """ "Fortryd udsendelse": withdraw the newest version while its grace period lasts."""
    meeting = get_object_or_404(Meeting, pk=pk)
    version = selectors.latest_version(meeting)
    if version is None:
        raise Http404
    return _post_action(
        request,
        pk,
        lambda: services.agenda_send_undo(actor=request.user, version=version),
        _("The send is undone: version %(number)d is withdrawn and no e-mail went out.")
        % {"number": version.number},
    )


@secretariat_required
def agenda_send_preview(request, pk: int):
    """The PDF the members would receive if the agenda were sent now (not stored)."""
    from meetings.pdf import render_agenda_pdf

    meeting = get_object_or_404(Meeting.objects.select_related("forum"), pk=pk)
    preview = selectors.agenda_send_preview(meeting)
    version = AgendaVersion(
        meeting=meeting, number=preview.number, snapshot=services.agenda_snapshot(meeting)
    )
    response = HttpResponse(
        render_agenda_pdf(version, public=False), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'inline; filename="dagsorden-{meeting.day:%Y-%m-%d}-forhaandsvisning.pdf"'
    )
    response["Cache-Control"] = "no-store"
    return response


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


@secretariat_required
def attendance_record(request, pk: int):
    """Record who attended: one row per member with the member's own answer beside it."""
    meeting = get_object_or_404(Meeting.objects.select_related("forum"), pk=pk)
    form = PresenceForm(request.POST or None, rows=selectors.attendance_rows(meeting))
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(
            form,
            lambda: services.presence_record(
                actor=request.user, meeting=meeting, entries=form.entries()
            ),
        )
        is not None
    ):
        messages.success(request, _("The attendance is recorded."))
        return redirect(reverse("meetings:workspace", args=[pk]) + "#attendance-heading")
    frozen = attendance_locked(meeting)
    return render(
        request,
        "meetings/secretariat/attendance.html",
        {
            "meeting": meeting,
            "form": form,
            "frozen": frozen,
            "may_record": not frozen
            and meeting.status != Meeting.Status.CANCELLED
            and timezone.now() >= meeting.starts_at,
        },
    )
