"""The meetings in the admin, for reading only (core.admin.ViewOnlyAdmin): scheduling,
moving, agendas, proposals and attendance change through the secretariat's pages."""

from django.contrib import admin

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
