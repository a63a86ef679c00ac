from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Agreements")

    def ready(self) -> None:
        from agreements.search import register

        register()  # the agreements, sub-agreements and initiatives in the search
        from agreements.selectors import negotiated_minutes_extras
        from core.minutes_hooks import minutes_extras_register

        # The negotiated agreement goes out with Partnerskabsforum's minutes (issue 10 §4).
        minutes_extras_register("agreements", negotiated_minutes_extras)
