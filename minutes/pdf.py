"""The minutes PDF: a draft mark on versions sent for comments, "Endeligt godkendt <date>"
on the final one, and the errata. Rendering goes through meetings.pdf's locked-down
WeasyPrint setup."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from meetings.pdf import html_to_pdf


def render_minutes_pdf(version, *, public: bool, errata=None, attendance=None) -> bytes:
    """The PDF of `version` (bytes). `attendance` (dicts as in the snapshot) replaces the
    version's own list: a draft prints the attendance recorded after it was sent."""
    minutes = version.minutes
    meeting = minutes.meeting
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "minutes/pdf/minutes.html",
            {
                "version": version,
                "minutes": minutes,
                "meeting": meeting,
                "forum": meeting.forum,
                "items": version.public_items if public else version.items,
                "errata": errata if errata is not None else list(minutes.errata.all()),
                "public": public,
                "attendance": version.snapshot.get("attendance", [])
                if attendance is None
                else attendance,
            },
        )
    return html_to_pdf(html)
