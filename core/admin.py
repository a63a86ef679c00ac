from django.contrib import admin

from core.models import AuditEntry


class ViewOnlyMixin:
    """The admin shows these objects but never writes them: every change goes through the
    secretariat's pages, whose services keep deadlines, invitations, the audit log and the
    approved record consistent (an admin edit of a meeting would move it without new
    deadlines, or rewrite approved minutes' title and items)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ViewOnlyAdmin(ViewOnlyMixin, admin.ModelAdmin):
    actions = None


class ViewOnlyInline(ViewOnlyMixin, admin.TabularInline):
    extra = 0


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "object_repr"]
    list_filter = ["action"]
    search_fields = ["object_repr", "action"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
