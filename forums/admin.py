from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from forums.models import (
    Forum,
    Membership,
    Organisation,
    Person,
    Seat,
    StandardAgendaItem,
    ThemeGroup,
    ThemeGroupMember,
)


class SeatInline(admin.TabularInline):
    model = Seat
    extra = 0


class StandardAgendaItemInline(admin.TabularInline):
    model = StandardAgendaItem
    extra = 0


@admin.register(Forum)
class ForumAdmin(SimpleHistoryAdmin):
    list_display = ["name", "level", "agenda_deadline_days", "proposal_deadline_days"]
    inlines = [SeatInline, StandardAgendaItemInline]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "parent"]
    search_fields = ["name", "short_name"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "title", "organisation", "email"]
    search_fields = ["name", "email"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["person", "forum", "seat", "role", "starts_on", "ends_on"]
    list_filter = ["forum", "role"]
    search_fields = ["person__name"]


class ThemeGroupMemberInline(admin.TabularInline):
    model = ThemeGroupMember
    extra = 0


@admin.register(ThemeGroup)
class ThemeGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "forum", "set_up_on", "ends_on"]
    inlines = [ThemeGroupMemberInline]
