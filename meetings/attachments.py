"""Attachments ("bilag"): the type is read from the content, never from the name."""

import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from meetings.models import AgendaItem, Attachment, Proposal

MAX_SIZE = 20 * 1024 * 1024

# The Office Open XML formats are ZIP files whose first part names their kind.
OOXML = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
}
ODT = "application/vnd.oasis.opendocument.text"
ALLOWED_LABEL = "PDF, DOCX, XLSX, PPTX, ODT, PNG, JPEG"


def _zip_kind(upload: UploadedFile) -> tuple[str, str] | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "mimetype" in names and archive.read("mimetype").strip() == ODT.encode():
                return ODT, "odt"
            if "[Content_Types].xml" in names:
                for prefix, kind in OOXML.items():
                    if any(name.startswith(prefix) for name in names):
                        return kind
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    finally:
        upload.seek(0)
    return None


def detect_type(upload: UploadedFile) -> tuple[str, str] | None:
    """The MIME type and extension the content shows, or None when it is not allowed."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf", "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", "jpg"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
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


def clean_name(name: str, extension: str) -> str:
    stem = get_valid_filename(name.rsplit("/", 1)[-1]) or "bilag"
    if not stem.lower().endswith(f".{extension}") and not (
        extension == "jpg" and stem.lower().endswith(".jpeg")
    ):
        stem = f"{stem.rsplit('.', 1)[0]}.{extension}"
    return stem[:200]


def attachment_store(
    *, upload: UploadedFile, user, proposal: Proposal | None = None, item: AgendaItem | None = None
) -> Attachment:
    content_type, extension = validate_upload(upload)
    name = clean_name(upload.name, extension)
    attachment = Attachment(
        name=name,
        content_type=content_type,
        size=upload.size,
        proposal=proposal,
        item=item,
        uploaded_by=user if user and user.is_authenticated else None,
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    return attachment


def attachment_copy(attachment: Attachment, **owner) -> Attachment:
    """A new row for the same stored file (a referral carries its attachments along)."""
    return Attachment.objects.create(
        file=attachment.file.name,
        name=attachment.name,
        content_type=attachment.content_type,
        size=attachment.size,
        uploaded_by=attachment.uploaded_by,
        **owner,
    )
