"""Every write about minutes: drafting (with optimistic locking), sending, revising,
comments and their dispositions, automatic approval exactly once, errata, and the
follow-up actions of the decisions register."""

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.audit import audit_record, audit_record_many
from core.cache_stamps import bump
from core.claims import claim_once, unsent
from core.errors import DomainError
from core.grace import grace_end, in_grace
from core.minutes_hooks import Approval, minutes_approved_run, minutes_extras
from core.queue import queue_after_commit, send_task
from core.search import search_index
from core.submission import mark_repeated, repeat_since
from forums.models import Organisation, Person
from meetings import deadlines
from meetings.models import Meeting
from meetings.selectors import (
    forum_people,
    latest_version,
    member_person,
    secretariat_users,
)
from minutes.models import (
    ApprovedMinutesError,
    Comment,
    Erratum,
    FollowUpAction,
    Minutes,
    MinutesItem,
    MinutesVersion,
    Receipt,
)
from minutes.selectors import (
    empty_items,
    silent_members,
    undisposed_comments,
    window_open,
)
from notifications.services import (
    Attachment,
    attachment_fits,
    notify_people,
    notify_users,
    outbox_withdraw,
    pdf_attachment,
)


class MinutesConflict(DomainError):
    """Someone else saved the minutes since this editor loaded them."""

    def __init__(self, message: str, current: Minutes):
        super().__init__(message)
        self.current = current


def _day(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j. F Y")


def _member_url(minutes: Minutes) -> str:
    return reverse("minutes:member", args=[minutes.meeting_id])


def _notify_members(
    minutes: Minutes,
    *,
    kind: str,
    key: str,
    people=None,
    context=None,
    attachments: tuple = (),
    not_before: datetime | None = None,
) -> int:
    people = people if people is not None else forum_people(minutes.meeting.forum)
    return notify_people(
        people,
        kind=kind,
        key=key,
        concerns=minutes,
        attachments=attachments,
        not_before=not_before,
        context={
            "minutes": minutes,
            "meeting": minutes.meeting,
            "forum": minutes.meeting.forum,
            "member_url": _member_url(minutes),
            **(context or {}),
        },
    )


def _extras(meeting: Meeting) -> tuple[tuple[Attachment, ...], dict]:
    """What other apps send with the minutes (core.minutes_hooks extras, e.g. the framework
    agreement Partnerskabsforum negotiated at the meeting): attached where the PDF exists
    and fits (attachment_fits), always linked. ((Attachment, ...), {"extras": [...]})."""
    attachments, listed = [], []
    for extra in minutes_extras(meeting):
        content = extra.content() if extra.content else None
        attached = bool(content and extra.filename and attachment_fits(len(content)))
        if attached:
            attachments.append(Attachment(extra.filename, extra.mimetype, content))
        listed.append({"label": extra.label, "url": extra.url, "attached": attached})
    return tuple(attachments), {"extras": listed}


def _notify_secretariat(minutes: Minutes, *, kind: str, key: str, context=None) -> int:
    return notify_users(
        secretariat_users(),
        kind=kind,
        key=key,
        concerns=minutes,
        context={
            "minutes": minutes,
            "meeting": minutes.meeting,
            "forum": minutes.meeting.forum,
            "editor_url": reverse("minutes:editor", args=[minutes.meeting_id]),
            **(context or {}),
        },
    )


# --- Drafting -----------------------------------------------------------------------------


@transaction.atomic
def minutes_start(*, actor: Any, meeting: Meeting, now: datetime | None = None) -> Minutes:
    """The minutes of a meeting, begun from its agenda (as last sent, else as it stands).

    The skeleton may be prepared before the meeting starts (sending waits for the meeting:
    `minutes_send`); a cancelled meeting has no minutes (DomainError)."""
    now = now or timezone.now()
    existing = Minutes.objects.filter(meeting=meeting).first()
    if existing:
        return existing
    if meeting.status == Meeting.Status.CANCELLED:
        raise DomainError(_("A cancelled meeting has no minutes."))
    minutes = Minutes.objects.create(meeting=meeting, updated_by=actor)
    version = latest_version(meeting)
    if version:
        rows = [(i["position"], i["title"], i["is_closed"], i["id"]) for i in version.items]
    else:
        rows = [
            (i.position, i.title, i.is_closed, i.pk) for i in meeting.items.order_by("position")
        ]
    existing_items = set(meeting.items.values_list("pk", flat=True))
    MinutesItem.objects.bulk_create(
        MinutesItem(
            minutes=minutes,
            position=position,
            title=title,
            is_closed=closed,
            agenda_item_id=item_id if item_id in existing_items else None,
        )
        for position, title, closed, item_id in rows
    )
    audit_record(actor=actor, action="minutes.start", obj=minutes)
    search_index(meeting)
    return minutes


def _locked(minutes: Minutes) -> Minutes:
    """The minutes row as stored now, locked until the transaction ends: the approval's
    compare-and-set waits for it, so a write checked against it cannot race the sweep."""
    return Minutes.objects.select_for_update().get(pk=minutes.pk)


def _check_editable(minutes: Minutes, now: datetime) -> None:
    """DomainError unless the text of `minutes` may still change: a draft, or sent
    minutes whose comment window is open. Pass a row read by `_locked`."""
    if minutes.status == Minutes.Status.APPROVED:
        raise DomainError(
            _("The minutes are finally approved and cannot change. Add a correction instead.")
        )
    if minutes.status == Minutes.Status.SENT and not window_open(minutes, now):
        raise DomainError(_("The comment window has closed; the minutes are being approved."))


@transaction.atomic
def minutes_save(
    *,
    actor: Any,
    minutes: Minutes,
    lock_version: int,
    introduction: str,
    items: dict[int, dict[str, str]],
    now: datetime | None = None,
) -> Minutes:
    """Save the editor's text if nobody saved in between (optimistic locking): the row's
    lock_version must still be the one the editor loaded."""
    now = now or timezone.now()
    _check_editable(_locked(minutes), now)
    claimed = (
        Minutes.objects.filter(pk=minutes.pk, lock_version=lock_version)
        .exclude(status=Minutes.Status.APPROVED)
        .update(
            lock_version=F("lock_version") + 1,
            introduction=introduction,
            updated_by=actor,
            updated_at=now,
        )
    )
    if claimed != 1:
        current = Minutes.objects.get(pk=minutes.pk)
        raise MinutesConflict(
            _(
                "Someone else saved the minutes while you were editing. Your text is "
                "kept below; compare it with the saved version and save again."
            ),
            current,
        )
    for item in minutes.items.all():
        if item.pk in items:
            values = items[item.pk]
            if (item.summary, item.decision) != (values["summary"], values["decision"]):
                MinutesItem.objects.filter(pk=item.pk).update(
                    summary=values["summary"], decision=values["decision"]
                )
    audit_record(
        actor=actor, action="minutes.save", obj=minutes, data={"lock_version": lock_version + 1}
    )
    search_index(minutes.meeting)
    return Minutes.objects.get(pk=minutes.pk)


def minutes_text_unchanged(
    *, minutes: Minutes, introduction: str, items: dict[int, dict[str, str]]
) -> bool:
    """True when the editor's text (introduction; {item pk: {"summary", "decision"}}) is
    exactly what is stored, so there is nothing unsaved to carry or autosave."""
    if Minutes.objects.filter(pk=minutes.pk).values_list("introduction", flat=True).get() != (
        introduction
    ):
        return False
    stored = {i.pk: (i.summary, i.decision) for i in minutes.items.all()}
    return all(
        stored.get(pk) == (values["summary"], values["decision"])
        for pk, values in items.items()
        if pk in stored
    )


def minutes_save_if_changed(
    *,
    actor: Any,
    minutes: Minutes,
    lock_version: int,
    introduction: str,
    items: dict[int, dict[str, str]],
    now: datetime | None = None,
) -> tuple[Minutes, bool]:
    """Save the editor's text as `minutes_save` does, but only when it differs from what is
    stored: an editor whose text is unchanged has nothing to lose and meets no conflict.

    Used by autosave (every 30 s from the editor page) and by the editor's action buttons,
    which carry the text with them (save, then act). Creates no version.
    Returns (the minutes as stored now, whether a save happened).
    Raises MinutesConflict when the text changed and someone saved since `lock_version`,
    DomainError when the minutes cannot be edited any more."""
    if minutes_text_unchanged(minutes=minutes, introduction=introduction, items=items):
        return minutes, False
    saved = minutes_save(
        actor=actor,
        minutes=minutes,
        lock_version=lock_version,
        introduction=introduction,
        items=items,
        now=now,
    )
    return saved, True


@transaction.atomic
def action_add(
    *, actor: Any, item: MinutesItem, what: str, responsible: Organisation, due_on=None
) -> FollowUpAction:
    """A follow-up action of `item`'s decision, assigned to `responsible`: an
    administration or a housing organisation (FollowUpAction.RESPONSIBLE_KINDS; the
    agreements bind both sides). DomainError for another kind, or minutes not editable."""
    _check_editable(_locked(item.minutes), timezone.now())
    if responsible.kind not in FollowUpAction.RESPONSIBLE_KINDS:
        raise DomainError(
            {
                "responsible": _(
                    "A follow-up action is assigned to an administration or a housing organisation."
                )
            }
        )
    action = FollowUpAction.objects.create(
        item=item, what=what, responsible=responsible, due_on=due_on, updated_by=actor
    )
    audit_record(actor=actor, action="action.add", obj=action)
    search_index(item.minutes.meeting)
    return action


@transaction.atomic
def action_delete(*, actor: Any, action: FollowUpAction) -> None:
    _check_editable(_locked(action.item.minutes), timezone.now())
    audit_record(
        actor=actor, action="action.delete", obj=action.item.minutes, data={"what": action.what}
    )
    action.delete()
    search_index(action.item.minutes.meeting)


@transaction.atomic
def action_set_status(*, actor: Any, action: FollowUpAction, status: str) -> FollowUpAction:
    from minutes.selectors import may_update_action

    if not may_update_action(actor, action):
        raise DomainError(
            _("Only the responsible organisation or the secretariat can update this action.")
        )
    if status not in FollowUpAction.Status.values:
        raise DomainError({"status": _("Choose a valid status.")})
    if action.item.minutes.status == Minutes.Status.DRAFT and not actor.is_secretariat:
        raise DomainError(_("The minutes with this action have not been sent yet."))
    FollowUpAction.objects.filter(pk=action.pk).update(
        status=status, updated_by=actor, updated_at=timezone.now()
    )
    audit_record(actor=actor, action="action.status", obj=action, data={"status": status})
    action.refresh_from_db()
    return action


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


def _queue_version(version_id: int, *, after_commit: bool = False) -> None:
    from minutes.tasks import process_minutes_version

    (queue_after_commit if after_commit else send_task)(process_minutes_version, version_id)


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


# --- Comments -----------------------------------------------------------------------------


def _commenter(actor: Any, minutes: Minutes) -> Person:
    person = member_person(actor)
    if person is None or person.pk not in {p.pk for p in forum_people(minutes.meeting.forum)}:
        raise DomainError(_("Only the forum's members can comment on the minutes."))
    return person


def _check_window(minutes: Minutes, now: datetime) -> None:
    if not window_open(minutes, now):
        if minutes.comments_close_at:
            raise DomainError(
                _("The comment window closed at the end of %(day)s.")
                % {"day": _day(minutes.comments_close_at)}
            )
        raise DomainError(_("The minutes have not been sent for comments yet."))


@transaction.atomic
def comment_add(
    *,
    actor: Any,
    minutes: Minutes,
    body: str,
    item: MinutesItem | None = None,
    now: datetime | None = None,
) -> Comment:
    """A member's comment on `minutes` (on `item`, or on the whole), while the window is open.

    The same text by the same person on the same target within core.submission's
    REPEAT_MINUTES is not stored twice: the existing comment is returned, marked
    (`mark_repeated`) and without a new audit entry. Errors: DomainError (window closed,
    not a member, empty text, an item of other minutes)."""
    now = now or timezone.now()
    _check_window(minutes, now)
    person = _commenter(actor, minutes)
    if not body.strip():
        raise DomainError({"body": _("Write a comment.")})
    if item is not None and item.minutes_id != minutes.pk:
        raise DomainError({"item": _("Choose an item of these minutes.")})
    same = Comment.objects.filter(
        minutes=minutes,
        item=item,
        author=person,
        body=body.strip(),
        created_at__gte=repeat_since(now),
    ).first()
    if same is not None:  # the back button and a second post: land on the comment there
        return mark_repeated(same)
    comment = Comment.objects.create(minutes=minutes, item=item, author=person, body=body.strip())
    audit_record(actor=actor, action="comment.add", obj=comment)
    return comment


def _own_comment(actor: Any, comment: Comment, now: datetime) -> Comment:
    """The member's own comment, locked and re-read, while it may still change: the
    window is open and the secretariat has not decided on it (a disposition stands on
    the text it was given; a later edit would leave it standing on text it never saw)."""
    _check_window(_locked(comment.minutes), now)
    person = member_person(actor)
    if person is None or person.pk != comment.author_id:
        raise DomainError(_("You can only change your own comments."))
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.disposition:
        raise DomainError(
            _(
                "The secretariat has already dealt with this comment, so it can no longer "
                "be changed or deleted."
            )
        )
    return comment


@transaction.atomic
def comment_update(
    *, actor: Any, comment: Comment, body: str, now: datetime | None = None
) -> Comment:
    now = now or timezone.now()
    comment = _own_comment(actor, comment, now)
    if not body.strip():
        raise DomainError({"body": _("Write a comment.")})
    comment.body = body.strip()
    comment.save(update_fields=["body", "updated_at"])
    audit_record(actor=actor, action="comment.update", obj=comment)
    return comment


@transaction.atomic
def comment_delete(*, actor: Any, comment: Comment, now: datetime | None = None) -> None:
    now = now or timezone.now()
    comment = _own_comment(actor, comment, now)
    audit_record(
        actor=actor, action="comment.delete", obj=comment.minutes, data={"body": comment.body}
    )
    comment.delete()


@transaction.atomic
def no_remarks(*, actor: Any, minutes: Minutes, now: datetime | None = None) -> Receipt:
    """Record that the member has no remarks while the comment window is open. Raises
    DomainError outside the window, for a non-member, and once the member has commented
    (a comment is a remark)."""
    now = now or timezone.now()
    _check_window(minutes, now)
    person = _commenter(actor, minutes)
    if minutes.comments.filter(author=person).exists():
        raise DomainError(_("You have commented on the minutes, so »no remarks« does not apply."))
    receipt, _created = Receipt.objects.get_or_create(minutes=minutes, person=person)
    Receipt.objects.filter(pk=receipt.pk).update(
        no_remarks_at=now, opened_at=receipt.opened_at or now
    )
    audit_record(actor=actor, action="minutes.no_remarks", obj=minutes)
    receipt.refresh_from_db()
    return receipt


def mark_opened(*, person: Person, minutes: Minutes) -> None:
    if minutes.status == Minutes.Status.DRAFT:
        return
    receipt, _created = Receipt.objects.get_or_create(minutes=minutes, person=person)
    if receipt.opened_at is None:
        Receipt.objects.filter(pk=receipt.pk, opened_at__isnull=True).update(
            opened_at=timezone.now()
        )


@transaction.atomic
def comment_dispose(
    *, actor: Any, comment: Comment, disposition: str, note: str = "", now: datetime | None = None
) -> Comment:
    """Record the secretariat's disposition of a comment (incorporated, not incorporated
    with a reason, answered) while the comment window is open.

    The approved version is what stood when the window closed (MANDATES: comments for two
    weeks, then final approval), so after the close — even before the sweep has approved —
    a disposition is refused with a DomainError, as it is on approved minutes."""
    now = now or timezone.now()
    minutes = _locked(comment.minutes)
    if minutes.status == Minutes.Status.APPROVED:
        raise ApprovedMinutesError()
    if minutes.comments_close_at is None:
        raise DomainError(_("The minutes have not been sent for comments yet."))
    if not window_open(minutes, now):
        raise DomainError(
            _(
                "The comment window closed at the end of %(day)s; the minutes are approved "
                "as they stood then, so no disposition can be recorded."
            )
            % {"day": _day(minutes.comments_close_at)}
        )
    if disposition not in ("incorporated", "not_incorporated", "answered"):
        raise DomainError({"disposition": _("Choose a disposition.")})
    if disposition == "not_incorporated" and not note.strip():
        raise DomainError(
            {"disposition_note": _("Give the reason why the comment is not incorporated.")}
        )
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    comment.disposition, comment.disposition_note = disposition, note.strip()
    comment.disposed_at, comment.disposed_by = now, actor
    comment.save(update_fields=["disposition", "disposition_note", "disposed_at", "disposed_by"])
    audit_record(
        actor=actor, action="comment.dispose", obj=comment, data={"disposition": disposition}
    )
    return comment


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


# --- Reminders ----------------------------------------------------------------------------


def remind_comment_window(*, now: datetime) -> dict[str, int]:
    """3 days before the window closes: members who have neither commented nor marked
    "no remarks" get one reminder; the secretariat gets one warning listing the comments
    still without a disposition."""
    due = Minutes.objects.filter(
        status=Minutes.Status.SENT,
        comments_close_at__gt=now,
        comments_close_at__lte=now + timedelta(days=3),
    ).select_related("meeting__forum")
    reminded = warned = 0
    for minutes in due:
        with transaction.atomic():
            if claim_once(Minutes, minutes.pk, "member_reminder_sent_for", "comments_close_at"):
                reminded += _notify_members(
                    minutes,
                    kind="minutes_comment_reminder",
                    people=silent_members(minutes),
                    key=f"minutes-reminder:{minutes.pk}:{minutes.comments_close_at.isoformat()}",
                    context={"closes": minutes.comments_close_at},
                )
        with transaction.atomic():
            pending = list(undisposed_comments(minutes))
            if pending and claim_once(
                Minutes, minutes.pk, "disposition_warning_sent_for", "comments_close_at"
            ):
                warned += _notify_secretariat(
                    minutes,
                    kind="minutes_disposition_warning",
                    key=f"minutes-dispositions:{minutes.pk}:{minutes.comments_close_at.isoformat()}",
                    context={"comments": pending, "closes": minutes.comments_close_at},
                )
    return {"reminded": reminded, "warned": warned}


def _minutes_unsent(qs):
    return qs.filter(Q(minutes__isnull=True) | Q(minutes__status=Minutes.Status.DRAFT))


def remind_minutes_due(*, now: datetime) -> dict[str, int]:
    """The secretariat is reminded 2 working days before the minutes are due."""
    candidates = (
        _minutes_unsent(
            Meeting.objects.filter(
                is_archive=False,
                status__in=[Meeting.Status.AGENDA_SENT, Meeting.Status.HELD],
                minutes_due_at__gt=now,
                minutes_due_at__lte=now + timedelta(days=14),
            )
        )
        .filter(unsent("minutes_reminder_sent_for", "minutes_due_at"))
        .select_related("forum")
    )
    sent = 0
    for meeting in candidates:
        if now < deadlines.secretariat_reminder_from(meeting.minutes_due_at):
            continue
        with transaction.atomic():
            if claim_once(Meeting, meeting.pk, "minutes_reminder_sent_for", "minutes_due_at"):
                _notify_meeting_secretariat(meeting, "minutes_due_reminder")
                sent += 1
    return {"meetings": sent}


OVERDUE_ALERT_HORIZON = timedelta(days=60)


def alert_minutes_overdue(*, now: datetime) -> dict[str, int]:
    """One alert when the minutes deadline passes with the minutes unsent."""
    overdue = (
        _minutes_unsent(
            Meeting.objects.filter(
                is_archive=False,
                status__in=[Meeting.Status.AGENDA_SENT, Meeting.Status.HELD],
                # A horizon keeps the query on the minutes_due_at index: an alert for minutes
                # overdue longer than this (downtime of two months) would help no one.
                minutes_due_at__lt=now,
                minutes_due_at__gte=now - OVERDUE_ALERT_HORIZON,
            )
        )
        .filter(unsent("minutes_alert_sent_for", "minutes_due_at"))
        .select_related("forum")
    )
    sent = 0
    for meeting in overdue:
        with transaction.atomic():
            if claim_once(Meeting, meeting.pk, "minutes_alert_sent_for", "minutes_due_at"):
                _notify_meeting_secretariat(meeting, "minutes_overdue")
                sent += 1
    return {"meetings": sent}


def _notify_meeting_secretariat(meeting: Meeting, kind: str) -> None:
    notify_users(
        secretariat_users(),
        kind=kind,
        key=f"{kind}:{meeting.pk}:{meeting.minutes_due_at.isoformat()}",
        concerns=meeting,
        context={
            "meeting": meeting,
            "forum": meeting.forum,
            "due": meeting.minutes_due_at,
            "editor_url": reverse("minutes:editor", args=[meeting.pk]),
        },
    )


def versions_catch_up(*, now: datetime) -> dict[str, int]:
    """Versions whose PDF or e-mails a lost task left undone are processed again."""
    waiting = list(
        MinutesVersion.objects.filter(
            Q(pdf="") | Q(is_final=False, distributed_at__isnull=True),
            created_at__lt=now - timedelta(minutes=5),
        )
        # A draft of approved minutes is no longer mailed: it waits only for its PDF.
        .exclude(~Q(pdf=""), is_final=False, minutes__status=Minutes.Status.APPROVED)
        .order_by("created_at")
        .values_list("pk", flat=True)[:50]
    )
    for version_id in waiting:
        _queue_version(version_id)
    return {"versions": len(waiting)}
