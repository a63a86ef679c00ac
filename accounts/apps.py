from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts.signals import mark_second_step_pending

        user_logged_in.connect(mark_second_step_pending, dispatch_uid="second_step_pending")
