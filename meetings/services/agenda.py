"""services: The agenda."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.cache_stamps import bump
from core.errors import DomainError
from core.queue import queue_after_commit, queue_at_after_commit, send_task
from core.search import search_index
from core.submission import mark_repeated, repeat_since
from meetings.attachments import (
    attachments_check,
    attachments_store,
)
from meetings.models import (
    AgendaItem,
    AgendaVersion,
    Meeting,
    Proposal,
)
from meetings.selectors import (
    items_missing_responsible,
    required_items_absent,
)
from meetings.services._common import grace_end
from meetings.services.pack import pack_attachment
from meetings.services.proposals import _next_position, _same_files
from meetings.services.scheduling import _lock, _notify_members
from notifications.services import (
    pdf_attachment,
)

# --- The agenda ---------------------------------------------------------------------------


def _editable(meeting: Meeting) -> Meeting:
    meeting = _lock(meeting)
    if not meeting.is_active:
        raise DomainError(_("The agenda of a held or cancelled meeting cannot change."))
    return meeting


@transaction.atomic
def agenda_item_save(
    *, actor: Any, item: AgendaItem, files=(), now: datetime | None = None, **fields
) -> AgendaItem:
    """Create (`item.pk` None) or change an agenda item of an editable meeting, with `files`.

    A new item identical (every field given, and no other files than it has) to one the
    same person created on the same meeting within core.submission's REPEAT_MINUTES is not
    created twice: that item is returned, marked (`mark_repeated`). Errors: DomainError
    (meeting not editable, a refused file)."""
    meeting = _editable(item.meeting)
    files = list(files)
    if item.pk is None:
        same = _same_recent_item(actor, meeting, now or timezone.now(), fields, files)
        if same is not None:
            return mark_repeated(same)
        item.created_by = actor
    attachments_check(uploads=files, item=item)  # before the item is saved: all or nothing
    for name, value in fields.items():
        setattr(item, name, value)
    if item.pk is None:
        item.position = _next_position(meeting)
    item.save()
    attachments_store(uploads=files, user=actor, item=item)
    audit_record(actor=actor, action="agenda_item.save", obj=item, data={"meeting": meeting.pk})
    search_index(meeting)
    return item


def _same_recent_item(actor, meeting, now, fields, files) -> AgendaItem | None:
    for item in meeting.items.filter(
        created_by=actor, created_at__gte=repeat_since(now), **fields
    ).prefetch_related("attachments"):
        if _same_files(item.attachments.all(), files):
            return item
    return None


def _renumber(meeting: Meeting) -> None:
    for position, item in enumerate(meeting.items.order_by("position", "pk"), start=1):
        if item.position != position:
            AgendaItem.objects.filter(pk=item.pk).update(position=position)


def agenda_item_delete_check(item: AgendaItem) -> None:
    """Raise DomainError when `item` may not be deleted: a standard item the forum's terms of
    reference require (Partnerskabsforum's two) stays on the agenda. The confirmation page
    asks this first, so it never offers a deletion that would be refused."""
    if item.standard_item_id and item.standard_item.required:
        raise DomainError(
            _("»%(title)s« is required by the forum's terms of reference and stays on the agenda.")
            % {"title": item.title}
        )


@transaction.atomic
def agenda_item_delete(*, actor: Any, item: AgendaItem) -> None:
    meeting = _editable(item.meeting)
    agenda_item_delete_check(item)
    if item.from_proposal_id:
        Proposal.objects.filter(pk=item.from_proposal_id).update(status=Proposal.Status.SUBMITTED)
        # The proposal's files go back with it; the item's delete would cascade to them.
        item.attachments.filter(proposal_id=item.from_proposal_id).update(item=None)
    audit_record(actor=actor, action="agenda_item.delete", obj=meeting, data={"title": item.title})
    item.delete()
    _renumber(meeting)
    search_index(meeting)


@transaction.atomic
def agenda_item_shift(*, actor: Any, item: AgendaItem, offset: int) -> None:
    """Move an item one place up (offset −1) or down (+1); nothing at either end."""
    meeting = _editable(item.meeting)
    items = list(meeting.items.order_by("position", "pk"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index + offset
    if 0 <= target < len(items):
        items.insert(target, items.pop(index))
        _reorder(items)
        audit_record(actor=actor, action="agenda_item.shift", obj=item, data={"offset": offset})
    search_index(meeting)


@transaction.atomic
def agenda_item_move_to(*, actor: Any, item: AgendaItem, to: int) -> None:
    """Move an item to number `to` (1-based, clamped to 1..number of items); the items
    between move one place. Raises DomainError for a held or cancelled meeting."""
    meeting = _editable(item.meeting)
    items = list(meeting.items.order_by("position", "pk"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = min(max(to, 1), len(items)) - 1
    if target != index:
        items.insert(target, items.pop(index))
        _reorder(items)
        audit_record(
            actor=actor,
            action="agenda_item.move",
            obj=item,
            data={"from": index + 1, "to": target + 1},
        )
    search_index(meeting)


def _reorder(items: list[AgendaItem]) -> None:
    for position, other in enumerate(items, start=1):
        if other.position != position:
            AgendaItem.objects.filter(pk=other.pk).update(position=position)


def agenda_snapshot(meeting: Meeting) -> dict:
    from meetings.selectors import meeting_items

    return {
        "meeting": {
            "starts_at": meeting.starts_at.isoformat(),
            "ends_at": meeting.ends_at.isoformat(),
            "place": meeting.place,
        },
        "items": [
            {
                "id": item.pk,
                "position": item.position,
                "title": item.title,
                "presentation": item.presentation,
                "recommendation": item.recommendation,
                "treatment": item.treatment,
                "treatment_label": str(item.get_treatment_display()),
                "responsible": item.responsible.name if item.responsible else "",
                "responsible_short": item.responsible.short_name if item.responsible else "",
                "is_closed": item.is_closed,
                "attachments": [
                    {"id": a.pk, "name": a.name, "size": a.size} for a in item.attachments.all()
                ],
            }
            for item in meeting_items(meeting)
        ],
    }


def agenda_send_check(meeting: Meeting, *, now: datetime | None = None) -> list[str]:
    """What stops the agenda of `meeting` from being sent, as Danish sentences (empty list:
    nothing). The confirmation page shows them before its button; agenda_send refuses
    with the first (DomainError). Checks, in order: the meeting is planned (not held or
    cancelled), it has items, every item the forum requires it of has a responsible
    administration (items_missing_responsible), and the terms of reference's required
    items are on it (required_items_absent, MANDATES.md); and no earlier version is still
    in its grace period (it must go out or be undone first)."""
    if not meeting.is_active or meeting.is_archive:
        return [_("The agenda of a held or cancelled meeting cannot be sent.")]
    if not meeting.items.exists():
        return [_("The agenda has no items.")]
    problems = []
    last = meeting.versions.order_by("-number").first()
    if last is not None and last.in_grace(now):
        problems.append(
            _("Version %(number)d has not gone out yet: undo it first, or wait until it has.")
            % {"number": last.number}
        )
    missing = items_missing_responsible(meeting)
    if missing:
        problems.append(
            _("Every item needs a responsible administration before the agenda is sent: %(items)s.")
            % {"items": ", ".join(f"{i.position}. {i.title}" for i in missing)}
        )
    absent = required_items_absent(meeting)
    if absent:
        problems.append(
            _("The terms of reference require these items on the agenda: %(items)s.")
            % {"items": ", ".join(f"»{s.title}«" for s in absent)}
        )
    return problems


def proposals_undecided(meeting: Meeting) -> list[Proposal]:
    """The proposals for `meeting` still awaiting the secretariat's decision (status
    submitted), oldest first: the agenda send confirmation names them, since sending
    leaves them off the agenda."""
    return list(
        meeting.proposals.filter(status=Proposal.Status.SUBMITTED).order_by("created_at", "pk")
    )


@transaction.atomic
def agenda_send(
    *,
    actor: Any,
    meeting: Meeting,
    change_note: str = "",
    now: datetime | None = None,
    grace_minutes: int | None = None,
) -> AgendaVersion:
    """Send the agenda (version 1), or, once sent, a revised version with a change note.

    1. check the meeting is planned, has items, and (where the forum asks) every item has
       a responsible administration;
    2. claim the send with the meeting row locked, so a double click sends once;
    3. freeze the agenda as a version; after commit a task renders the PDFs and, once
       the grace period has ended (`grace_minutes`, default settings.SEND_GRACE_MINUTES;
       0 for scripts such as the demo seed), e-mails every member once
       (meetings.tasks.process_agenda_version). Until then agenda_send_undo withdraws it.
    A version still in its grace period refuses a further send (DomainError)."""
    now = now or timezone.now()
    meeting = _lock(meeting)
    problems = agenda_send_check(meeting, now=now)
    if problems:
        raise DomainError(problems[0])
    snapshot = agenda_snapshot(meeting)
    last = meeting.versions.order_by("-number").first()
    if last is not None and last.in_grace(now):
        raise DomainError(
            _("Version %(number)d has not gone out yet: undo it first, or wait until it has.")
            % {"number": last.number}
        )
    send_after = grace_end(now, grace_minutes)
    if last is None:
        # The deadline engine reads the send time as the moment the grace period ends.
        meeting.status, meeting.agenda_sent_at = Meeting.Status.AGENDA_SENT, send_after
        meeting.save(update_fields=["status", "agenda_sent_at"])
        # Proposals still waiting when the agenda goes out are not on it.
    else:
        if not change_note.strip():
            raise DomainError({"change_note": _("Describe what changed in the revised agenda.")})
        if last.snapshot == snapshot:
            raise DomainError(
                _("Nothing has changed since version %(number)d.") % {"number": last.number}
            )
    version = AgendaVersion.objects.create(
        meeting=meeting,
        number=(last.number + 1) if last else 1,
        change_note=change_note.strip(),
        snapshot=snapshot,
        send_after=send_after,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        action="agenda.send" if version.number == 1 else "agenda.revise",
        obj=meeting,
        data={"version": version.number, "send_after": send_after.isoformat()},
    )
    bump("meetings", f"meeting:{meeting.pk}")
    _queue_pack(version.pk)  # first, so that a send without grace can attach it
    _queue_processing(version.pk, after_commit=True)
    if send_after > now:  # once more when the grace period ends (the sweep is the backstop)
        _queue_processing(version.pk, after_commit=True, at=send_after)
    search_index(meeting)
    return version


@transaction.atomic
def agenda_send_undo(*, actor: Any, version: AgendaVersion, now: datetime | None = None) -> Meeting:
    """ "Fortryd udsendelse": withdraw a version whose grace period has not ended.

    1. lock the meeting and the version; refuse (DomainError) once any e-mail is written
       or the grace period (`version.send_after`) has passed — a correction is then a
       revised version;
    2. delete the version and its PDFs; a withdrawn version 1 puts the meeting back to
       planned (proposals reopen if their deadline has not passed);
    3. record an audit entry. No e-mail was written, so none can leave."""
    now = now or timezone.now()
    meeting = _lock(version.meeting)
    version = AgendaVersion.objects.select_for_update().filter(pk=version.pk).first()
    if version is None:
        raise DomainError(_("This version has already been withdrawn."))
    if not version.in_grace(now):
        raise DomainError(
            _("Version %(number)d has gone out and can no longer be undone; send a revised agenda.")
            % {"number": version.number}
        )
    if version.number == 1 and meeting.status == Meeting.Status.AGENDA_SENT:
        meeting.status, meeting.agenda_sent_at = Meeting.Status.PLANNED, None
        meeting.save(update_fields=["status", "agenda_sent_at"])
    files = [f for f in (version.pdf, version.public_pdf, version.pack, version.public_pack) if f]
    number = version.number
    version.delete()
    for file in files:
        transaction.on_commit(lambda f=file: f.storage.delete(f.name))
    audit_record(actor=actor, action="agenda.send_undo", obj=meeting, data={"version": number})
    bump("meetings", f"meeting:{meeting.pk}")
    search_index(meeting)
    return meeting


def _queue_processing(
    version_id: int, *, after_commit: bool = False, at: datetime | None = None
) -> None:
    from meetings.tasks import process_agenda_version

    if at is not None:
        queue_at_after_commit(process_agenda_version, version_id, eta=at)
        return
    (queue_after_commit if after_commit else send_task)(process_agenda_version, version_id)


def _queue_pack(version_id: int) -> None:
    from meetings.tasks import build_agenda_pack

    queue_after_commit(build_agenda_pack, version_id)


def agenda_version_render(*, version_id: int) -> AgendaVersion:
    """Render and store the PDFs of a version once (public variant where the forum's
    agenda is public)."""
    from django.core.files.base import ContentFile

    from meetings.pdf import render_agenda_pdf

    version = AgendaVersion.objects.select_related("meeting__forum").get(pk=version_id)
    if version.pdf_rendered_at:
        return version
    stem = f"{version.meeting.forum.slug}-{version.meeting.day:%Y-%m-%d}-v{version.number}"
    version.pdf.save(
        f"{stem}.pdf", ContentFile(render_agenda_pdf(version, public=False)), save=False
    )
    if version.meeting.forum.agenda_public:
        version.public_pdf.save(
            f"{stem}-offentlig.pdf",
            ContentFile(render_agenda_pdf(version, public=True)),
            save=False,
        )
    updated = AgendaVersion.objects.filter(pk=version.pk, pdf_rendered_at__isnull=True).update(
        pdf=version.pdf.name, public_pdf=version.public_pdf.name, pdf_rendered_at=timezone.now()
    )
    if not updated:  # another worker got there first; keep its files
        version.refresh_from_db()
    bump("meetings", f"meeting:{version.meeting_id}")  # the public PDF is there now
    return version


def agenda_version_distribute(*, version_id: int, now: datetime | None = None) -> int:
    """E-mail every member the agenda with its PDF (attached, or linked when larger than
    MINUTES_PDF_ATTACH_MAX_MB: notifications.services.pdf_attachment); once per member and
    version.

    Nothing happens (returns 0) for a version withdrawn in its grace period or one whose
    grace period (`send_after`) has not ended yet; the version row is locked so an undo
    and the distribution cannot both succeed."""
    now = now or timezone.now()
    version = AgendaVersion.objects.select_related("meeting__forum").filter(pk=version_id).first()
    if version is None or (version.send_after and now < version.send_after):
        return 0
    attachments, pdf_context = pdf_attachment(
        version.pdf, f"dagsorden-{version.meeting.day:%Y-%m-%d}-v{version.number}.pdf"
    )
    pack, pack_context = pack_attachment(version)
    kind = "agenda_sent" if version.number == 1 else "agenda_revised"
    with transaction.atomic():
        if not AgendaVersion.objects.select_for_update().filter(pk=version.pk).exists():
            return 0  # withdrawn while the PDF was read
        count = _notify_members(
            version.meeting,
            kind=kind,
            key=f"agenda:{version.pk}",
            context={"version": version, **pdf_context, **pack_context},
            attachments=attachments + pack,
        )
        AgendaVersion.objects.filter(pk=version.pk).update(distributed_at=timezone.now())
    search_index(version.meeting)
    return count
