from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialogueConfig(AppConfig):
    name = "dialogue"
    verbose_name = _("Steering dialogue")

    def ready(self) -> None:
        from core.due import due_source_register
        from dialogue.selectors import due_dialogue

        # Dialogue meetings coming and follow-ups falling due, for the cockpit (core/due.py).
        due_source_register("dialogue", due_dialogue)
