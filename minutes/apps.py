from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinutesConfig(AppConfig):
    name = "minutes"
    verbose_name = _("Minutes")

    def ready(self) -> None:
        from core.sweep import sweep_step_register

        sweep_step_register("minutes.services.remind_minutes_due")
        sweep_step_register("minutes.services.alert_minutes_overdue")
        sweep_step_register("minutes.services.remind_comment_window")
        sweep_step_register("minutes.services.approve_due")
        sweep_step_register("minutes.services.versions_catch_up")

        from minutes import privacy

        privacy.register()

        from core.record_locks import attendance_lock_register
        from minutes.selectors import attendance_frozen_reason

        # Approved minutes carry the recorded attendance: from then on it cannot change.
        attendance_lock_register(attendance_frozen_reason)
        from minutes.search import register

        register()  # minutes items and follow-up actions in the search (core.search)
        from minutes import contributions

        contributions.register()  # its parts of lower apps' pages (core/contributions.py)

        from minutes import due

        due.register()  # minutes due, comment windows, dispositions, actions (core.due)
