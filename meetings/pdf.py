"""The agenda PDF. The only module that imports WeasyPrint.

WeasyPrint gets a URL fetcher that serves the application's own static files and nothing
else: no file:// paths, no network."""

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_SCHEME = "static:"
MIME_TYPES = {
    ".css": "text/css",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".ttf": "font/ttf",
    ".woff2": "font/woff2",
    ".jpg": "image/jpeg",
}


class StaticOnlyFetcher(URLFetcher):
    """Serve `static:<path>` from the static files; refuse every other URL."""

    def __init__(self):
        super().__init__(allowed_protocols={"static"}, allow_redirects=False, fail_on_errors=False)

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if not url.startswith(STATIC_SCHEME):
            raise ValueError(
                f"PDF rendering may only load the application's static files, not {url!r}"
            )
        relative = urlsplit(url[len(STATIC_SCHEME) :]).path.lstrip("/")
        if not relative or ".." in Path(relative).parts:
            raise ValueError(f"Refused static path {relative!r}")
        found = finders.find(relative)
        if not found:
            raise ValueError(f"No static file {relative!r}")
        path = Path(found)
        content_type = MIME_TYPES.get(path.suffix, "application/octet-stream")
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def html_to_pdf(html: str) -> bytes:
    document = HTML(string=html, base_url=STATIC_SCHEME, url_fetcher=StaticOnlyFetcher())
    return document.write_pdf(pdf_tags=True)


def render_agenda_pdf(version, *, public: bool) -> bytes:
    """The agenda of one version; the public variant leaves out closed items."""
    from meetings.selectors import forum_people

    meeting = version.meeting
    items = version.public_items if public else version.items
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "meetings/pdf/agenda.html",
            {
                "version": version,
                "meeting": meeting,
                "forum": meeting.forum,
                "items": items,
                "members": forum_people(meeting.forum),
                "public": public,
            },
        )
    return html_to_pdf(html)
