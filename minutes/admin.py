"""The minutes in the Django admin: an inspection tool for superusers.

Approved minutes and every part of them (items, comments and their dispositions, versions,
follow-up actions, errata) are shown read-only: no change, no delete, no add. Nothing is
added through the admin at all, since each addition has a service that carries its rules
(a comment needs a member and an open window, a version freezes a snapshot and renders a
PDF, an erratum renders the corrected PDFs, an action's status is set in the decisions
register). The bulk "delete selected" action is gone, so no admin action writes. The
models and, on PostgreSQL, the triggers refuse the same writes anyway."""

from django.contrib import admin

from minutes.models import (
    Comment,
    Erratum,
    FollowUpAction,
    Minutes,
    MinutesItem,
    MinutesVersion,
)


def minutes_of(obj) -> Minutes | None:
    """The minutes an admin object belongs to (itself, or through `minutes` or `item`)."""
    if obj is None or isinstance(obj, Minutes):
        return obj
    if isinstance(obj, FollowUpAction):
        return obj.item.minutes
    return getattr(obj, "minutes", None)


def is_approved(obj) -> bool:
    """Whether `obj` belongs to approved minutes, as stored now (not as the page read it)."""
    minutes = minutes_of(obj)
    return bool(
        minutes
        and minutes.pk
        and Minutes.objects.filter(pk=minutes.pk, status=Minutes.Status.APPROVED).exists()
    )


class FrozenWhenApprovedAdmin(admin.ModelAdmin):
    """Read-only for approved minutes; no add; no actions."""

    def get_actions(self, request):
        return {}

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return not is_approved(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not is_approved(obj) and super().has_delete_permission(request, obj)


class FrozenInline(admin.TabularInline):
    """The parts of a set of minutes on its page: never added or deleted here; read-only
    with approved minutes, whose page the admin shows view-only as a whole."""

    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MinutesItemInline(FrozenInline):
    model = MinutesItem
    fields = ["position", "title", "is_closed", "summary", "decision"]


class MinutesVersionInline(FrozenInline):
    model = MinutesVersion
    fields = ["number", "is_final", "change_note", "created_at", "distributed_at"]
    readonly_fields = ["created_at", "distributed_at"]


class CommentInline(FrozenInline):
    model = Comment
    fields = ["author", "item", "body", "disposition", "disposition_note"]


class ErratumInline(FrozenInline):
    model = Erratum
    fields = ["text", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(Minutes)
class MinutesAdmin(FrozenWhenApprovedAdmin):
    list_display = ["meeting", "status", "sent_at", "comments_close_at", "approved_at"]
    list_filter = ["status"]
    inlines = [MinutesItemInline, MinutesVersionInline, CommentInline, ErratumInline]


@admin.register(MinutesItem)
class MinutesItemAdmin(FrozenWhenApprovedAdmin):
    list_display = ["minutes", "position", "title"]


@admin.register(Comment)
class CommentAdmin(FrozenWhenApprovedAdmin):
    list_display = ["minutes", "author", "disposition", "created_at"]


@admin.register(MinutesVersion)
class MinutesVersionAdmin(FrozenWhenApprovedAdmin):
    list_display = ["minutes", "number", "is_final", "created_at"]


@admin.register(FollowUpAction)
class FollowUpActionAdmin(FrozenWhenApprovedAdmin):
    list_display = ["what", "responsible", "due_on", "status"]
    list_select_related = ["item__minutes", "responsible"]


@admin.register(Erratum)
class ErratumAdmin(FrozenWhenApprovedAdmin):
    list_display = ["minutes", "created_at"]
