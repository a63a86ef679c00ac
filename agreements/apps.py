from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Agreements")

    def ready(self) -> None:
        from core.sweep import sweep_step_register

        sweep_step_register("agreements.services.expire_agreements")
        sweep_step_register("agreements.services.remind_renewal")
        sweep_step_register("agreements.services.remind_sub_agreement_expiry")
        sweep_step_register("agreements.services.versions_catch_up")

        from agreements.search import register

        register()  # the agreements, sub-agreements and initiatives in the search
        from agreements import contributions

        contributions.register()  # its parts of lower apps' pages (core/contributions.py)

        from agreements import due

        due.register()  # sub-agreements ending, the framework agreement's renewal (core.due)
        from agreements.selectors import negotiated_minutes_extras
        from core.minutes_hooks import minutes_extras_register

        # The negotiated agreement goes out with Partnerskabsforum's minutes (issue 10 §4).
        minutes_extras_register("agreements", negotiated_minutes_extras)
