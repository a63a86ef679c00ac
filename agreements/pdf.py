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


def render_negotiated_pdf(agreement, snapshot: dict) -> bytes:
    """The agreement's text as Partnerskabsforum negotiated it (no version yet: version 1
    is frozen when both approvals are recorded), for the minutes of that meeting."""
    from django.utils import timezone

    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "agreements/pdf/agreement.html",
            {
                "version": None,
                "agreement": agreement,
                "snapshot": snapshot,
                "negotiated_on": timezone.localdate(agreement.negotiated_at.starts_at),
            },
        )
    return html_to_pdf(html)
