"""What `agreements` adds to outputs of `meetings` (core/contributions.py): the text of
the standing agenda items on the agreement in force and on area-based initiatives."""

from django.conf import settings
from django.urls import reverse

from core.contributions import contribution_register
from core.labels import qualified, year_span


def _agenda_standing_text(forum, item) -> str:
    """Partnerskabsforum's required status item links the agreement in force;
    Borgmesterforum's standing item on area renewal links the register of initiatives."""
    from agreements.selectors import agreement_in_force, initiative_status_summary

    if forum.slug == "partnerskabsforum" and "hovedaftale" in item.title:
        agreement = agreement_in_force()
        if agreement:
            years = year_span(agreement.period_start, agreement.period_end)
            # The title often holds the period already ("Hovedaftale 2025–2028").
            url = f"{settings.SITE_URL}{agreement.get_absolute_url()}"
            return f"{qualified(agreement.title, years)}: {url}"
    if forum.slug == "borgmesterforum" and item.title.startswith("Områdefornyelse"):
        url = f"{settings.SITE_URL}{reverse('agreements:initiatives')}"
        return f"Registret over områdebaserede indsatser: {initiative_status_summary()}. {url}"
    return ""


def register() -> None:
    """Called from AgreementsConfig.ready()."""
    contribution_register("agenda_standing_text", _agenda_standing_text)
