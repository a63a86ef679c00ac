from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _year_wheel(year: int) -> dict | None:
    """The year's steering-dialogue round as a section of the year wheel (issue 10 §2)."""
    from dialogue.selectors import year_round

    found = year_round(year)
    if found is None:
        return None
    return {"template": "dialogue/fragment_year_wheel.html", "round": found}


class DialogueConfig(AppConfig):
    name = "dialogue"
    verbose_name = _("Steering dialogue")

    def ready(self) -> None:
        from core.due import due_source_register
        from dialogue.selectors import due_dialogue

        # Dialogue meetings coming and follow-ups falling due, for the cockpit (core/due.py).
        due_source_register("dialogue", due_dialogue)
        from core.contributions import contribution_register

        # The year's round shows in the year wheel (core/contributions.py, "year_wheel").
        contribution_register("year_wheel", _year_wheel)
