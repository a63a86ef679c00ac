"""The meetings in the admin, for reading only (core.admin.ViewOnlyAdmin): scheduling,
moving, agendas, proposals and attendance change through the secretariat's pages."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import ViewOnlyAdmin, ViewOnlyInline
from meetings.models import AgendaItem, AgendaVersion, Attendance, Meeting, Proposal


class AgendaItemInline(ViewOnlyInline):
    model = AgendaItem
    fields = ["position", "title", "treatment", "responsible", "is_closed"]


@admin.register(Meeting)
class MeetingAdmin(ViewOnlyAdmin):
    list_display = ["forum", "starts_at", "place", "status", "is_archive"]
    list_filter = ["forum", "status", "is_archive"]
    inlines = [AgendaItemInline]


@admin.register(Proposal)
class ProposalAdmin(ViewOnlyAdmin):
    list_display = ["title", "meeting", "proposer", "status", "created_at"]
    list_filter = ["status"]


@admin.register(AgendaVersion)
class AgendaVersionAdmin(ViewOnlyAdmin):
    list_display = ["meeting", "number", "created_at", "pdf_rendered_at", "distributed_at"]
    exclude = ["snapshot"]


@admin.register(Attendance)
class AttendanceAdmin(ViewOnlyAdmin):
    list_display = ["meeting", "person", "status"]


@admin.action(description=_("Make a new calendar address (the old one stops working)"))
def renew_calendar_address(modeladmin, request, queryset) -> None:
    """For an address that has leaked: the user gets a new one on their dashboard; the
    admin never shows the address itself."""
    from meetings.services import calendar_token_renew

    users = list(queryset.filter(calendar_token__isnull=False))
    for user in users:
        calendar_token_renew(actor=request.user, user=user)
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d calendar address renewed.",
            "%(count)d calendar addresses renewed.",
            len(users),
        )
        % {"count": len(users)},
    )
