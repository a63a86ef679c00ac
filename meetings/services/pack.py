"""services: The agenda pack (issue 9 §4)."""

import hashlib
from datetime import datetime, timedelta

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.cache_stamps import bump
from core.queue import send_task
from meetings.models import (
    AgendaVersion,
    Attachment,
    AttachmentPdf,
    ConversionStatus,
)
from meetings.pack import PackAttachment, PackItem
from meetings.services._common import _absolute
from notifications.services import Attachment as MailAttachment

# --- The agenda pack (issue 9 §4) --------------------------------------------------------
# The agenda followed by every attachment as one PDF per version (meetings/pack.py). A task
# queued after the send (agenda_pack_build) finds the attachments that need a conversion
# (meetings/conversion.py) and queues one task per file (attachment_pdf_convert); each
# finished conversion queues the build again, which assembles the pack once every file is
# converted or failed. Conversions are cached per file content (AttachmentPdf.sha256).


def _stale_after() -> timedelta:
    """How old a claimed conversion may be before it counts as dead (its task was killed at
    the hard time limit): the subprocess timeout plus the task's own margins."""
    from django.conf import settings

    return timedelta(seconds=settings.AGENDA_PACK_CONVERT_TIMEOUT_SECONDS + 120)


def _file_bytes(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def _sha256(field) -> str:
    digest = hashlib.sha256()
    with field.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _version_attachments(version: AgendaVersion) -> dict[int, Attachment]:
    """The files the version went out with, {id: Attachment}, removed ones too."""
    ids = [a["id"] for item in version.items for a in item.get("attachments", [])]
    return Attachment.all_objects.in_bulk(ids)


def attachment_pdf_convert(*, attachment_id: int, now: datetime | None = None) -> bool:
    """Convert one attachment to PDF into the cache (AttachmentPdf, keyed by the SHA-256 of
    its bytes), at most once per content.

    1. claim the cache row with a compare-and-set (pending and unclaimed, or claimed longer
       ago than _stale_after); a row done, failed or claimed by another worker: nothing to do;
    2. convert (meetings.conversion.convert_to_pdf: LibreOffice or Pillow, with its time and
       memory limits); a ConversionError or the task's soft time limit marks the row failed
       with the reason, which the pack shows as a note page;
    3. store the PDF in the private storage and mark the row done.
    Returns True when this call converted (or failed) the file, False when it had nothing
    to do. An attachment that needs no conversion (a PDF) or no longer exists: False."""
    from celery.exceptions import SoftTimeLimitExceeded
    from django.core.files.base import ContentFile

    from meetings.conversion import ConversionError, convert_to_pdf, needs_conversion

    now = now or timezone.now()
    attachment = Attachment.all_objects.filter(pk=attachment_id).first()
    if attachment is None or not needs_conversion(attachment.content_type):
        return False
    data = _file_bytes(attachment.file)
    row, _created = AttachmentPdf.objects.get_or_create(sha256=hashlib.sha256(data).hexdigest())
    claimed = (
        AttachmentPdf.objects.filter(pk=row.pk, status=ConversionStatus.PENDING)
        .filter(Q(started_at__isnull=True) | Q(started_at__lt=now - _stale_after()))
        .update(started_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return False
    try:
        pdf = convert_to_pdf(data, attachment.content_type)
    except (ConversionError, SoftTimeLimitExceeded) as exc:
        AttachmentPdf.objects.filter(pk=row.pk).update(
            status=ConversionStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        return True
    row.pdf.save(f"{row.sha256}.pdf", ContentFile(pdf), save=False)
    AttachmentPdf.objects.filter(pk=row.pk).update(
        status=ConversionStatus.DONE, pdf=row.pdf.name, error="", finished_at=timezone.now()
    )
    return True


def _conversions(
    attachments: dict[int, Attachment], now: datetime
) -> tuple[dict[int, AttachmentPdf], list[int], list[int]]:
    """For the attachments that need a conversion: ({attachment id: its AttachmentPdf done
    or failed}, [ids still waiting], [ids whose conversion this call must queue]).

    A claim older than _stale_after is marked failed here (the conversion died), so the pack
    never waits on it. A conversion is queued once: the row's `queued_at` is set with a
    compare-and-set, and only a row never claimed and queued longer ago than _stale_after
    (a lost message) is queued again."""
    from meetings.conversion import needs_conversion

    stale = now - _stale_after()
    hashes = {
        pk: _sha256(a.file) for pk, a in attachments.items() if needs_conversion(a.content_type)
    }
    AttachmentPdf.objects.filter(
        sha256__in=hashes.values(), status=ConversionStatus.PENDING, started_at__lt=stale
    ).update(
        status=ConversionStatus.FAILED,
        error="the conversion did not finish within its time limit",
        finished_at=now,
    )
    resolved, waiting, to_queue = {}, [], []
    for pk, sha in hashes.items():
        row, _created = AttachmentPdf.objects.get_or_create(sha256=sha)
        if row.status != ConversionStatus.PENDING:
            resolved[pk] = row
            continue
        waiting.append(pk)
        if (
            AttachmentPdf.objects.filter(pk=row.pk, started_at__isnull=True)
            .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=stale))
            .update(queued_at=now)
        ):
            to_queue.append(pk)
    return resolved, waiting, to_queue


def _queue_conversions(attachment_ids: list[int], version_id: int) -> None:
    from meetings.tasks import convert_attachment_pdf

    for attachment_id in attachment_ids:
        send_task(convert_attachment_pdf, attachment_id, version_id)


def _pack_items(
    items: list[dict], attachments: dict[int, Attachment], converted: dict
) -> list[PackItem]:
    from meetings.conversion import needs_conversion

    pack_items = []
    for item in items:
        if item.get("withheld"):
            title = _("Item %(number)s: Closed item") % {"number": item["position"]}
        else:
            title = _("Item %(number)s: %(title)s") % {
                "number": item["position"],
                "title": item["title"],
            }
        pack_item = PackItem(position=item["position"], title=title)
        for entry in item.get("attachments", []):
            attachment = attachments.get(entry["id"])
            if attachment is None:
                continue
            if needs_conversion(attachment.content_type):
                row = converted.get(attachment.pk)
                ok = row is not None and row.status == ConversionStatus.DONE
                pdf = _file_bytes(row.pdf) if ok else None
            else:
                pdf = _file_bytes(attachment.file)
            pack_item.attachments.append(
                PackAttachment(
                    name=attachment.name, pdf=pdf, url=_absolute(attachment.get_absolute_url())
                )
            )
        pack_items.append(pack_item)
    return pack_items


def _render_pack(
    version: AgendaVersion, attachments: dict, converted: dict, *, public: bool
) -> bytes:
    from django.conf import settings
    from django.utils import translation

    from meetings.pack import compose_pack
    from meetings.pdf import render_agenda_pack_part, render_pack_note

    agenda_pdf, item_pages = render_agenda_pack_part(version, public=public)
    items = version.public_items if public else version.items
    with translation.override(settings.LANGUAGE_CODE):
        return compose_pack(
            agenda_pdf=agenda_pdf,
            item_pages=item_pages,
            items=_pack_items(items, attachments, converted),
            note_pdf=lambda a: render_pack_note(name=a.name, url=a.url),
            title=_("Agenda with attachments – %(forum)s %(day)s")
            % {
                "forum": version.meeting.forum.name,
                "day": date_format(version.meeting.day, "j. F Y"),
            },
        )


def agenda_pack_build(*, version_id: int, now: datetime | None = None) -> str:
    """Build and store the agenda pack of a version (and its public pack where the forum's
    agenda is public: the public items only, so no closed item and none of its files).

    1. a version withdrawn meanwhile: "gone"; one already built: "built";
    2. attachments that need a conversion and have none cached yet: queue one conversion
       task each, once (each queues this build again when it finishes), and return
       "waiting";
    3. otherwise render both packs (meetings.pack.compose_pack; a failed conversion is a note
       page) and store them with a compare-and-set on `pack_built_at`, so two builds running
       at once leave one pair of files; "built".
    Safe to run any number of times; the sweep (agenda_pack_catch_up) runs it for a version
    whose build a lost task left undone."""
    from django.core.files.base import ContentFile

    now = now or timezone.now()
    version = AgendaVersion.objects.select_related("meeting__forum").filter(pk=version_id).first()
    if version is None:
        return "gone"
    if version.pack_built_at:
        return "built"
    attachments = _version_attachments(version)
    converted, waiting, to_queue = _conversions(attachments, now)
    if waiting:
        _queue_conversions(to_queue, version.pk)
        return "waiting"
    stem = f"{version.meeting.forum.slug}-{version.meeting.day:%Y-%m-%d}-v{version.number}"
    version.pack.save(
        f"{stem}-samlet.pdf",
        ContentFile(_render_pack(version, attachments, converted, public=False)),
        save=False,
    )
    if version.meeting.forum.agenda_public:
        version.public_pack.save(
            f"{stem}-samlet-offentlig.pdf",
            ContentFile(_render_pack(version, attachments, converted, public=True)),
            save=False,
        )
    updated = AgendaVersion.objects.filter(pk=version.pk, pack_built_at__isnull=True).update(
        pack=version.pack.name, public_pack=version.public_pack.name, pack_built_at=timezone.now()
    )
    if not updated:  # withdrawn, or another build got there first: keep only its files
        for file in (version.pack, version.public_pack):
            if file:
                file.storage.delete(file.name)
        return "gone" if not AgendaVersion.objects.filter(pk=version.pk).exists() else "built"
    bump("meetings", f"meeting:{version.meeting_id}")  # the public page links the pack now
    return "built"


def agenda_pack_catch_up(*, now: datetime) -> dict[str, int]:
    """Sweep step: versions without a pack 10 minutes after they were made (a lost task, a
    dead conversion) get their build queued again; at most 50 a sweep, oldest first."""
    waiting = list(
        AgendaVersion.objects.filter(
            pack_built_at__isnull=True, created_at__lt=now - timedelta(minutes=10)
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:50]
    )
    from meetings.tasks import build_agenda_pack

    for version_id in waiting:
        send_task(build_agenda_pack, version_id)
    return {"packs": len(waiting)}


def pack_attachment(version: AgendaVersion) -> tuple[tuple, dict]:
    """The agenda pack as an attachment of the agenda e-mail, and the e-mail's context:
    attached when built and at most settings.AGENDA_PACK_ATTACH_MAX_MB MB (1 MB =
    1,048,576 bytes), else linked: {"pack_attached": bool, "pack_url": the members' address
    of the pack, "pack_size": bytes or None while it is not built}."""
    from django.conf import settings

    url = reverse("meetings:version_pack", args=[version.meeting_id, version.number])
    context = {"pack_attached": False, "pack_url": url, "pack_size": None}
    if not version.pack:
        return (), context
    size = version.pack.size
    context["pack_size"] = size
    if size > settings.AGENDA_PACK_ATTACH_MAX_MB * 1024 * 1024:
        return (), context
    filename = f"dagsorden-med-bilag-{version.meeting.day:%Y-%m-%d}-v{version.number}.pdf"
    context["pack_attached"] = True
    return (MailAttachment(filename, "application/pdf", _file_bytes(version.pack)),), context
