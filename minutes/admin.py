from django.contrib import admin

from minutes.models import Comment, Erratum, FollowUpAction, Minutes, MinutesVersion


class ReadOnlyWhenApproved(admin.ModelAdmin):
    """Approved minutes cannot change: the admin shows them read-only (the model and, on
    PostgreSQL, a trigger refuse changes anyway)."""

    def has_change_permission(self, request, obj=None):
        minutes = getattr(obj, "minutes", obj)
        if isinstance(minutes, Minutes) and minutes.status == Minutes.Status.APPROVED:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj) and super().has_delete_permission(
            request, obj
        )


@admin.register(Minutes)
class MinutesAdmin(ReadOnlyWhenApproved):
    list_display = ["meeting", "status", "sent_at", "comments_close_at", "approved_at"]
    list_filter = ["status"]


@admin.register(Comment)
class CommentAdmin(ReadOnlyWhenApproved):
    list_display = ["minutes", "author", "disposition", "created_at"]


@admin.register(MinutesVersion)
class MinutesVersionAdmin(ReadOnlyWhenApproved):
    list_display = ["minutes", "number", "is_final", "created_at"]


admin.site.register(FollowUpAction)
admin.site.register(Erratum)
