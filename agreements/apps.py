from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Agreements")

    def ready(self) -> None:
        from agreements.search import register

        register()  # the agreements, sub-agreements and initiatives in the search

        from agreements import due

        due.register()  # sub-agreements ending, the framework agreement's renewal (core.due)
