from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings and agendas")

    def ready(self) -> None:
        from core.sweep import sweep_step_register

        sweep_step_register("meetings.services.mark_held")
        sweep_step_register("meetings.services.remind_proposals")
        sweep_step_register("meetings.services.remind_agenda")
        sweep_step_register("meetings.services.alert_agenda_overdue")
        sweep_step_register("meetings.services.agenda_catch_up")
        sweep_step_register("meetings.attachments.attachment_text_catch_up")
        sweep_step_register("meetings.services.agenda_pack_catch_up")

        from core.cache_stamps import horizon_register
        from core.redaction import secret_path_register
        from meetings.selectors import public_changes_after

        # The personal feed's address is its only key: keep it out of every log line.
        secret_path_register(r"(/kalender/)[^/\s\"'?]+(\.ics)", r"\1…\2")

        from meetings import privacy

        privacy.register()
        # Cached public pages about meetings live no longer than the next start or the
        # next end of a grace period (core/cache_stamps.py).
        horizon_register("meetings", public_changes_after)
        horizon_register("meeting", public_changes_after)
        from meetings.search import register

        register()  # agenda items and proposals in the search (core.search)
        from meetings import contributions

        contributions.register()  # its parts of lower apps' pages (core/contributions.py)

        from meetings import due

        due.register()  # proposals closing, agendas due, proposals undecided (core.due)
