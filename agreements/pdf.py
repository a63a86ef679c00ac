"""The PDF of an agreement version, through meetings.pdf's locked-down WeasyPrint setup."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from meetings.pdf import html_to_pdf


def render_agreement_pdf(version) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "agreements/pdf/agreement.html",
            {"version": version, "agreement": version.agreement, "snapshot": version.snapshot},
        )
    return html_to_pdf(html)
