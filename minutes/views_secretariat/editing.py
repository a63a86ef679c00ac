"""views_secretariat: Editing."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import secretariat_required
from core.diff import word_diff
from core.errors import DomainError
from forums.selectors import forum_reach
from meetings.models import Meeting
from minutes import selectors, services
from minutes.forms import ActionForm, ErratumForm, MinutesEditorForm, ReviseForm
from minutes.models import Minutes, MinutesItem
from minutes.views_secretariat._common import _back, _meeting

# --- Editing ------------------------------------------------------------------------------


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
