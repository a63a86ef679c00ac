"""The framework agreement, sub-agreements and initiatives in the admin, for reading only
(core.admin.ViewOnlyAdmin): they change through the secretariat's pages and their services,
which keep the versions, approvals and public pages in step."""

from django.contrib import admin

from agreements.models import AgreementVersion, FrameworkAgreement, Initiative, SubAgreement, Theme
from core.admin import ViewOnlyAdmin, ViewOnlyInline


class ThemeInline(ViewOnlyInline):
    model = Theme


@admin.register(FrameworkAgreement)
class FrameworkAgreementAdmin(ViewOnlyAdmin):
    list_display = ["title", "period_start", "period_end", "status"]
    inlines = [ThemeInline]


@admin.register(AgreementVersion)
class AgreementVersionAdmin(ViewOnlyAdmin):
    list_display = ["agreement", "number", "adopted_on"]
    exclude = ["snapshot"]


admin.site.register(SubAgreement, ViewOnlyAdmin)
admin.site.register(Initiative, ViewOnlyAdmin)
