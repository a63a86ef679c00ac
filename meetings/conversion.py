"""Attachments to PDF for the agenda pack: office files through LibreOffice in headless
mode, images through Pillow. No database here; meetings.services.attachment_pdf_convert
stores what these return, and the Celery task around it (meetings.tasks) adds soft and
hard time limits.

LibreOffice (Debian's `libreoffice-*-nogui`, installed by scripts/system-deps.sh) runs as
`soffice --headless --convert-to pdf` with a profile of its own in a fresh temporary folder
(`-env:UserInstallation`), so two conversions never share a profile or its lock file, in a
session of its own so that a timeout kills the whole process group, with a subprocess
timeout (settings.AGENDA_PACK_CONVERT_TIMEOUT_SECONDS) and an address-space limit
(RLIMIT_AS, settings.AGENDA_PACK_CONVERT_MEMORY_MB) set in the child before it starts."""

import contextlib
import io
import os
import resource
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

# MIME type (as meetings.attachments detects it) -> the extension LibreOffice reads by.
OFFICE = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
}
IMAGES = {"image/png", "image/jpeg"}
PDF = "application/pdf"
# An image larger than this many pixels is not decoded (Pillow's own bomb limit is 89 Mpx).
IMAGE_MAX_PIXELS = 60_000_000


class ConversionError(Exception):
    """The file could not be turned into a PDF; the message says why (for the log and the
    AttachmentPdf row, not for the reader)."""


def needs_conversion(content_type: str) -> bool:
    """Whether an attachment of this MIME type goes through convert_to_pdf (False for a PDF,
    which is merged as it is)."""
    return content_type in OFFICE or content_type in IMAGES


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise ConversionError(
            "LibreOffice (soffice) is not installed: scripts/system-deps.sh installs "
            "libreoffice-writer-nogui, libreoffice-calc-nogui and libreoffice-impress-nogui"
        )
    return found


def _limit_memory(megabytes: int):
    limit = megabytes * 1024 * 1024

    def apply() -> None:  # runs in the child between fork and exec
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


def _kill_group(process: subprocess.Popen) -> None:
    """Kill LibreOffice and whatever it started (its own session, start_new_session)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def office_to_pdf(
    data: bytes, extension: str, *, timeout: int | None = None, memory_mb: int | None = None
) -> bytes:
    """An office document's bytes (`extension`: docx, xlsx, pptx or odt) -> PDF bytes.

    `timeout` in seconds (default settings.AGENDA_PACK_CONVERT_TIMEOUT_SECONDS), `memory_mb`
    the child's address-space limit (default settings.AGENDA_PACK_CONVERT_MEMORY_MB).
    Raises ConversionError when LibreOffice is missing, fails, runs out of time or memory,
    or writes no PDF."""
    timeout = timeout or settings.AGENDA_PACK_CONVERT_TIMEOUT_SECONDS
    memory_mb = memory_mb or settings.AGENDA_PACK_CONVERT_MEMORY_MB
    with tempfile.TemporaryDirectory(prefix="pack-convert-") as folder:
        work = Path(folder)
        source = work / f"bilag.{extension}"
        source.write_bytes(data)
        command = [
            _soffice(),
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            cwd=work,
            env={**os.environ, "HOME": str(work)},
            preexec_fn=_limit_memory(memory_mb),
            start_new_session=True,
        )
        try:
            _out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            process.communicate()
            raise ConversionError(f"LibreOffice took longer than {timeout} s") from None
        finally:
            if process.poll() is None:  # the Celery soft limit interrupted us
                _kill_group(process)
                process.wait()
        result = work / "out" / "bilag.pdf"
        if process.returncode != 0 or not result.exists():
            tail = err.decode("utf-8", "replace").strip()[-300:]
            raise ConversionError(f"LibreOffice exited with {process.returncode}: {tail}")
        return result.read_bytes()


def image_to_pdf(data: bytes) -> bytes:
    """A PNG or JPEG image's bytes -> a one-page PDF (Pillow), at 150 dpi.
    Raises ConversionError for an unreadable image or one over IMAGE_MAX_PIXELS."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > IMAGE_MAX_PIXELS:
                raise ConversionError(f"image of {image.width}×{image.height} pixels is too large")
            output = io.BytesIO()
            image.convert("RGB").save(output, "PDF", resolution=150.0)
            return output.getvalue()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ConversionError(f"image could not be read: {exc}") from exc


def convert_to_pdf(data: bytes, content_type: str) -> bytes:
    """An attachment's bytes of `content_type` (see needs_conversion) -> PDF bytes.
    Raises ConversionError when that cannot be done."""
    if content_type in OFFICE:
        return office_to_pdf(data, OFFICE[content_type])
    if content_type in IMAGES:
        return image_to_pdf(data)
    raise ConversionError(f"no conversion for {content_type}")
