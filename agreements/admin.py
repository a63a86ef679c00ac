from django.contrib import admin

from agreements.models import AgreementVersion, FrameworkAgreement, Initiative, SubAgreement, Theme


class ThemeInline(admin.StackedInline):
    model = Theme
    extra = 0


@admin.register(FrameworkAgreement)
class FrameworkAgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "period_start", "period_end", "status"]
    inlines = [ThemeInline]
    readonly_fields = ["status", "in_force_since", "replaced_by"]


@admin.register(AgreementVersion)
class AgreementVersionAdmin(admin.ModelAdmin):
    list_display = ["agreement", "number", "adopted_on"]
    readonly_fields = ["snapshot"]


admin.site.register(SubAgreement)
admin.site.register(Initiative)
