from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from core.sweep import sweep_step_register

        sweep_step_register("accounts.services.password_reset_requests_prune")

        from accounts.services import invitation_path, password_reset_path
        from core.redaction import secret_path_register
        from notifications.secrets import secret_provider_register

        # The links are made when the e-mail leaves, for the recipient only.
        secret_provider_register("invitation", invitation_path)
        secret_provider_register("password_reset", password_reset_path)
        # …and their uid/token never reaches a log line (Django logs failing paths).
        secret_path_register(
            r"(/(?:nulstil-adgangskode|invitation)/)[^/\s\"'?]+/[^/\s\"'?]+", r"\1…/…"
        )
        from django.contrib.auth.signals import user_logged_in

        from accounts import middleware  # noqa: F401  (connects the sign-in receiver)
        from accounts.signals import mark_second_step_pending

        user_logged_in.connect(mark_second_step_pending, dispatch_uid="second_step_pending")

        from accounts import privacy

        privacy.register()
