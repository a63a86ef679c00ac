"""The secretariat's minutes pages: the editor (optimistic locking), sending and
revising, the comment overview with dispositions, errata."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.permissions import secretariat_required
from core.diff import word_diff
from core.errors import DomainError
from core.forms import call_service
from core.grace import grace_end, pending_text
from core.pages import (
    Confirmation,
    LinkedWarning,
    confirm_page,
    confirmed,
    post_action,
    reach_level,
    reach_message,
    second_confirmed,
)
from core.wallclock import wall_clock
from forums.selectors import forum_reach
from meetings.models import Meeting
from meetings.selectors import attendance_rows
from meetings.views_secretariat import pending_reach_text
from minutes import selectors, services
from minutes.forms import ActionForm, DispositionForm, ErratumForm, MinutesEditorForm, ReviseForm
from minutes.models import Comment, FollowUpAction, Minutes, MinutesItem, MinutesVersion
from notifications.services import render_subject


def _meeting(pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("forum"), pk=pk)


def _back(meeting_pk: int):
    return redirect("minutes:editor", pk=meeting_pk)


def _post_action(request, meeting_pk: int, action, success: str, **kwargs):
    return post_action(
        request, action, success, reverse("minutes:editor", args=[meeting_pk]), **kwargs
    )


@secretariat_required
def minutes_list(request):
    waiting = (
        Meeting.objects.filter(
            status__in=[Meeting.Status.AGENDA_SENT, Meeting.Status.HELD], is_archive=False
        )
        .select_related("forum", "minutes")
        .order_by("-starts_at")[:100]
    )
    return render(request, "minutes/secretariat/list.html", {"meetings": waiting})


EDITOR_FORM_ID = "minutes-editor"


def _action_form(item: MinutesItem, data=None) -> ActionForm:
    """The "add a follow-up action" form of one item. Its fields belong to the editor's form
    (HTML `form` attribute), so that the button sends the unsaved minutes text along."""
    form = ActionForm(data, prefix=f"action{item.pk}")
    for field in form.fields.values():
        field.widget.attrs["form"] = EDITOR_FORM_ID
    return form


def _editor_page(
    request,
    meeting: Meeting,
    minutes: Minutes,
    form: MinutesEditorForm,
    *,
    conflict: dict | None = None,
    bound_action: ActionForm | None = None,
    revise_form: ReviseForm | None = None,
    erratum_form: ErratumForm | None = None,
    status: int = 200,
):
    items = form.items
    proposed = selectors.proposed_decisions(minutes)  # the agenda's »Indstilling« per item
    for item in items:
        item.proposed_decision = proposed.get(item.pk, "")
    revise_form = revise_form or ReviseForm()
    revise_form.fields["change_note"].widget.attrs["form"] = EDITOR_FORM_ID
    context = {
        "meeting": meeting,
        "minutes": minutes,
        "form": form,
        "form_id": EDITOR_FORM_ID,
        "conflict": conflict,
        # One "add a follow-up action" form per item (prefixed names, one editor form).
        "action_rows": [
            (
                item,
                bound_action
                if bound_action is not None and bound_action.prefix == f"action{item.pk}"
                else _action_form(item),
            )
            for item in items
        ],
        "open_action": bound_action.prefix if bound_action is not None else "",
        "editable": minutes.status != Minutes.Status.APPROVED
        and (minutes.status == Minutes.Status.DRAFT or selectors.window_open(minutes)),
        "versions": selectors.minutes_versions_sent(minutes),
        "grace_version": selectors.version_in_grace(minutes),
        "meeting_started": timezone.now() >= meeting.starts_at,
        "reach": forum_reach(meeting.forum),
        "revise_form": revise_form,
        "erratum_form": erratum_form or ErratumForm(),
        "errata": minutes.errata.all(),
        "states": selectors.member_states(minutes)
        if minutes.status != Minutes.Status.DRAFT
        else [],
    }
    return render(request, "minutes/secretariat/editor.html", context, status=status)


def _fresh_form(minutes: Minutes, items: list[MinutesItem] | None = None) -> MinutesEditorForm:
    minutes.refresh_from_db()
    items = items if items is not None else list(selectors.minutes_items(minutes))
    return MinutesEditorForm(
        items=items,
        initial={"lock_version": minutes.lock_version, "introduction": minutes.introduction},
    )


@secretariat_required
def editor(request, pk: int):
    meeting = _meeting(pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:
        return render(request, "minutes/secretariat/start.html", {"meeting": meeting})
    if request.method != "POST":
        return _editor_page(request, meeting, minutes, _fresh_form(minutes))
    form = MinutesEditorForm(request.POST, items=list(selectors.minutes_items(minutes)))
    saved, conflict = _save_editor_form(request, minutes, form, services.minutes_save)
    if saved is not None:
        messages.success(request, _("The minutes are saved."))
        return _back(pk)
    return _editor_page(request, meeting, minutes, form, conflict=conflict)


def _save_editor_form(request, minutes: Minutes, form: MinutesEditorForm, save):
    """Save a bound editor form through `save` (minutes_save or minutes_save_if_changed).
    Returns (what `save` returned, None), or (None, the conflict view or None) with the
    refusal put on the form: someone else saved meanwhile (optimistic lock), bad input,
    or minutes that can no longer change."""
    if not form.is_valid():
        return None, None
    try:
        result = save(
            actor=request.user,
            minutes=minutes,
            lock_version=form.cleaned_data["lock_version"],
            introduction=form.cleaned_data["introduction"],
            items=form.item_values(),
        )
    except services.MinutesConflict as exc:
        form.add_error(None, exc.messages[0])
        return None, _conflict_view(exc.current, form)
    except DomainError as exc:
        form.add_error(None, exc)
        return None, None
    return result, None


@secretariat_required
@require_POST
def autosave(request, pk: int):
    """The editor page's autosave (static/js/unsaved.js, every 30 s while the text changed).

    Takes the editor form's fields; saves through `minutes_save_if_changed` (no version).
    Answers JSON: 200 {"saved": bool, "lock_version": int, "message": str};
    409 {"conflict": true, "message"} when someone else saved since `lock_version`
    (nothing is written; the page then asks to save by hand and shows the comparison);
    400 {"message"} for a bad form or minutes that can no longer change."""
    minutes = get_object_or_404(Minutes, meeting_id=pk)
    form = MinutesEditorForm(request.POST, items=list(selectors.minutes_items(minutes)))
    if not form.is_valid():
        return JsonResponse(
            {"message": _("The text could not be saved automatically.")}, status=400
        )
    try:
        current, saved = services.minutes_save_if_changed(
            actor=request.user,
            minutes=minutes,
            lock_version=form.cleaned_data["lock_version"],
            introduction=form.cleaned_data["introduction"],
            items=form.item_values(),
        )
    except services.MinutesConflict as exc:
        return JsonResponse({"conflict": True, "message": exc.messages[0]}, status=409)
    except DomainError as exc:
        return JsonResponse({"message": " ".join(exc.messages)}, status=400)
    current.refresh_from_db(fields=["lock_version"])
    when = timezone.localtime().strftime("%H:%M")
    return JsonResponse(
        {
            "saved": saved,
            "lock_version": current.lock_version,
            "message": _("Saved automatically at %(time)s.") % {"time": when} if saved else "",
        }
    )


def _save_carried_text(request, minutes: Minutes, refused: str):
    """Save the minutes text that an action button of the editor carries with it (save,
    then act). Returns None when the action may go ahead (the text is saved, was
    unchanged, or no text came with the post); otherwise the editor page with the text as
    typed, the conflict or error at the form, and `refused` (what did not happen) as a
    message: the action must not run on a text the person has not seen saved."""
    if "lock_version" not in request.POST:
        return None
    meeting = minutes.meeting
    items = list(selectors.minutes_items(minutes))
    form = MinutesEditorForm(request.POST, items=items)
    result, conflict = _save_editor_form(request, minutes, form, services.minutes_save_if_changed)
    if result is not None:
        if result[1]:  # (minutes, whether anything changed)
            messages.success(request, _("The minutes are saved."))
        return None
    messages.error(request, refused)
    revise_form = ReviseForm(request.POST) if "change_note" in request.POST else None
    item_pk = next(
        (k[len("action") : -len("-what")] for k in request.POST if k.endswith("-what")), None
    )
    bound_action = None
    if item_pk and item_pk.isdigit():
        item = next((i for i in items if i.pk == int(item_pk)), None)
        bound_action = _action_form(item, request.POST) if item else None
    return _editor_page(
        request,
        meeting,
        minutes,
        form,
        conflict=conflict,
        bound_action=bound_action,
        revise_form=revise_form,
        status=409 if conflict else 400,
    )


def _conflict_view(current: Minutes, form: MinutesEditorForm) -> dict:
    """What the other person saved, next to what this editor tried to save."""
    saved = {item.pk: item for item in MinutesItem.objects.filter(minutes=current)}
    rows = []
    for item, values in form.item_values().items():
        other = saved.get(item)
        if other and (other.summary, other.decision) != (values["summary"], values["decision"]):
            rows.append(
                {
                    "title": f"{other.position}. {other.title}",
                    "summary": word_diff(other.summary, values["summary"]),
                    "decision": word_diff(other.decision, values["decision"]),
                }
            )
    intro = form.cleaned_data["introduction"]
    form.data = form.data.copy()
    form.data["lock_version"] = current.lock_version  # the next save overwrites knowingly
    return {
        "rows": rows,
        "introduction": word_diff(current.introduction, intro)
        if current.introduction != intro
        else None,
    }


@secretariat_required
@require_POST
def start(request, pk: int):
    meeting = _meeting(pk)
    try:
        services.minutes_start(actor=request.user, meeting=meeting)
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
    return _back(pk)


def _attendance_warnings(meeting: Meeting) -> list[LinkedWarning]:
    """»Fremmøde er ikke registreret« (for nobody, or for the members named) with a link to
    the attendance page: the minutes print the recorded attendance (issue 13 §3)."""
    missing = [row.person.name for row in attendance_rows(meeting) if row.presence is None]
    if not missing:
        return []
    url = reverse("meetings:attendance_record", args=[meeting.pk])
    link = _("Record the attendance")
    if not meeting.presence.exists():
        return [LinkedWarning(_("The attendance is not recorded."), url, link)]
    text = ngettext(
        "The attendance of %(count)d member is not recorded: %(names)s.",
        "The attendance of %(count)d members is not recorded: %(names)s.",
        len(missing),
    ) % {"count": len(missing), "names": ", ".join(missing)}
    return [LinkedWarning(text, url, link)]


@secretariat_required
def send(request, pk: int):
    """The confirmation page of sending the minutes: recipients, who has no address, the
    subject, the PDF, and the empty items, which need a ticked second confirmation."""
    minutes = get_object_or_404(Minutes.objects.select_related("meeting__forum"), meeting_id=pk)
    if request.method == "POST":
        refused = _save_carried_text(
            request, minutes, _("Nothing was sent: your text of the minutes is not saved yet.")
        )
        if refused is not None:
            return refused
    meeting = minutes.meeting
    try:
        services.minutes_send_check(minutes)
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back(pk)
    empty = selectors.empty_items(minutes)
    second_error = ""
    if confirmed(request):
        try:
            services.minutes_send(
                actor=request.user, minutes=minutes, allow_empty=second_confirmed(request)
            )
        except DomainError as exc:
            if not empty:
                messages.error(request, " ".join(exc.messages))
                return _back(pk)
            second_error = _("Tick the box to send the minutes with empty items.")
        else:
            reach = forum_reach(meeting.forum)
            reach_message(request, reach, _minutes_sent_message(minutes, reach))
            return _back(pk)
    return confirm_page(
        request,
        Confirmation(
            title=_("Send the minutes"),
            intro=str(meeting),
            button=_("Send the minutes to the members"),
            cancel_url=reverse("minutes:editor", args=[pk]),
            reach=forum_reach(meeting.forum),
            subject=render_subject("minutes_sent", {"meeting": meeting, "forum": meeting.forum}),
            preview_url=reverse("minutes:send_preview", args=[pk]),
            warnings=[
                *([services.empty_items_message(empty)] if empty else []),
                *_attendance_warnings(meeting),
            ],
            notes=_send_notes(),
            second_confirmation=_("Send the minutes although these items are empty")
            if empty
            else "",
            second_error=second_error,
        ),
    )


def _send_notes() -> list[str]:
    """The send confirmation's note: the comment window opens, and — while
    settings.SEND_GRACE_MINUTES > 0 — the send can be undone until the grace period of a
    send made now ends (as the agenda's confirmation says); at 0 it cannot be undone."""
    if not settings.SEND_GRACE_MINUTES:
        return [_("Sending opens the members' two-week comment window; it cannot be undone.")]
    return [
        _(
            "Sending opens the members' two-week comment window. If you send now, the "
            "e-mails leave at %(time)s; the send can be undone until %(time)s with »Undo the "
            "send« on the minutes page."
        )
        % {"time": wall_clock(grace_end(timezone.now()))}
    ]


def _minutes_sent_message(minutes: Minutes, reach) -> str:
    """After sending: whom it reached, or — in the grace period — the one sentence of
    core/grace.py with the recipients in the future tense."""
    minutes.refresh_from_db()
    if selectors.version_in_grace(minutes):
        return (
            _("The minutes: %(pending)s.") % {"pending": pending_text(minutes.sent_at)}
            + " "
            + pending_reach_text(reach)
        )
    return _("The minutes are %(reach)s; the members' comment window is open.") % {
        "reach": reach.text
    }


@secretariat_required
@require_POST
def send_undo(request, pk: int):
    """ "Fortryd udsendelse": withdraw the newest draft version while its grace period lasts."""
    minutes = get_object_or_404(Minutes, meeting_id=pk)
    return _post_action(
        request,
        pk,
        lambda: services.minutes_send_undo(actor=request.user, minutes=minutes),
        _("The send is undone: no e-mail went out."),
    )


@secretariat_required
def send_preview(request, pk: int):
    """The draft PDF the members would receive if the minutes were sent now (not stored)."""
    from minutes.pdf import render_minutes_pdf

    minutes = get_object_or_404(Minutes.objects.select_related("meeting__forum"), meeting_id=pk)
    if minutes.comments_close_at is None:  # not sent: the day the window would close if sent now
        minutes.comments_close_at = services.comments_close_if_sent_now(minutes)
    version = MinutesVersion(minutes=minutes, number=1, snapshot=services.minutes_snapshot(minutes))
    response = HttpResponse(
        render_minutes_pdf(version, public=False), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'inline; filename="referat-{minutes.meeting.day:%Y-%m-%d}-forhaandsvisning.pdf"'
    )
    response["Cache-Control"] = "no-store"
    return response


@secretariat_required
def revise(request, pk: int):
    """The confirmation page of sending a revised draft (recipients, subject, the change
    note); its button sends it."""
    minutes = get_object_or_404(Minutes.objects.select_related("meeting__forum"), meeting_id=pk)
    if request.method == "POST":
        refused = _save_carried_text(
            request, minutes, _("Nothing was sent: your text of the minutes is not saved yet.")
        )
        if refused is not None:
            return refused
    meeting = minutes.meeting
    form = ReviseForm(request.POST if request.method == "POST" else None)
    if (
        confirmed(request)
        and form.is_valid()
        and call_service(
            form,
            lambda: services.minutes_revise(
                actor=request.user, minutes=minutes, change_note=form.cleaned_data["change_note"]
            ),
        )
    ):
        reach = forum_reach(meeting.forum)
        text = _("The revised draft is %(reach)s.") % {"reach": reach.text}
        if settings.SEND_GRACE_MINUTES:
            text = (
                _("The revised draft: %(pending)s.")
                % {"pending": pending_text(grace_end(timezone.now()))}
                + " "
                + pending_reach_text(reach)
            )
        messages.add_message(request, reach_level(reach), text)
        return _back(pk)
    # Not confirmed yet, or refused: the confirmation page, the change note kept and the
    # reason at the form.
    number = minutes.versions.filter(is_final=False).count() + 1
    return confirm_page(
        request,
        Confirmation(
            title=_("Send the revised draft"),
            intro=str(meeting),
            button=_("Send version %(number)d to the members") % {"number": number},
            cancel_url=reverse("minutes:editor", args=[pk]),
            reach=forum_reach(meeting.forum),
            subject=render_subject(
                "minutes_revised",
                {"meeting": meeting, "forum": meeting.forum, "version": {"number": number}},
            ),
            preview_url=reverse("minutes:send_preview", args=[pk]),
            notes=[_("The comment window does not move.")],
            form=form,
        ),
    )


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


@secretariat_required
def comments(request, pk: int):
    minutes = get_object_or_404(Minutes.objects.select_related("meeting__forum"), meeting_id=pk)
    return _comments_page(request, minutes)


def _comments_page(request, minutes: Minutes, refused: tuple | None = None, status: int = 200):
    """The comments and their dispositions; `refused` = (comment, bound DispositionForm)
    shows a refused disposition again with what was typed and the reason."""
    comment, form = refused or (None, None)
    return render(
        request,
        "minutes/secretariat/comments.html",
        {
            "minutes": minutes,
            "meeting": minutes.meeting,
            "states": selectors.member_states(minutes),
            "comments": minutes.comments.select_related("author", "item", "disposed_by"),
            "form": DispositionForm(),
            "refused_pk": comment.pk if comment else None,
            "refused_form": form,
            "refused_note": form.data.get("disposition_note", "") if form else "",
            "refused_disposition": form.data.get("disposition", "") if form else "",
            "approved": minutes.status == Minutes.Status.APPROVED,
            "window_closed": minutes.status == Minutes.Status.SENT
            and not selectors.window_open(minutes),
        },
        status=status,
    )


@secretariat_required
@require_POST
def dispose(request, pk: int):
    comment = get_object_or_404(Comment.objects.select_related("minutes"), pk=pk)
    form = DispositionForm(request.POST)
    if form.is_valid() and call_service(
        form,
        lambda: services.comment_dispose(
            actor=request.user,
            comment=comment,
            disposition=form.cleaned_data["disposition"],
            note=form.cleaned_data["disposition_note"],
        ),
    ):
        messages.success(request, _("The disposition is saved."))
        return redirect(
            reverse("minutes:comments", args=[comment.minutes.meeting_id])
            + f"#comment-{comment.pk}"
        )
    # Refused: the page again with the typed note and the reason, never a redirect that drops it.
    messages.error(request, _("The disposition is not saved; see the comment below."))
    return _comments_page(request, comment.minutes, refused=(comment, form), status=400)


@secretariat_required
@require_POST
def erratum(request, pk: int):
    minutes = get_object_or_404(Minutes, meeting_id=pk)
    form = ErratumForm(request.POST)
    if form.is_valid() and call_service(
        form,
        lambda: services.erratum_add(
            actor=request.user, minutes=minutes, text=form.cleaned_data["text"]
        ),
    ):
        messages.success(request, _("The correction is added to the approved minutes."))
        return _back(pk)
    # Refused: the editor again with the typed correction and the reason at its form.
    messages.error(
        request,
        _("The correction is not added: %(reason)s")
        % {"reason": " ".join(e for errors in form.errors.values() for e in errors)},
    )
    return _editor_page(
        request, minutes.meeting, minutes, _fresh_form(minutes), erratum_form=form, status=400
    )
