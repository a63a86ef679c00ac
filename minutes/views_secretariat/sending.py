"""views_secretariat: Sending."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.permissions import secretariat_required
from core.errors import DomainError
from core.forms import call_service
from core.grace import grace_end, pending_text
from core.pages import (
    Confirmation,
    LinkedWarning,
    confirm_page,
    confirmed,
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
from minutes.forms import ReviseForm
from minutes.models import Minutes, MinutesVersion
from minutes.views_secretariat._common import _back, _post_action
from minutes.views_secretariat.editing import _save_carried_text
from notifications.services import render_subject

# --- Sending ------------------------------------------------------------------------------


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
