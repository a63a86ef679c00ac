from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Fællesindgang"

    def ready(self) -> None:
        from core.sweep import sweep_step_register

        sweep_step_register("core.submission.submission_keys_prune")
        sweep_step_register("core.audit.audit_entries_prune")

        # Every app's sitemaps.py registers its public pages (core.sitemaps).
        autodiscover_modules("sitemaps")

        from core.audit import audit_personal_data
        from core.personal_data import personal_data_register

        personal_data_register("audit", export=audit_personal_data)

        from core.metrics import metrics_install, register_core_metrics

        register_core_metrics()
        metrics_install()
