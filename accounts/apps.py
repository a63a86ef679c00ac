from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from accounts.services import invitation_path, password_reset_path
        from notifications.secrets import secret_provider_register

        secret_provider_register("invitation", invitation_path)
        secret_provider_register("password_reset", password_reset_path)
