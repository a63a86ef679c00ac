from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts.models import PasswordResetRequest, User
from accounts.services import second_factor_reset
from core.contributions import contributions

# A second-factor device's key, recovery codes or credential would let whoever sees or adds
# them pass its owner's second step: the admin neither shows nor adds any. A superuser helps
# someone who lost a device with the "reset two-step sign-in" action on the user list.
for _model in (TOTPDevice, StaticDevice, WebAuthnCredential):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.action(description=_("Reset two-step sign-in (the user sets it up again)"))
def reset_second_factor(modeladmin, request, queryset) -> None:
    users = list(queryset)
    for user in users:
        second_factor_reset(actor=request.user, user=user)
    modeladmin.message_user(
        request,
        ngettext(
            "Two-step sign-in reset for %(count)d user.",
            "Two-step sign-in reset for %(count)d users.",
            len(users),
        )
        % {"count": len(users)},
    )


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "full_name"]
    actions = [reset_second_factor]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name",)}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def get_actions(self, request):
        """Our own actions and those the apps above add (the calendar address, from
        `meetings`), through core/contributions.py."""
        actions = super().get_actions(request)
        for action in contributions("user_admin_actions"):
            func, name, description = self.get_action(action)
            actions[name] = (func, name, description)
        return actions

    def has_delete_permission(self, request, obj=None) -> bool:
        """Accounts are deactivated, never deleted: a deleted author would be blanked out of
        approved minutes, comments and the audit log (their foreign keys SET_NULL)."""
        return False


@admin.register(PasswordResetRequest)
class PasswordResetRequestAdmin(admin.ModelAdmin):
    """Read-only: who asked for a reset link, from where, and what the limits decided."""

    list_display = ["requested_at", "address", "client_address", "outcome"]
    list_filter = ["outcome"]
    search_fields = ["address", "client_address"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
