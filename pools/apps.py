from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoolsConfig(AppConfig):
    name = "pools"
    verbose_name = _("Funding pools")

    def ready(self) -> None:
        from core.due import due_source_register
        from core.minutes_hooks import minutes_approved_register
        from pools.selectors import due_pools
        from pools.services import grants_finalise

        # A grant is final when the minutes that decided it are approved (issue 10 §1).
        minutes_approved_register("pools", grants_finalise)
        due_source_register("pools", due_pools)
