"""The secretariat's minutes pages: the editor (optimistic locking), sending and
revising, the comment overview with dispositions, errata."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import secretariat_required
from core.diff import word_diff
from core.errors import DomainError
from core.forms import call_service
from core.pages import post_action
from forums.selectors import forum_reach
from meetings.models import Meeting
from minutes import selectors, services
from minutes.forms import ActionForm, DispositionForm, ErratumForm, MinutesEditorForm, ReviseForm
from minutes.models import Comment, FollowUpAction, Minutes, MinutesItem


def _meeting(pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("forum"), pk=pk)


def _back(meeting_pk: int):
    return redirect("minutes:editor", pk=meeting_pk)


def _post_action(request, meeting_pk: int, action, success: str):
    return post_action(request, action, success, reverse("minutes:editor", args=[meeting_pk]))


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


@secretariat_required
def editor(request, pk: int):
    meeting = _meeting(pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:
        return render(request, "minutes/secretariat/start.html", {"meeting": meeting})
    items = list(selectors.minutes_items(minutes))
    proposed = selectors.proposed_decisions(minutes)
    for item in items:
        item.proposed_decision = proposed.get(item.pk, "")
    form = MinutesEditorForm(
        request.POST or None,
        items=items,
        initial={"lock_version": minutes.lock_version, "introduction": minutes.introduction},
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_save(
                actor=request.user,
                minutes=minutes,
                lock_version=form.cleaned_data["lock_version"],
                introduction=form.cleaned_data["introduction"],
                items=form.item_values(),
            )
        except services.MinutesConflict as exc:
            conflict = _conflict_view(exc.current, form)
            form.add_error(None, exc.messages[0])
        except DomainError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The minutes are saved."))
            return _back(pk)
    context = {
        "meeting": meeting,
        "minutes": minutes,
        "form": form,
        "conflict": conflict,
        # One "add a follow-up action" form per item (unique ids, the same field names).
        "action_rows": [(item, ActionForm(auto_id=f"id_action{item.pk}_%s")) for item in items],
        "editable": minutes.status != Minutes.Status.APPROVED
        and (minutes.status == Minutes.Status.DRAFT or selectors.window_open(minutes)),
        "versions": selectors.minutes_versions_sent(minutes),
        "meeting_started": timezone.now() >= meeting.starts_at,
        "reach": forum_reach(meeting.forum),
        "revise_form": ReviseForm(),
        "erratum_form": ErratumForm(),
        "errata": minutes.errata.all(),
        "states": selectors.member_states(minutes)
        if minutes.status != Minutes.Status.DRAFT
        else [],
    }
    return render(request, "minutes/secretariat/editor.html", context)


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


@secretariat_required
@require_POST
def send(request, pk: int):
    minutes = get_object_or_404(Minutes.objects.select_related("meeting__forum"), meeting_id=pk)
    reach = forum_reach(minutes.meeting.forum).text  # whom the distribution task e-mails
    return _post_action(
        request,
        pk,
        lambda: services.minutes_send(actor=request.user, minutes=minutes),
        _("The minutes are %(reach)s; the members' comment window is open.") % {"reach": reach},
    )


@secretariat_required
@require_POST
def revise(request, pk: int):
    minutes = get_object_or_404(Minutes.objects.select_related("meeting__forum"), meeting_id=pk)
    form = ReviseForm(request.POST)
    note = form.cleaned_data["change_note"] if form.is_valid() else ""
    reach = forum_reach(minutes.meeting.forum).text
    return _post_action(
        request,
        pk,
        lambda: services.minutes_revise(actor=request.user, minutes=minutes, change_note=note),
        _("The revised draft is %(reach)s.") % {"reach": reach},
    )


@secretariat_required
@require_POST
def action_add(request, pk: int):
    item = get_object_or_404(MinutesItem.objects.select_related("minutes"), pk=pk)
    form = ActionForm(request.POST)
    if form.is_valid() and call_service(
        form, lambda: services.action_add(actor=request.user, item=item, **form.cleaned_data)
    ):
        messages.success(request, _("The follow-up action is added."))
    else:
        messages.error(
            request,
            " ".join(
                f"{form.fields[f].label if f in form.fields else ''}: {e}"
                for f, errors in form.errors.items()
                for e in errors
            ),
        )
    return redirect(reverse("minutes:editor", args=[item.minutes.meeting_id]) + f"#item-{item.pk}")


@secretariat_required
@require_POST
def action_delete(request, pk: int):
    action = get_object_or_404(FollowUpAction.objects.select_related("item__minutes"), pk=pk)
    meeting_pk = action.item.minutes.meeting_id
    return _post_action(
        request,
        meeting_pk,
        lambda: services.action_delete(actor=request.user, action=action),
        _("The follow-up action is removed."),
    )


@secretariat_required
def comments(request, pk: int):
    minutes = get_object_or_404(Minutes.objects.select_related("meeting__forum"), meeting_id=pk)
    return render(
        request,
        "minutes/secretariat/comments.html",
        {
            "minutes": minutes,
            "meeting": minutes.meeting,
            "states": selectors.member_states(minutes),
            "comments": minutes.comments.select_related("author", "item", "disposed_by"),
            "form": DispositionForm(),
            "approved": minutes.status == Minutes.Status.APPROVED,
            "window_closed": minutes.status == Minutes.Status.SENT
            and not selectors.window_open(minutes),
        },
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
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(
        reverse("minutes:comments", args=[comment.minutes.meeting_id]) + f"#comment-{comment.pk}"
    )


@secretariat_required
@require_POST
def erratum(request, pk: int):
    minutes = get_object_or_404(Minutes, meeting_id=pk)
    form = ErratumForm(request.POST)
    text = form.cleaned_data["text"] if form.is_valid() else ""
    return _post_action(
        request,
        pk,
        lambda: services.erratum_add(actor=request.user, minutes=minutes, text=text),
        _("The correction is added to the approved minutes."),
    )
