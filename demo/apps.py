from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data of `make run` (`manage.py seed_demo`): at the top of the import order,
    so it may use every app's services."""

    name = "demo"
    verbose_name = _("Demo data")
