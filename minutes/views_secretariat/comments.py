"""views_secretariat: Comments and errata."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import secretariat_required
from core.forms import call_service
from minutes import selectors, services
from minutes.forms import DispositionForm, ErratumForm
from minutes.models import Comment, Minutes
from minutes.views_secretariat._common import _back
from minutes.views_secretariat.editing import _editor_page, _fresh_form

# --- Comments and errata ------------------------------------------------------------------


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
