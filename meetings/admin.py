from django.contrib import admin

from meetings.models import AgendaItem, AgendaVersion, Attendance, Meeting, Proposal


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "title", "treatment", "responsible", "is_closed"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["forum", "starts_at", "place", "status", "is_archive"]
    list_filter = ["forum", "status", "is_archive"]
    readonly_fields = [
        "uid",
        "sequence",
        "proposals_close_at",
        "agenda_due_at",
        "minutes_due_at",
        "agenda_sent_at",
    ]
    inlines = [AgendaItemInline]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "proposer", "status", "created_at"]
    list_filter = ["status"]


@admin.register(AgendaVersion)
class AgendaVersionAdmin(admin.ModelAdmin):
    list_display = ["meeting", "number", "created_at", "pdf_rendered_at", "distributed_at"]
    readonly_fields = ["snapshot"]


admin.site.register(Attendance)
