"""views_secretariat: Attendance."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import secretariat_required
from core.forms import call_service
from core.record_locks import attendance_locked
from meetings import selectors, services
from meetings.forms import (
    PresenceForm,
)
from meetings.models import Meeting

# --- Attendance ---------------------------------------------------------------------------


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
