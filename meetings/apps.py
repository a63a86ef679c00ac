from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings and agendas")

    def ready(self) -> None:
        from core.redaction import secret_path_register

        # The personal feed's address is its only key: keep it out of every log line.
        secret_path_register(r"(/kalender/)[^/\s\"'?]+(\.ics)", r"\1…\2")

        from meetings.search import register

        register()  # agenda items and proposals in the search (core.search)
