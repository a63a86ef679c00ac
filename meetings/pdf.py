"""The agenda PDF, and the WeasyPrint setup every PDF of the project goes through
(`html_to_pdf`). The only module that imports WeasyPrint.

WeasyPrint gets a URL fetcher that serves the application's own static files and nothing
else: no file:// paths, no network. Every PDF is written as PDF/UA-1 as far as WeasyPrint
allows (ISO 14289-1): tagged, with the PDF/UA identifier, title and language in its XMP
metadata, and the page margin boxes (page numbers, the draft mark) as artifacts."""

from pathlib import Path
from urllib.parse import urlsplit
from xml.etree.ElementTree import SubElement, fromstring, tostring

import pydyf
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.document import DocumentMetadata
from weasyprint.pdf.metadata import NS
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


class _UAMetadata(DocumentMetadata):
    """WeasyPrint's XMP metadata plus `dc:language`, which PDF/UA checkers look for beside
    the catalogue's /Lang (WeasyPrint writes only the latter)."""

    def generate_rdf_metadata(self, variant, version, conformance) -> bytes:
        rdf = fromstring(super().generate_rdf_metadata(variant, version, conformance))
        if self.lang:
            description = SubElement(rdf, f"{{{NS['rdf']}}}Description")
            description.attrib[f"{{{NS['rdf']}}}about"] = ""
            bag = SubElement(
                SubElement(description, f"{{{NS['dc']}}}language"), f"{{{NS['rdf']}}}Bag"
            )
            SubElement(bag, f"{{{NS['rdf']}}}li").text = self.lang
        return tostring(rdf, encoding="utf-8")


def _reference_number(reference) -> int:
    """The object number of a pydyf reference, b"12 0 R"."""
    return int(bytes(reference).split()[0])


def _reachable_structure(pdf: pydyf.PDF) -> set[int]:
    """Numbers of the structure elements that hang in the tree under StructTreeRoot."""
    root = pdf.objects[_reference_number(pdf.catalog["StructTreeRoot"])]
    seen: set[int] = set()
    todo = [_reference_number(kid) for kid in root["K"]]
    while todo:
        number = todo.pop()
        if number in seen:
            continue
        seen.add(number)
        element = pdf.objects[number]
        if isinstance(element, dict) and element.get("Type") == "/StructElem":
            todo.extend(_reference_number(kid) for kid in element["K"] if isinstance(kid, bytes))
    return seen


def mark_margin_boxes_as_artifacts(document, pdf: pydyf.PDF) -> None:
    """WeasyPrint finisher: turn the page margin boxes' content into artifacts.

    WeasyPrint tags the text of `@page` margin boxes (page numbers, running elements such as
    the draft mark) as marked content whose structure elements it leaves outside the
    structure tree (PDF 1.7 has no Artifact structure element). PDF/UA-1 (ISO 14289-1,
    7.1) wants such pagination artifacts as `/Artifact` marked content instead:
    1. find the structure elements reachable from StructTreeRoot;
    2. every page's marked-content id (MCID) whose element is not reachable is an orphan;
    3. in the page's content stream its `/Tag <</MCID n>> BDC` becomes `/Artifact BMC`,
       and its entry in the ParentTree becomes null.
    Does nothing for an untagged PDF."""
    if "StructTreeRoot" not in pdf.catalog:
        return
    reachable = _reachable_structure(pdf)
    root = pdf.objects[_reference_number(pdf.catalog["StructTreeRoot"])]
    nums = pdf.objects[_reference_number(root["ParentTree"])]["Nums"]
    page_numbers = list(pdf.pages["Kids"][::3])
    for index in range(0, len(nums), 2):
        key, value = nums[index], nums[index + 1]
        if not isinstance(value, pydyf.Array) or key >= len(page_numbers):
            continue  # an annotation's entry, not a page's MCID array
        orphans = {
            mcid
            for mcid, reference in enumerate(value)
            if _reference_number(reference) not in reachable
        }
        if not orphans:
            continue
        for mcid in orphans:
            value[mcid] = b"null"
        page = pdf.objects[page_numbers[key]]
        _artifacts_in_stream(pdf.objects[_reference_number(page["Contents"])], orphans)


def _artifacts_in_stream(stream: pydyf.Stream, orphans: set[int]) -> None:
    operations = stream.stream
    for position, operation in enumerate(operations):
        if (
            operation == b"BDC"
            and isinstance(operations[position - 1], dict)
            and operations[position - 1].get("MCID") in orphans
        ):
            operations[position - 2 : position + 1] = ["/Artifact", b"BMC", b""]
    stream.stream = [operation for operation in operations if operation != b""]


def html_to_pdf(html: str) -> bytes:
    """HTML (with `static:` URLs only) -> PDF bytes, PDF/UA-1 as far as WeasyPrint allows.

    Raises ValueError (through WeasyPrint) for any URL that is not an existing static file."""
    return _write(_render(html))


def _render(html: str):
    return HTML(string=html, base_url=STATIC_SCHEME, url_fetcher=StaticOnlyFetcher()).render()


def _write(document) -> bytes:
    document.metadata = _UAMetadata(**vars(document.metadata))
    return document.write_pdf(pdf_variant="pdf/ua-1", finisher=mark_margin_boxes_as_artifacts)


def _agenda_html(version, *, public: bool, pack: bool = False) -> str:
    from meetings.selectors import forum_people

    meeting = version.meeting
    items = version.public_items if public else version.items
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "meetings/pdf/agenda.html",
            {
                "version": version,
                "meeting": meeting,
                "forum": meeting.forum,
                "items": items,
                "members": forum_people(meeting.forum),
                "public": public,
                "pack": pack,
                # No »Bilagsliste« heading with nothing under it (issue 13).
                "has_attachments": any(item.get("attachments") for item in items),
            },
        )


def render_agenda_pdf(version, *, public: bool) -> bytes:
    """The agenda of one version; the public variant leaves out closed items."""
    return html_to_pdf(_agenda_html(version, public=public))


def render_agenda_pack_part(version, *, public: bool) -> tuple[bytes, dict[int, int]]:
    """The agenda as the first part of the agenda pack (meetings/pack.py): as
    render_agenda_pdf, without page numbers (the pack numbers all its pages), and the
    0-based page on which each item starts, {position: page index}, read from the
    anchors `item-<position>` of the rendered pages."""
    document = _render(_agenda_html(version, public=public, pack=True))
    pages: dict[int, int] = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor.startswith("item-"):
                pages.setdefault(int(anchor.removeprefix("item-")), index)
    return _write(document), pages


def render_pack_note(*, name: str, url: str) -> bytes:
    """The page the agenda pack shows in place of an attachment that could not be converted
    to PDF: its name and where to download the original (`url`, absolute)."""
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("meetings/pdf/pack_note.html", {"name": name, "url": url})
    return html_to_pdf(html)


def render_year_wheel_pdf(wheel) -> bytes:
    """The year wheel (meetings.yearwheel.YearWheel) on A4 landscape pages, tagged, no
    hyphenation (agenda-pdf.css, year-wheel-pdf.css)."""
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("meetings/pdf/year_wheel.html", {"wheel": wheel})
    return html_to_pdf(html)
