"""views_secretariat: Sending the agenda."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import secretariat_required
from core.errors import DomainError
from core.grace import pending_text
from core.pages import (
    Confirmation,
    confirm_page,
    confirmed,
    reach_message,
)
from forums.selectors import forum_reach
from meetings import selectors, services
from meetings.forms import (
    SendForm,
)
from meetings.models import AgendaVersion, Meeting
from meetings.views_secretariat._common import (
    _agenda_send_warnings,
    _grace_note,
    _post_action,
    pending_reach_text,
)

# --- Sending the agenda -------------------------------------------------------------------


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
