"""The text of an attachment, for the search (issue 14 §2).

PDF through pypdf; DOCX through python-docx, XLSX through openpyxl (read-only, values
only), PPTX through python-pptx, ODT through odfpy. Images have no text here.

`extract_text_isolated` runs the parsers in a child process (`python -m
meetings.attachment_text CONTENT_TYPE MAX_CHARS`, the file on stdin, the text on stdout)
with a wall-time limit and a memory limit: a parser that loops, or a crafted file that
would take the worker's memory, ends the child, not the worker, and gives empty text plus
a log line. The upload was already checked by content (meetings.attachments: type, size,
zip-bomb bounds) before it was stored."""

import io
import logging
import os
import resource
import subprocess
import sys
from pathlib import Path

logger = logging.getLogger(__name__)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
MEMORY_LIMIT_BYTES = 1024 * 1024 * 1024  # the child's address space
PROJECT_DIR = Path(__file__).resolve().parent.parent  # where `-m meetings...` is found


def _pdf(data: bytes, max_chars: int) -> list[str]:
    from pypdf import PdfReader

    parts, size = [], 0
    for page in PdfReader(io.BytesIO(data)).pages:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size >= max_chars:
            break
    return parts


def _docx(data: bytes, max_chars: int) -> list[str]:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return parts


def _xlsx(data: bytes, max_chars: int) -> list[str]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    parts, size = [], 0
    try:
        for sheet in workbook.worksheets:
            parts.append(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                line = "\t".join(str(v) for v in row if v is not None)
                if line:
                    parts.append(line)
                    size += len(line)
                if size >= max_chars:
                    return parts
    finally:
        workbook.close()
    return parts


def _pptx(data: bytes, max_chars: int) -> list[str]:
    from pptx import Presentation

    parts = []
    for slide in Presentation(io.BytesIO(data)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
    return parts


def _odt(data: bytes, max_chars: int) -> list[str]:
    from odf import teletype, text
    from odf.opendocument import load

    document = load(io.BytesIO(data))
    return [
        teletype.extractText(element)
        for kind in (text.H, text.P)
        for element in document.getElementsByType(kind)
    ]


EXTRACTORS = {PDF: _pdf, DOCX: _docx, XLSX: _xlsx, PPTX: _pptx, ODT: _odt}


def extractable(content_type: str) -> bool:
    """Whether attachments of `content_type` (as meetings.attachments detected it) have text."""
    return content_type in EXTRACTORS


def extract_text(data: bytes, content_type: str, *, max_chars: int) -> str:
    """The text of a file of `content_type` (`data`: its bytes), whitespace-collapsed per
    line, at most `max_chars` characters; "" for a kind without text. Parser errors are
    raised: `extract_text_isolated` is the caller that turns them into a log line."""
    extractor = EXTRACTORS.get(content_type)
    if extractor is None:
        return ""
    lines = (" ".join(part.split()) for part in extractor(data, max_chars))
    return "\n".join(line for line in lines if line)[:max_chars]


def _limit_memory() -> None:  # in the child, before it runs
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))


def extract_text_isolated(
    data: bytes, content_type: str, *, max_chars: int, timeout: float, label: str = ""
) -> str:
    """extract_text in a child process with `timeout` seconds of wall time and
    MEMORY_LIMIT_BYTES of memory. Never raises: a broken or hostile file, a timeout or a
    crash gives "" and a warning naming `label` (the attachment)."""
    if not extractable(content_type) or not data:
        return ""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "meetings.attachment_text", content_type, str(max_chars)],
            input=data,
            capture_output=True,
            cwd=PROJECT_DIR,
            timeout=timeout,
            preexec_fn=_limit_memory,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
            check=False,
        )
    except subprocess.TimeoutExpired:
        logger.warning("No text from %s: extraction took over %s s", label, timeout)
        return ""
    except OSError as exc:
        logger.warning("No text from %s: could not start the extraction: %s", label, exc)
        return ""
    if done.returncode != 0:
        error = done.stderr.decode("utf-8", "replace").strip().splitlines()
        logger.warning(
            "No text from %s: extraction failed (exit %s): %s",
            label,
            done.returncode,
            error[-1] if error else "",
        )
        return ""
    return done.stdout.decode("utf-8", "replace")[:max_chars]


def main(argv: list[str]) -> int:
    content_type, max_chars = argv[0], int(argv[1])
    data = sys.stdin.buffer.read()
    sys.stdout.buffer.write(extract_text(data, content_type, max_chars=max_chars).encode())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
