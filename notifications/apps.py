from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from core.sweep import sweep_step_register

        # Sends what the rules queued in the same sweep, so it runs after every other step.
        sweep_step_register("notifications.services.outbox_sweep", last=True)

        from notifications import privacy

        privacy.register()

        from core.metrics import metric_register
        from notifications.metrics import failed_count, outbox_backlog_age, outbox_counts

        metric_register(
            "outbox_messages", "E-mails in the outbox by status", outbox_counts, labels=("status",)
        )
        metric_register(
            "outbox_oldest_waiting_seconds",
            "Age of the oldest e-mail still waiting",
            outbox_backlog_age,
        )
        metric_register("outbox_failed", "E-mails that failed for good", failed_count)

        from notifications import due

        due.register()  # e-mails failed or waiting (core.due)
