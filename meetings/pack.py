"""The agenda pack: one PDF per agenda version with the agenda followed by every attachment
in item order, a bookmark per item and per attachment, and page numbers (issue 9 §4).

This module only assembles PDFs (pypdf); it reads and writes no database.
meetings.services.agenda_pack_build gathers the parts (the agenda rendered by
meetings.pdf without its own page numbers, each attachment's PDF from the conversion
cache) and stores what `compose_pack` returns.

Page numbers: the agenda part is rendered without WeasyPrint's margin numbers, and every
page of the merged pack is stamped »Side N af M« (N, M over the whole pack) in its bottom
right corner in Helvetica, one of the 14 standard fonts, so nothing is embedded and text
extraction reads it. A page with /Rotate has its rotation moved into its content first,
so the number stands upright at the bottom of the page as it is shown."""

import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import (
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)

STAMP_FONT = "/FPackNo"
STAMP_SIZE = 8  # points
STAMP_MARGIN = 18  # points from the right and bottom edges of the visible page


@dataclass
class PackAttachment:
    """One attachment's place in the pack: its name, its PDF (None when it could not be
    converted) and the absolute URL of the original file, which the note page gives."""

    name: str
    pdf: bytes | None
    url: str


@dataclass
class PackItem:
    """An agenda item as its bookmark shows it, with its attachments in order."""

    position: int
    title: str
    attachments: list[PackAttachment] = field(default_factory=list)


def _readable(data: bytes) -> PdfReader:
    """A reader for `data` whose every page can be opened; raises PyPdfError or ValueError
    (or another parser error) for a broken or password-protected PDF."""
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise PyPdfError("password-protected PDF")
    for page in reader.pages:
        page.mediabox  # noqa: B018 — touches every page tree entry now, not mid-merge
    return reader


def _append_attachment(
    writer: PdfWriter, attachment: PackAttachment, note_pdf: Callable[[PackAttachment], bytes]
) -> None:
    reader = None
    if attachment.pdf is not None:
        try:
            reader = _readable(attachment.pdf)
        except Exception:  # a PDF pypdf cannot read is listed like a failed conversion
            reader = None
    if reader is None:
        reader = PdfReader(io.BytesIO(note_pdf(attachment)))
    writer.append(reader, import_outline=False)


def _stamp_stream(text: str, page: PageObject) -> bytes:
    box = page.mediabox
    x = float(box.right) - STAMP_MARGIN - len(text) * STAMP_SIZE * 0.5
    y = float(box.bottom) + STAMP_MARGIN - STAMP_SIZE
    literal = text.encode("cp1252", "replace").replace(b"\\", b"\\\\")
    literal = literal.replace(b"(", b"\\(").replace(b")", b"\\)")
    return b"q 0.27 g BT %s %d Tf %.2f %.2f Td (%s) Tj ET Q" % (
        STAMP_FONT.encode(),
        STAMP_SIZE,
        x,
        y,
        literal,
    )


def _font() -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )


def stamp_page_numbers(writer: PdfWriter) -> None:
    """Stamp »Side N af M« (N = 1…M over the whole document) on every page of `writer`."""
    total = len(writer.pages)
    for number, page in enumerate(writer.pages, start=1):
        if page.rotation:
            page.transfer_rotation_to_content()
        overlay = PageObject.create_blank_page(
            width=float(page.mediabox.width), height=float(page.mediabox.height)
        )
        overlay.mediabox = page.mediabox
        overlay[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject(STAMP_FONT): _font()})}
        )
        stream = DecodedStreamObject()
        text = _("Page %(number)s of %(count)s") % {"number": number, "count": total}
        stream.set_data(_stamp_stream(text, page))
        overlay[NameObject("/Contents")] = writer._add_object(stream)
        page.merge_page(overlay)


def compose_pack(
    *,
    agenda_pdf: bytes,
    item_pages: dict[int, int],
    items: list[PackItem],
    note_pdf: Callable[[PackAttachment], bytes],
    title: str,
) -> bytes:
    """The pack as PDF bytes.

    1. the agenda (`agenda_pdf`, without page numbers of its own; its own bookmarks are
       dropped);
    2. each item's attachments in order: the PDF as it is, or, for one without a PDF or
       whose PDF cannot be read, the page `note_pdf(attachment)` renders;
    3. bookmarks: »Dagsorden«, then per item »Punkt N: title« at its page in the agenda
       (`item_pages`: position -> 0-based page index), with one child per attachment at its
       first page;
    4. »Side N af M« on every page (stamp_page_numbers); the viewer opens with the
       bookmarks shown, titled `title`."""
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(agenda_pdf)), import_outline=False)
    starts: list[tuple[PackItem, list[int]]] = []
    for item in items:
        pages = []
        for attachment in item.attachments:
            pages.append(len(writer.pages))
            _append_attachment(writer, attachment, note_pdf)
        starts.append((item, pages))
    writer.add_outline_item(title=_("Agenda"), page_number=0)
    for item, pages in starts:
        parent = writer.add_outline_item(
            title=item.title, page_number=item_pages.get(item.position, 0)
        )
        for attachment, page in zip(item.attachments, pages, strict=True):
            writer.add_outline_item(
                title=_("Attachment: %(name)s") % {"name": attachment.name},
                page_number=page,
                parent=parent,
            )
    stamp_page_numbers(writer)
    # The pack keeps what a reader needs to know about the whole (ISO 32000 §14.9.2 /Lang,
    # the title shown in place of the file name); the attachments' own structure trees are
    # not merged into one (pypdf cannot), so the pack is not PDF/UA — the agenda PDF is.
    writer.add_metadata({"/Title": title, "/Author": "Fællesindgang", "/Creator": "Fællesindgang"})
    writer._root_object[NameObject("/Lang")] = TextStringObject("da")
    writer._root_object[NameObject("/ViewerPreferences")] = DictionaryObject(
        {NameObject("/DisplayDocTitle"): BooleanObject(True)}
    )
    writer.page_mode = "/UseOutlines"
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
