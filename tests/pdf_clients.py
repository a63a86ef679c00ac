"""The PDF readers the output tests use: two independent text extractors (pypdf and
pdfminer.six), pdfminer's glyph boxes for geometry, and pikepdf for structure."""

import io
from dataclasses import dataclass

import pikepdf
from pdfminer.high_level import extract_pages
from pdfminer.high_level import extract_text as pdfminer_extract_text
from pdfminer.layout import LTChar, LTPage
from pypdf import PdfReader


def text_by_pypdf(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def text_by_pdfminer(pdf: bytes) -> str:
    return pdfminer_extract_text(io.BytesIO(pdf))


EXTRACTORS = {"pypdf": text_by_pypdf, "pdfminer": text_by_pdfminer}


def squash(text: str) -> str:
    """Whitespace removed: a line break a reader inserts is not part of the written text."""
    return "".join(text.split())


@dataclass(frozen=True)
class Glyph:
    text: str
    page: int
    x0: float
    x1: float
    y0: float
    y1: float


def glyphs(pdf: bytes) -> tuple[list[Glyph], list[tuple[float, float]]]:
    """Every drawn character with its box in PDF points (origin bottom left), and each
    page's (width, height)."""
    found: list[Glyph] = []
    sizes: list[tuple[float, float]] = []

    def walk(node, page):
        if isinstance(node, LTChar):
            found.append(Glyph(node.get_text(), page, node.x0, node.x1, node.y0, node.y1))
        elif hasattr(node, "__iter__"):
            for child in node:
                walk(child, page)

    for number, page in enumerate(extract_pages(io.BytesIO(pdf))):
        assert isinstance(page, LTPage)
        sizes.append((page.width, page.height))
        walk(page, number)
    return found, sizes


def open_pdf(pdf: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(pdf))


def structure_elements(document: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """The structure elements under StructTreeRoot, in reading (depth-first) order."""
    found: list[pikepdf.Dictionary] = []

    def walk(node):
        kids = node.get("/K")
        if kids is None:
            return
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                found.append(kid)
                walk(kid)

    walk(document.Root.StructTreeRoot)
    return found


def marked_content(document: pikepdf.Pdf, page_index: int) -> tuple[set[int], int]:
    """The MCIDs a page's content stream marks, and how many artifact sequences on it
    draw text (a page number, a running header)."""
    mcids: set[int] = set()
    text_artifacts = 0
    stack: list[list] = []  # per open sequence: [is_artifact, draws_text]
    for operands, operator in pikepdf.parse_content_stream(document.pages[page_index]):
        op = str(operator)
        if op in ("BMC", "BDC"):
            properties = operands[1] if op == "BDC" else None
            if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
                mcids.add(int(properties.MCID))
            stack.append([operands[0] == pikepdf.Name.Artifact, False])
        elif op in ("Tj", "TJ", "'", '"') and stack:
            stack[-1][1] = True
        elif op == "EMC":
            is_artifact, draws_text = stack.pop()
            text_artifacts += is_artifact and draws_text
    return mcids, text_artifacts
