"""Attachments ("bilag"): the type is read from the content, never from the name.

The first bytes go to libmagic (python-magic); an office file (a ZIP archive) is then judged
by its central directory alone: entry count, declared sizes and compression ratios are
bounded before anything is inflated, and of all its contents only the ODF `mimetype` entry is
read, at most MIMETYPE_READ bytes of it. So a 1 MB "document" that would unpack to 1 GB costs
the web process the size of its directory, not the gigabyte."""

import logging
import struct
import zipfile
from datetime import datetime, timedelta

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from core.queue import queue_after_commit, send_task
from meetings.attachment_text import extract_text_isolated, extractable
from meetings.models import AgendaItem, Attachment, Proposal

logger = logging.getLogger(__name__)

MAX_SIZE = 20 * 1024 * 1024
MB = 1024 * 1024
HEAD_BYTES = 2048  # what libmagic sees
MIMETYPE_READ = 256  # the ODF mimetype entry is ~40 bytes
RATIO_MIN_SIZE = MB  # small entries (a few KB of repeated XML) may compress hard legitimately

# Types libmagic names from the first bytes, accepted as they are.
DIRECT = {
    "application/pdf": ("application/pdf", "pdf"),
    "image/png": ("image/png", "png"),
    "image/jpeg": ("image/jpeg", "jpg"),
}
# The Office Open XML formats are ZIP files whose first part names their kind.
OOXML = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
}
ODT = "application/vnd.oasis.opendocument.text"
# What libmagic may call a ZIP-based office file from its first bytes.
ARCHIVES = {"application/zip", "application/x-zip-compressed", ODT} | {
    kind for kind, _ext in OOXML.values()
}
ALLOWED_LABEL = "PDF, DOCX, XLSX, PPTX, ODT, PNG, JPEG"

EOCD = b"PK\x05\x06"  # end of central directory record (APPNOTE.TXT 4.3.16)
EOCD_SIZE = 22
EOCD_SEARCH = EOCD_SIZE + 0xFFFF  # the record, after a comment of at most 64 KB
CD_ENTRY_MAX_BYTES = 512  # a directory entry: 46 bytes + name + extra; office names are short


def _refused(message: str, upload: UploadedFile, **params) -> ValidationError:
    return ValidationError(message % {"name": upload.name, **params}, code="archive")


def _declared_directory(upload: UploadedFile) -> tuple[int, int] | None:
    """(entry count, central directory size in bytes) as the end-of-central-directory record
    declares them (APPNOTE 4.3.16), read from the last 64 KB before zipfile builds one object
    per entry; None when there is no such record."""
    upload.seek(max(0, upload.size - EOCD_SEARCH))
    tail = upload.read(EOCD_SEARCH)
    at = tail.rfind(EOCD)
    if at < 0 or len(tail) - at < EOCD_SIZE:
        return None
    fields = struct.unpack("<4s4H2LH", tail[at : at + EOCD_SIZE])
    return fields[4], fields[5]


def _check_entry_count(upload: UploadedFile, count: int) -> None:
    if count > settings.ATTACHMENTS_ARCHIVE_MAX_ENTRIES:
        raise _refused(
            _("“%(name)s” holds %(count)d parts; a file may hold at most %(max)d."),
            upload,
            count=count,
            max=settings.ATTACHMENTS_ARCHIVE_MAX_ENTRIES,
        )


def check_archive(upload: UploadedFile, infos: list[zipfile.ZipInfo]) -> None:
    """Raise a ValidationError in Danish when the central directory declares an absurd archive:
    more than ATTACHMENTS_ARCHIVE_MAX_ENTRIES entries, more than
    ATTACHMENTS_ARCHIVE_MAX_UNCOMPRESSED_MB in all, or a compression ratio over
    ATTACHMENTS_ARCHIVE_MAX_RATIO for the whole archive (declared sizes / the upload's size)
    or for an entry over 1 MB (file_size / compress_size) (OWASP: zip bombs).
    Only the ZipInfo sizes are read; nothing is inflated."""
    max_total = settings.ATTACHMENTS_ARCHIVE_MAX_UNCOMPRESSED_MB * MB
    max_ratio = settings.ATTACHMENTS_ARCHIVE_MAX_RATIO
    _check_entry_count(upload, len(infos))
    total = sum(info.file_size for info in infos)
    if total > max_total:
        raise _refused(
            _("“%(name)s” would unpack to %(size)s; a file may unpack to at most %(max)s."),
            upload,
            size=filesizeformat(total),
            max=filesizeformat(max_total),
        )
    overall = total / max(upload.size or 0, 1)
    if total > RATIO_MIN_SIZE and overall > max_ratio:  # many entries just under 1 MB each
        raise _refused(
            _(
                "“%(name)s” is compressed %(ratio)d times in all (at most %(max)d is accepted) "
                "and looks like a zip bomb. Save the document again and upload the new copy."
            ),
            upload,
            ratio=overall,
            max=max_ratio,
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_MIN_SIZE and ratio > max_ratio:
            raise _refused(
                _(
                    "“%(name)s” is compressed %(ratio)d times (at most %(max)d is accepted) "
                    "and looks like a zip bomb. Save the document again and upload the new copy."
                ),
                upload,
                ratio=ratio,
                max=max_ratio,
            )


def _is_odt(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    if info.file_size > MIMETYPE_READ:
        return False
    with archive.open(info) as entry:
        return entry.read(MIMETYPE_READ).strip() == ODT.encode()


def _archive_kind(upload: UploadedFile) -> tuple[str, str] | None:
    """Judge a ZIP-based office file by its directory; raise a ValidationError for a bomb."""
    declared = _declared_directory(upload)
    if declared is None:
        return None
    entries, directory_size = declared
    # The smallest directory entry is 46 bytes: a directory larger than the entry limit allows
    # would become that many ZipInfo objects in memory, whatever count the record declares.
    _check_entry_count(upload, max(entries, directory_size // CD_ENTRY_MAX_BYTES))
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            check_archive(upload, infos)
            by_name = {info.filename: info for info in infos}
            if "mimetype" in by_name and _is_odt(archive, by_name["mimetype"]):
                return ODT, "odt"
            if "[Content_Types].xml" in by_name:
                for prefix, kind in OOXML.items():
                    if any(name.startswith(prefix) for name in by_name):
                        return kind
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError):
        return None
    finally:
        upload.seek(0)
    return None


def detect_type(upload: UploadedFile) -> tuple[str, str] | None:
    """(MIME type, extension) the content shows, or None when it is not an allowed kind.

    libmagic reads the first HEAD_BYTES; an archive is judged by its central directory
    (see check_archive, which may raise a ValidationError for an absurd one)."""
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    if not head:
        return None
    found = magic.from_buffer(head, mime=True)
    if found in DIRECT:
        return DIRECT[found]
    # libmagic names a ZIP-based office file only when its first entries are in the usual
    # order; whatever it says, a ZIP is judged by its directory.
    if found in ARCHIVES or head.startswith(b"PK\x03\x04"):
        return _archive_kind(upload)
    return None


def validate_upload(upload: UploadedFile) -> tuple[str, str]:
    """Raise a ValidationError in Danish for a file that is too large or of a kind we do
    not accept; return its MIME type and extension otherwise."""
    if upload.size > MAX_SIZE:
        raise ValidationError(
            _("“%(name)s” is %(size)s; an attachment may be at most 20 MB.")
            % {"name": upload.name, "size": filesizeformat(upload.size)}
        )
    kind = detect_type(upload)
    if kind is None:
        raise ValidationError(
            _("“%(name)s” is not a file type we accept. Accepted types: %(types)s.")
            % {"name": upload.name, "types": ALLOWED_LABEL}
        )
    return kind


def check_limits(uploads, *, existing_count: int = 0, existing_size: int = 0) -> None:
    """Raise a ValidationError in Danish when `uploads` (files with a .size in bytes), added to
    what a proposal or agenda item already holds, make more than ATTACHMENTS_MAX_FILES files
    or more than ATTACHMENTS_MAX_TOTAL_MB in all."""
    max_files = settings.ATTACHMENTS_MAX_FILES
    max_total = settings.ATTACHMENTS_MAX_TOTAL_MB * MB
    count = existing_count + len(uploads)
    if count > max_files:
        raise ValidationError(
            _(
                "That makes %(count)d attachments; at most %(max)d are allowed "
                "(%(existing)d already attached)."
            )
            % {"count": count, "max": max_files, "existing": existing_count},
            code="too_many",
        )
    total = existing_size + sum(upload.size for upload in uploads)
    if total > max_total:
        raise ValidationError(
            _(
                "That makes %(size)s of attachments; at most %(max)s in all are allowed "
                "(%(existing)s already attached)."
            )
            % {
                "size": filesizeformat(total),
                "max": filesizeformat(max_total),
                "existing": filesizeformat(existing_size),
            },
            code="too_large",
        )


def attachments_check(
    *, uploads, proposal: Proposal | None = None, item: AgendaItem | None = None
) -> None:
    """check_limits for `uploads` added to what the proposal or agenda item (saved or not)
    already holds. Raises ValidationError({"files": ...}), for the form's files field."""
    owner = proposal if proposal is not None else item
    held = {"count": 0, "size": 0}
    if owner is not None and owner.pk is not None:
        owned = {"proposal": proposal} if proposal is not None else {"item": item}
        held = Attachment.objects.filter(**owned).aggregate(count=Count("pk"), size=Sum("size"))
    try:
        check_limits(uploads, existing_count=held["count"], existing_size=held["size"] or 0)
    except ValidationError as exc:
        raise ValidationError({"files": exc.error_list}) from None


def attachments_store(
    *, uploads, user, proposal: Proposal | None = None, item: AgendaItem | None = None
) -> list[Attachment]:
    """Store `uploads` on a proposal or an agenda item, all or none (attachments_check
    first, so nothing is written when the limits are exceeded)."""
    uploads = list(uploads)
    if not uploads:
        return []
    attachments_check(uploads=uploads, proposal=proposal, item=item)
    owner = {"proposal": proposal} if proposal is not None else {"item": item}
    return [attachment_store(upload=upload, user=user, **owner) for upload in uploads]


def clean_name(name: str, extension: str) -> str:
    """The name people see: the uploaded file's own name as they wrote it (spaces, Danish
    letters), without any folder part or control characters, ending in the extension its
    content was recognised as; at most 200 characters. The stored file gets a safe name of
    its own (`storage_name`)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem = "".join(ch for ch in base if ch.isprintable()).strip().strip(".") or "bilag"
    if not stem.lower().endswith(f".{extension}") and not (
        extension == "jpg" and stem.lower().endswith(".jpeg")
    ):
        stem = f"{stem.rsplit('.', 1)[0]}.{extension}"
    if len(stem) > 200:
        head, _dot, ext = stem.rpartition(".")
        stem = f"{head[: 199 - len(ext)]}.{ext}"
    return stem


def storage_name(name: str) -> str:
    """A file-system- and URL-safe name for the stored file (Django's get_valid_filename)."""
    return get_valid_filename(name) or "bilag"


def attachment_store(
    *, upload: UploadedFile, user, proposal: Proposal | None = None, item: AgendaItem | None = None
) -> Attachment:
    content_type, extension = validate_upload(upload)
    name = clean_name(upload.name, extension)
    owned = {"item": item} if item is not None else {"proposal": proposal}
    last = Attachment.objects.filter(**owned).aggregate(last=Max("position"))["last"] or 0
    attachment = Attachment(
        name=name,
        content_type=content_type,
        size=upload.size,
        proposal=proposal,
        item=item,
        position=last + 1,
        uploaded_by=user if user and user.is_authenticated else None,
    )
    attachment.file.save(storage_name(name), upload, save=False)
    attachment.save()
    attachment_text_queue(attachment)
    return attachment


def attachment_text_queue(attachment: Attachment) -> None:
    """After the transaction commits, read the attachment's text for the search
    (meetings.tasks.extract_attachment_text), if its kind has text and its file has not
    been read already."""
    from meetings.tasks import extract_attachment_text

    if extractable(attachment.content_type) and attachment.text_of != attachment.file.name:
        queue_after_commit(extract_attachment_text, attachment.pk)


# A fresh upload's own task is given this long before the sweep queues it again.
TEXT_CATCH_UP_AFTER = timedelta(minutes=10)
TEXT_CATCH_UP_BATCH = 100


def attachment_text_catch_up(*, now: datetime) -> dict[str, int]:
    """Sweep step: queue the text extraction again for attachments never read
    (`text_of` empty) that were uploaded more than TEXT_CATCH_UP_AFTER ago — their task
    was lost with the broker — at most TEXT_CATCH_UP_BATCH per sweep. The task itself is
    idempotent, so a task that was merely slow does no harm."""
    from meetings.attachment_text import EXTRACTORS
    from meetings.tasks import extract_attachment_text

    waiting = list(
        Attachment.all_objects.filter(
            text_of="",
            content_type__in=list(EXTRACTORS),
            uploaded_at__lt=now - TEXT_CATCH_UP_AFTER,
        )
        .order_by("uploaded_at")
        .values_list("pk", flat=True)[:TEXT_CATCH_UP_BATCH]
    )
    for attachment_id in waiting:
        send_task(extract_attachment_text, attachment_id)
    return {"queued": len(waiting)} if waiting else {}


def attachment_text_extract(*, attachment_id: int) -> bool:
    """Store the text of the attachment's file (meetings.attachment_text, capped at
    ATTACHMENT_TEXT_MAX_CHARS characters and ATTACHMENT_TEXT_TIMEOUT_SECONDS) and re-index
    its meeting. Idempotent: a file already read (`text_of` = its name) is not read again,
    and the text is stored only if the row still holds that file (compare-and-set). A
    broken file stores "" (and logs why), so it is not retried. True when text was stored."""
    from core.search import search_index

    attachment = (
        Attachment.all_objects.select_related("item__meeting", "proposal__meeting")
        .filter(pk=attachment_id)
        .first()
    )
    if attachment is None or attachment.text_of == attachment.file.name:
        return False
    name = attachment.file.name
    try:
        with attachment.file.open("rb") as handle:
            data = handle.read()
    except OSError as exc:  # the file is gone (removed meanwhile): nothing to read
        logger.warning("No text from attachment %s (%s): %s", attachment.pk, name, exc)
        data = b""
    text = extract_text_isolated(
        data,
        attachment.content_type,
        max_chars=settings.ATTACHMENT_TEXT_MAX_CHARS,
        timeout=settings.ATTACHMENT_TEXT_TIMEOUT_SECONDS,
        label=f"attachment {attachment.pk} ({attachment.name})",
    )
    with transaction.atomic():
        stored = Attachment.all_objects.filter(pk=attachment.pk, file=name).update(
            text=text.replace("\x00", ""), text_of=name
        )
        if stored:
            search_index((attachment.item or attachment.proposal).meeting)
    return bool(stored)


def attachment_copy(attachment: Attachment, **owner) -> Attachment:
    """A new row for the same stored file (a referral carries its attachments along)."""
    return Attachment.objects.create(
        file=attachment.file.name,
        name=attachment.name,
        content_type=attachment.content_type,
        size=attachment.size,
        uploaded_by=attachment.uploaded_by,
        position=attachment.position,
        text=attachment.text,
        text_of=attachment.text_of,
        **owner,
    )
