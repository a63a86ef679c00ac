from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinutesConfig(AppConfig):
    name = "minutes"
    verbose_name = _("Minutes")

    def ready(self) -> None:
        from minutes import privacy

        privacy.register()

        from core.record_locks import attendance_lock_register
        from minutes.selectors import attendance_frozen_reason

        # Approved minutes carry the recorded attendance: from then on it cannot change.
        attendance_lock_register(attendance_frozen_reason)
        from minutes.search import register

        register()  # minutes items and follow-up actions in the search (core.search)

        from minutes import due

        due.register()  # minutes due, comment windows, dispositions, actions (core.due)
