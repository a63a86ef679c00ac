"""services: Versions, Approval and errata."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.audit import audit_record, audit_record_many
from core.cache_stamps import bump
from core.errors import DomainError
from core.grace import grace_end, in_grace
from core.minutes_hooks import Approval, minutes_approved_run
from core.search import search_index
from meetings import deadlines
from minutes.models import (
    Erratum,
    Minutes,
    MinutesVersion,
)
from minutes.selectors import (
    empty_items,
    undisposed_comments,
    window_open,
)
from minutes.services._common import _day, _extras, _notify_members, _queue_version
from notifications.services import (
    outbox_withdraw,
    pdf_attachment,
)

# --- Versions -----------------------------------------------------------------------------


def minutes_snapshot(minutes: Minutes, *, final: bool = False) -> dict:
    """What a version freezes: introduction, recorded attendance, items with their
    follow-up actions and, for the final version, the comments still without a
    disposition (a dict stored as MinutesVersion.snapshot)."""
    from minutes.selectors import minutes_attendance, minutes_items

    return _snapshot(
        minutes,
        attendance=minutes_attendance(minutes.meeting),
        items=minutes_items(minutes),
        undisposed=undisposed_comments(minutes) if final else None,
    )


def _snapshot(minutes: Minutes, *, attendance, items, undisposed) -> dict:
    """minutes_snapshot from what was read already (`undisposed` None: not final)."""
    snapshot = {
        "introduction": minutes.introduction,
        "attendance": attendance,
        "items": [
            {
                "id": item.pk,
                "position": item.position,
                "title": item.title,
                "is_closed": item.is_closed,
                "summary": item.summary,
                "decision": item.decision,
                "actions": [
                    {
                        "what": a.what,
                        "responsible": a.responsible.name,
                        "due_on": a.due_on.isoformat() if a.due_on else "",
                        "due_label": date_format(a.due_on, "j. F Y") if a.due_on else "",
                    }
                    for a in item.actions.all()
                ],
            }
            for item in items
        ],
    }
    if undisposed is not None:
        snapshot["undisposed_comments"] = [
            {"author": c.author.name, "item": c.item.title if c.item else "", "body": c.body}
            for c in undisposed
        ]
    return snapshot


def empty_items_message(items) -> str:
    """»Punkt 1 og 2 er tomme: …« for the items with neither summary nor decision."""
    numbers = [str(item.position) for item in items]
    joined = (
        numbers[0]
        if len(numbers) == 1
        else _("%(first)s and %(last)s") % {"first": ", ".join(numbers[:-1]), "last": numbers[-1]}
    )
    return ngettext(
        "Item %(numbers)s is empty: it has neither a summary nor a decision.",
        "Items %(numbers)s are empty: they have neither a summary nor a decision.",
        len(numbers),
    ) % {"numbers": joined}


def minutes_send_check(minutes: Minutes, *, now: datetime | None = None) -> None:
    """Raise DomainError when the minutes may not be sent yet: before the meeting has
    started (the skeleton may be prepared earlier). The confirmation page asks this first."""
    if (now or timezone.now()) < minutes.meeting.starts_at:
        raise DomainError(_("The minutes can be sent once the meeting has started."))


def comments_close_if_sent_now(minutes: Minutes, *, now: datetime | None = None) -> datetime:
    """When the members' comment window would close (aware datetime, the end of local day
    S + 14) if `minutes` were sent at `now`: S is the day the grace period ends, as in
    minutes_send. For the preview PDF of unsent minutes."""
    sent_at = grace_end(now or timezone.now())
    return deadlines.comment_window_closes(minutes.meeting.forum, deadlines.local_day(sent_at))


@transaction.atomic
def minutes_send(
    *, actor: Any, minutes: Minutes, allow_empty: bool = True, now: datetime | None = None
) -> MinutesVersion:
    """Send the minutes: freeze version 1, open the comment window (closing at the end of
    day S + 14), and e-mail every member the link and a PDF marked as draft. Raises
    DomainError before the meeting has started, or when the minutes were already sent.

    With `allow_empty=False` items with neither summary nor decision are refused
    (DomainError »Punkt 1 og 2 er tomme …«): the send page passes False unless the
    secretariat ticked the second confirmation; programmatic callers (the demo seed,
    scripts) send what there is."""
    now = now or timezone.now()
    minutes_send_check(minutes, now=now)
    empty = empty_items(minutes)
    if empty and not allow_empty:
        raise DomainError(empty_items_message(empty))
    forum = minutes.meeting.forum
    # The deadline engine reads the send time as the moment the grace period ends.
    sent_at = grace_end(now)
    closes = deadlines.comment_window_closes(forum, deadlines.local_day(sent_at))
    claimed = Minutes.objects.filter(pk=minutes.pk, status=Minutes.Status.DRAFT).update(
        status=Minutes.Status.SENT, sent_at=sent_at, comments_close_at=closes, updated_by=actor
    )
    if claimed != 1:
        raise DomainError(_("The minutes have already been sent."))
    minutes.refresh_from_db()
    version = MinutesVersion.objects.create(
        minutes=minutes,
        number=1,
        snapshot=minutes_snapshot(minutes),
        created_by=actor,
        send_after=sent_at if sent_at > now else None,
    )
    audit_record(
        actor=actor, action="minutes.send", obj=minutes, data={"closes": closes.isoformat()}
    )
    _queue_version(version.pk, after_commit=True)
    search_index(minutes.meeting)
    return version


@transaction.atomic
def minutes_revise(
    *, actor: Any, minutes: Minutes, change_note: str, now: datetime | None = None
) -> MinutesVersion:
    """A revised draft during the window; the window does not move."""
    now = now or timezone.now()
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.status != Minutes.Status.SENT or not window_open(minutes, now):
        raise DomainError(_("A revised draft can be issued only while the comment window is open."))
    if not change_note.strip():
        raise DomainError({"change_note": _("Describe what changed in the revised draft.")})
    last = minutes.versions.filter(is_final=False).order_by("-number").first()
    if in_grace(last.send_after, now):
        raise DomainError(
            _("Version %(number)d has not gone out yet: undo it first, or wait until it has.")
            % {"number": last.number}
        )
    snapshot = minutes_snapshot(minutes)
    if last.snapshot == snapshot:
        raise DomainError(
            _("Nothing has changed since version %(number)d.") % {"number": last.number}
        )
    send_after = grace_end(now)
    version = MinutesVersion.objects.create(
        minutes=minutes,
        number=last.number + 1,
        snapshot=snapshot,
        change_note=change_note.strip(),
        created_by=actor,
        send_after=send_after if send_after > now else None,
    )
    audit_record(
        actor=actor, action="minutes.revise", obj=minutes, data={"version": version.number}
    )
    _queue_version(version.pk, after_commit=True)
    search_index(minutes.meeting)
    return version


@transaction.atomic
def minutes_send_undo(*, actor: Any, minutes: Minutes, now: datetime | None = None) -> Minutes:
    """ "Fortryd udsendelse": withdraw the newest draft version while its grace period lasts.

    1. lock the minutes and the version; refuse (DomainError) once the grace period
       (`send_after`) has passed — a correction is then a revised draft;
    2. withdraw its held e-mails (notifications.services.outbox_withdraw; none has left);
    3. delete the version and its PDF; an undone version 1 puts the minutes back to draft
       (no send time, no comment window);
    4. record an audit entry."""
    now = now or timezone.now()
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    version = (
        MinutesVersion.objects.select_for_update()
        .filter(minutes=minutes, is_final=False)
        .order_by("-number")
        .first()
    )
    if version is None or not in_grace(version.send_after, now):
        raise DomainError(_("These minutes have gone out and can no longer be undone."))
    outbox_withdraw(key_prefix=f"minutes:{version.pk}:")
    number, pdf = version.number, version.pdf
    version.delete()
    if pdf:
        transaction.on_commit(lambda: pdf.storage.delete(pdf.name))
    if number == 1:
        Minutes.objects.filter(pk=minutes.pk).update(
            status=Minutes.Status.DRAFT, sent_at=None, comments_close_at=None
        )
    audit_record(actor=actor, action="minutes.send_undo", obj=minutes, data={"version": number})
    minutes.refresh_from_db()
    return minutes


def minutes_version_render(*, version_id: int) -> MinutesVersion | None:
    """Render a version's PDF once; None when the version was withdrawn in its grace period."""
    from django.core.files.base import ContentFile

    from minutes.pdf import render_minutes_pdf

    version = (
        MinutesVersion.objects.select_related("minutes__meeting__forum")
        .filter(pk=version_id)
        .first()
    )
    if version is None:
        return None
    if version.pdf:
        return version
    meeting = version.minutes.meeting
    stem = f"referat-{meeting.forum.slug}-{meeting.day:%Y-%m-%d}-v{version.number}"
    if version.is_final:
        stem += "-endelig"
    pdf = version.pdf.storage.save(
        f"minutes/{stem}.pdf", ContentFile(render_minutes_pdf(version, public=False))
    )
    public_pdf = ""
    if version.is_final and meeting.forum.approved_minutes_public:
        public_pdf = version.pdf.storage.save(
            f"minutes/{stem}-offentlig.pdf", ContentFile(render_minutes_pdf(version, public=True))
        )
    with transaction.atomic():
        stored = MinutesVersion.objects.filter(pk=version.pk, pdf="").update(
            pdf=pdf, public_pdf=public_pdf
        )
        version.refresh_from_db()
        if stored and version.is_final:
            # In the same transaction as the PDF: a final version with a PDF has had its
            # approval e-mail queued (an approved version cannot record it afterwards).
            _distribute_final(version)
            # The approval changed who may read the minutes in the search (public ones
            # become public); done here, not in the sweep's approval (minutes_approve_many).
            search_index(meeting)
    if public_pdf:  # the public minutes page links it (core/cache_stamps.py)
        bump("meetings", f"meeting:{meeting.pk}")
    return version


def minutes_version_distribute(*, version_id: int) -> int:
    """E-mail a version's PDF to every member, once each (the number of messages queued).

    A sent or revised draft goes out as "minutes_sent"/"minutes_revised" (not once the
    minutes are approved); while the version is in its grace period (`send_after`) the
    e-mails are held in the outbox until then (minutes_send_undo withdraws them), and a
    version withdrawn meanwhile sends nothing. The final version's "minutes_approved"
    e-mail is queued by minutes_version_render with its PDF, so here it gives 0. The PDF
    is attached when it fits notifications.services.attachment_fits
    (MINUTES_PDF_ATTACH_MAX_MB), else the e-mail links the members' page."""
    version = (
        MinutesVersion.objects.select_related("minutes__meeting__forum")
        .filter(pk=version_id)
        .first()
    )
    if version is None:
        return 0  # withdrawn in its grace period
    if version.is_final or version.minutes.status == Minutes.Status.APPROVED:
        return 0  # a draft is not mailed once the minutes are approved
    attachments, pdf_context = pdf_attachment(version.pdf, f"referat-udkast-v{version.number}.pdf")
    extra_files, extras_context = _extras(version.minutes.meeting)
    attachments, pdf_context = (*attachments, *extra_files), {**pdf_context, **extras_context}
    kind = "minutes_sent" if version.number == 1 else "minutes_revised"
    with transaction.atomic():
        if not MinutesVersion.objects.select_for_update().filter(pk=version.pk).exists():
            return 0  # withdrawn while the PDF was read
        held = version.send_after if in_grace(version.send_after) else None
        count = _notify_members(
            version.minutes,
            kind=kind,
            key=f"minutes:{version.pk}",
            context={"version": version, **pdf_context},
            attachments=attachments,
            not_before=held,
        )
        MinutesVersion.objects.filter(pk=version.pk).update(distributed_at=timezone.now())
    return count


def _distribute_final(version: MinutesVersion) -> int:
    """The approval e-mail with the final PDF, attached or linked (pdf_attachment); the
    outbox key makes it once per member."""
    minutes = version.minutes
    day = minutes.meeting.day
    attachments, pdf_context = pdf_attachment(version.pdf, f"referat-{day:%Y-%m-%d}-endelig.pdf")
    extra_files, extras_context = _extras(minutes.meeting)
    attachments, pdf_context = (*attachments, *extra_files), {**pdf_context, **extras_context}
    return _notify_members(
        minutes,
        kind="minutes_approved",
        key=f"minutes-approved:{minutes.pk}",
        context={"version": version, "approved_day": _day(minutes.approved_at), **pdf_context},
        attachments=attachments,
    )


# --- Approval and errata ------------------------------------------------------------------


# The sweep approves due sets this many at a time, each batch in one transaction.
APPROVE_BATCH = 100


def minutes_approve(*, minutes_id: int, now: datetime) -> bool:
    """Approve one set of minutes whose window has closed; True for exactly one caller
    (minutes_approve_many for one set)."""
    return minutes_id in minutes_approve_many(minutes_ids=[minutes_id], now=now)


class _ApprovalRace(Exception):
    """Another caller approved some of a batch between its read and its write."""


def minutes_approve_many(*, minutes_ids: list[int], now: datetime) -> list[int]:
    """Approve those of `minutes_ids` that are still sent and whose comment window closed
    before `now`; returns the ids this call approved (each set is approved by exactly one
    caller, whoever else runs at the same time). One transaction and a fixed number of
    queries whatever the number of sets (issue 12: 1,000 sets in < 10 s):

    1. lock the sets still due (SELECT … FOR UPDATE: a second sweep waits, then finds
       them approved) and compare-and-set them from sent to approved, dated at the end of
       the window (the rule's moment, not the moment the sweep ran);
    2. freeze each final version (one INSERT), recording the comments still without a
       disposition; one audit entry per set (one INSERT); the public pages' stamps;
    3. after commit, per set, queue the rendering of the final PDF: that task e-mails the
       members with it and re-indexes the meeting for the search (minutes_version_render;
       versions_catch_up re-queues a lost one), so neither is paid for here.
    Where the lock is a no-op and another caller won part of the batch (the update
    changes fewer rows than were read), the batch is rolled back and each set is tried on
    its own."""
    try:
        return _approve_batch(list(minutes_ids), now)
    except _ApprovalRace:
        return [pk for pk in minutes_ids if _approve_batch([pk], now, race_ok=True)]


def _lock_due(minutes_ids: list[int], now: datetime) -> list[Minutes]:
    """Those of `minutes_ids` still due at `now`, locked until the transaction ends."""
    return list(
        Minutes.objects.select_for_update(of=("self",))
        .filter(pk__in=minutes_ids, status=Minutes.Status.SENT, comments_close_at__lt=now)
        .select_related("meeting__forum")
        .order_by("pk")
    )


def _approve_batch(minutes_ids: list[int], now: datetime, *, race_ok: bool = False) -> list[int]:
    with transaction.atomic():
        due = _lock_due(minutes_ids, now)
        if not due:
            return []
        claimed = Minutes.objects.filter(
            pk__in=[m.pk for m in due], status=Minutes.Status.SENT
        ).update(
            status=Minutes.Status.APPROVED,
            approved_at=F("comments_close_at"),
            approval_recorded_at=now,
        )
        if claimed != len(due):
            if race_ok:  # one set, and another caller has it
                transaction.set_rollback(True)
                return []
            raise _ApprovalRace
        for minutes in due:
            minutes.status = Minutes.Status.APPROVED
            minutes.approved_at = minutes.comments_close_at
            minutes.approval_recorded_at = now
        versions = MinutesVersion.objects.bulk_create(_final_versions(due))
        audit_record_many(
            actor=None,
            action="minutes.approve",
            entries=[
                (
                    m,
                    {"approved_at": m.approved_at.isoformat(), "recorded_at": now.isoformat()},
                )
                for m in due
            ],
        )
        for version in versions:
            _queue_version(version.pk, after_commit=True)
        bump("meetings", *(f"meeting:{m.meeting_id}" for m in due))  # public now
        # What hangs on these decisions becomes final with them (core/minutes_hooks.py).
        minutes_approved_run([Approval(m.meeting_id, m.pk, m.approved_at) for m in due])
    return [m.pk for m in due]


def _final_versions(due: list[Minutes]) -> list[MinutesVersion]:
    """The final version of each of `due` (unsaved), numbered as its last draft version,
    from what a few queries read for all of them."""
    from django.db.models import Max

    from minutes.selectors import (
        minutes_attendance_many,
        minutes_items_many,
        undisposed_comments_many,
    )

    ids = [m.pk for m in due]
    last = dict(
        MinutesVersion.objects.filter(minutes_id__in=ids, is_final=False)
        .values("minutes_id")
        .annotate(last=Max("number"))
        .values_list("minutes_id", "last")
    )
    attendance = minutes_attendance_many([m.meeting_id for m in due])
    items = minutes_items_many(ids)
    undisposed = undisposed_comments_many(ids)
    return [
        MinutesVersion(
            minutes=m,
            number=last.get(m.pk) or 1,
            is_final=True,
            snapshot=_snapshot(
                m,
                attendance=attendance[m.meeting_id],
                items=items[m.pk],
                undisposed=undisposed[m.pk],
            ),
        )
        for m in due
    ]


def approve_due(*, now: datetime) -> dict[str, int]:
    """Sweep step: approve every set of minutes whose comment window has closed, in
    batches of APPROVE_BATCH (minutes_approve_many)."""
    due = list(
        Minutes.objects.filter(status=Minutes.Status.SENT, comments_close_at__lt=now)
        .order_by("comments_close_at")
        .values_list("pk", flat=True)
    )
    approved = 0
    for start in range(0, len(due), APPROVE_BATCH):
        batch = due[start : start + APPROVE_BATCH]
        approved += len(minutes_approve_many(minutes_ids=batch, now=now))
    return {"approved": approved}


@transaction.atomic
def erratum_add(*, actor: Any, minutes: Minutes, text: str) -> Erratum:
    from django.core.files.base import ContentFile

    from minutes.pdf import render_minutes_pdf

    if minutes.status != Minutes.Status.APPROVED:
        raise DomainError(
            _("A correction is for finally approved minutes; edit the draft instead.")
        )
    if not text.strip():
        raise DomainError({"text": _("Write the correction.")})
    erratum = Erratum(minutes=minutes, text=text.strip(), created_by=actor)
    erratum.created_at = timezone.now()
    final = minutes.versions.get(is_final=True)
    errata = [*minutes.errata.all(), erratum]
    stem = (
        f"referat-{minutes.meeting.forum.slug}-{minutes.meeting.day:%Y-%m-%d}-rettet-{len(errata)}"
    )
    erratum.pdf.save(
        f"{stem}.pdf",
        ContentFile(render_minutes_pdf(final, public=False, errata=errata)),
        save=False,
    )
    if minutes.meeting.forum.approved_minutes_public:
        erratum.public_pdf.save(
            f"{stem}-offentlig.pdf",
            ContentFile(render_minutes_pdf(final, public=True, errata=errata)),
            save=False,
        )
    erratum.save()
    audit_record(actor=actor, action="minutes.erratum", obj=minutes, data={"erratum": erratum.pk})
    bump("meetings", f"meeting:{minutes.meeting_id}")
    return erratum
