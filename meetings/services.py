"""Every write about meetings, proposals, agendas and attendance.

Each function checks the state it starts from and raises a DomainError (with a Danish
message, keyed by field where one is to blame), writes inside a transaction, records an
audit entry and queues the e-mails through the outbox after commit."""

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.audit import audit_record
from core.cache_stamps import bump
from core.claims import claim_once, unsent
from core.contributions import contributions
from core.errors import DomainError
from core.grace import pending_text
from core.queue import queue_after_commit, queue_at_after_commit, send_task
from core.record_locks import attendance_locked
from core.search import search_index
from core.submission import mark_repeated, repeat_since
from forums.models import Forum, Organisation, Person
from meetings import deadlines
from meetings.attachments import (
    attachment_copy,
    attachment_store,
    attachments_check,
    attachments_store,
    check_limits,
)
from meetings.calendar import Recipient, invitation_ics, invitation_method
from meetings.models import (
    AgendaItem,
    AgendaVersion,
    Attachment,
    AttachmentPdf,
    Attendance,
    CalendarToken,
    ConversionStatus,
    Meeting,
    Presence,
    Proposal,
)
from meetings.pack import PackAttachment, PackItem
from meetings.selectors import (
    forum_people,
    items_missing_responsible,
    may_change_attachment,
    may_propose,
    member_person,
    proposals_closed_message,
    proposals_open,
    required_items_absent,
    secretariat_users,
    substitutes_for,
)
from notifications.services import Attachment as MailAttachment
from notifications.services import (
    notify_people,
    notify_users,
    outbox_enqueue,
    outbox_withdraw,
    pdf_attachment,
)


def _absolute(path: str) -> str:
    from django.conf import settings

    return f"{settings.SITE_URL}{path}"


# --- Notifications ------------------------------------------------------------------------


def _notify_members(
    meeting: Meeting,
    *,
    kind: str,
    key: str,
    context: dict | None = None,
    attachments: tuple = (),
    attachments_for=None,
    not_before: datetime | None = None,
) -> int:
    """One message per person who sits in the forum today; `key` makes it once each;
    held until `not_before` when given (a grace period)."""
    return notify_people(
        forum_people(meeting.forum),
        kind=kind,
        key=key,
        concerns=meeting,
        attachments=attachments,
        attachments_for=attachments_for,
        not_before=not_before,
        context={
            "meeting": meeting,
            "forum": meeting.forum,
            "member_url": reverse("meetings:member", args=[meeting.pk]),
            **(context or {}),
        },
    )


def _notify_secretariat(
    meeting: Meeting, *, kind: str, key: str, context: dict | None = None
) -> int:
    return notify_users(
        secretariat_users(),
        kind=kind,
        key=key,
        concerns=meeting,
        context={
            "meeting": meeting,
            "forum": meeting.forum,
            "workspace_url": reverse("meetings:workspace", args=[meeting.pk]),
            **(context or {}),
        },
    )


def meeting_mail_context(
    meeting: Meeting, *, now: datetime | None = None, before: Meeting | None = None
) -> dict:
    """What a call, move or cancel e-mail about `meeting` says beyond the meeting itself —
    one function for the e-mail and for its confirmation page's subject preview.

    `proposals_open`: the forum's proposal deadline is still ahead at `now` (only then does
    the e-mail name it); `proposals_closed`: the meeting has a proposal deadline and
    proposals are closed (passed, or the agenda went out): the e-mail says so plainly; for a move, `before` (the
    meeting as it was) gives `before_start`, `before_end` (aware datetimes), `before_place`."""
    now = now or timezone.now()
    has_deadline = meeting.proposals_close_at is not None
    still_open = has_deadline and proposals_open(meeting, now)
    context = {"proposals_open": still_open, "proposals_closed": has_deadline and not still_open}
    if before is not None:
        context |= {
            "before_start": before.starts_at,
            "before_end": before.ends_at,
            "before_place": before.place,
        }
    return context


def meeting_draft(
    forum: Forum,
    *,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    title: str = "",
    pk: int | None = None,
) -> Meeting:
    """An unsaved meeting with its deadlines computed, as scheduling (or moving meeting `pk`)
    would make it: what the confirmation page previews. Nothing is written."""
    draft = Meeting(
        pk=pk, forum=forum, starts_at=starts_at, ends_at=ends_at, place=place, title=title
    )
    _set_deadlines(draft)
    return draft


def _call_members(
    meeting: Meeting, kind: str, context: dict | None = None, not_before: datetime | None = None
) -> None:
    """The invitation (or its update, or cancellation) to every member, each with an
    iCalendar object that names them as its ATTENDEE."""
    url = _absolute(reverse("meetings:member", args=[meeting.pk]))
    mimetype = f"text/calendar; method={invitation_method(meeting)}"
    now = timezone.now()

    def invitation(person) -> tuple[MailAttachment, ...]:
        recipient = Recipient(email=person.email, name=person.name)
        ics = invitation_ics(meeting, url=url, recipient=recipient, now=now)
        return (MailAttachment("invitation.ics", mimetype, ics),)

    _notify_members(
        meeting,
        kind=kind,
        key=f"{kind}:{meeting.pk}:{meeting.sequence}",
        attachments_for=invitation,
        context=context,
        not_before=not_before,
    )


PENDING_FIELDS = ["mail_pending_kind", "mail_pending_until", "mail_pending_undo"]


def _tell_members_after_grace(
    meeting: Meeting, kind: str, context: dict, *, now: datetime, undo: dict
) -> None:
    """Write the call, move or cancel e-mails, held for the grace period (core/grace.py;
    none when settings.SEND_GRACE_MINUTES is 0), and remember what undoing restores.
    The caller saves PENDING_FIELDS with the change itself."""
    until = grace_end(now)
    held = until > now
    meeting.mail_pending_kind = kind if held else ""
    meeting.mail_pending_until = until if held else None
    meeting.mail_pending_undo = undo if held else {}
    _call_members(meeting, kind, context=context, not_before=until if held else None)


def meeting_change_check(meeting: Meeting, *, now: datetime | None = None) -> list[str]:
    """What stops `meeting` from being moved or cancelled now, as Danish sentences (empty
    list: nothing): the e-mails of the previous call, move or cancellation still waiting
    in their grace period (Meeting.mail_pending). The move and cancel confirmation pages
    show it before their button; meeting_move and meeting_cancel refuse with it."""
    if meeting.mail_pending(now or timezone.now()):
        return [
            _(
                "The e-mails of the last change have not gone out yet (%(pending)s): undo it "
                "first, or wait until they have."
            )
            % {"pending": pending_text(meeting.mail_pending_until)}
        ]
    return []


def _refuse_while_mail_pending(meeting: Meeting, now: datetime) -> None:
    problems = meeting_change_check(meeting, now=now)
    if problems:
        raise DomainError(problems[0])


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


@transaction.atomic
def meeting_mail_undo(*, actor: Any, meeting: Meeting, now: datetime | None = None):
    """ "Fortryd udsendelse" for a call, move or cancellation while its e-mails wait.

    1. lock the meeting; refuse (DomainError) once the grace period has ended — the
       e-mails are then out and a correction is a new move or a cancellation — or, for a
       call, once the meeting has proposals or an agenda (cancel it instead);
    2. withdraw the held e-mails (notifications.services.outbox_withdraw: none has left);
    3. restore the meeting: an undone call removes it; an undone move puts back its times,
       place and deadlines; an undone cancellation makes it planned again;
    4. record an audit entry. Returns the meeting, or None when an undone call removed it."""
    now = now or timezone.now()
    meeting = _lock(meeting)
    if not meeting.mail_pending(now):
        raise DomainError(_("These e-mails have gone out and can no longer be undone."))
    kind, undo = meeting.mail_pending_kind, meeting.mail_pending_undo
    if kind == "meeting_called" and (meeting.proposals.exists() or meeting.versions.exists()):
        raise DomainError(
            _("The meeting already has proposals or an agenda; cancel it instead of undoing.")
        )
    outbox_withdraw(key_prefix=f"{kind}:{meeting.pk}:{meeting.sequence}:")
    audit_record(actor=actor, action="meeting.mail_undo", obj=meeting, data={"kind": kind})
    if kind == "meeting_called":
        meeting.delete()
        return None
    for name in ("starts_at", "ends_at", "proposals_close_at", "agenda_due_at", "minutes_due_at"):
        if name in undo:
            setattr(meeting, name, datetime.fromisoformat(undo[name]) if undo[name] else None)
    if kind == "meeting_cancelled":
        meeting.status, meeting.cancelled_at, meeting.cancel_reason = undo["status"], None, ""
    meeting.place = undo.get("place", meeting.place)
    meeting.sequence = undo["sequence"]
    meeting.mail_pending_kind, meeting.mail_pending_until, meeting.mail_pending_undo = "", None, {}
    meeting.save()
    return meeting


# --- Scheduling ---------------------------------------------------------------------------


QUARTER_MONTHS = {
    1: gettext_lazy("January–March"),
    2: gettext_lazy("April–June"),
    3: gettext_lazy("July–September"),
    4: gettext_lazy("October–December"),
}


def meeting_rule_errors(
    forum: Forum, *, starts_at: datetime, ends_at: datetime, is_archive: bool, now: datetime
) -> dict[str, list[str]]:
    """The forum's mandate applied to a date: what would be wrong with it, as
    {"starts_at"|"ends_at": [Danish messages]} (empty when nothing is).

    A new meeting must lie ahead, in the forum's required quarter and after its notice; an
    archive entry (`is_archive`, issue 10 §5) must lie in the past and is held to nothing
    else, so the first meetings of 2010 can be recorded as they were held."""
    errors: dict[str, list[str]] = {}
    day = deadlines.local_day(starts_at)
    if ends_at <= starts_at:
        errors.setdefault("ends_at", []).append(_("The meeting must end after it starts."))
    if is_archive and starts_at >= now:
        errors.setdefault("starts_at", []).append(
            _("An archive entry records an earlier meeting; its date must be in the past.")
        )
    if not is_archive and starts_at < now:
        errors.setdefault("starts_at", []).append(
            _("A new meeting cannot be in the past. Record an earlier meeting as an archive entry.")
        )
    if not is_archive and not deadlines.in_required_quarter(forum, day):
        errors.setdefault("starts_at", []).append(
            _("%(forum)s meets in quarter %(quarter)d (%(months)s).")
            % {
                "forum": forum.name,
                "quarter": forum.required_quarter,
                "months": QUARTER_MONTHS[forum.required_quarter],
            }
        )
    earliest = deadlines.earliest_day_with_notice(forum, deadlines.local_day(now))
    if not is_archive and earliest and day < earliest:
        errors.setdefault("starts_at", []).append(
            ngettext(
                "%(forum)s must be called with at least %(months)d month's notice: the earliest "
                "possible date is %(day)s.",
                "%(forum)s must be called with at least %(months)d months' notice: the earliest "
                "possible date is %(day)s.",
                forum.notice_months,
            )
            % {
                "forum": forum.name,
                "months": forum.notice_months,
                "day": date_format(earliest, "j. F Y"),
            }
        )
    return errors


def _set_deadlines(meeting: Meeting) -> None:
    if meeting.is_archive:
        meeting.proposals_close_at = meeting.agenda_due_at = meeting.minutes_due_at = None
        return
    day = meeting.day
    meeting.proposals_close_at = deadlines.proposals_close(meeting.forum, day)
    meeting.agenda_due_at = deadlines.agenda_due(meeting.forum, day)
    meeting.minutes_due_at = deadlines.minutes_due(meeting.forum, day)


FOLLOW_UP_TITLE = "Opfølgning på beslutninger"


def _follow_up_item(meeting: Meeting) -> AgendaItem | None:
    """An item listing the forum's open follow-up actions, proposed on its next agenda
    (the lines come from `minutes`, through core/contributions.py)."""
    lines = [line for fn in contributions("agenda_follow_up") for line in fn(meeting)]
    if not lines:
        return None
    return AgendaItem(
        meeting=meeting,
        title=FOLLOW_UP_TITLE,
        presentation="\n".join(lines),
        treatment="orientation",
        is_standard=True,
        is_procedural=True,
    )


def _standing_item_text(forum: Forum, item: AgendaItem) -> str:
    """The text of a standing item another app owns: Partnerskabsforum's status item on
    the agreement in force, Borgmesterforum's item on area-based initiatives (`agreements`
    contributes them through core/contributions.py); "" for any other item."""
    for fn in contributions("agenda_standing_text"):
        text = fn(forum, item)
        if text:
            return text
    return ""


def _add_standard_items(meeting: Meeting) -> None:
    """The forum's standard items in order, and, where the forum has open follow-up
    actions, "Opfølgning på beslutninger" before a closing "Eventuelt"."""
    items = [
        AgendaItem(
            meeting=meeting,
            title=item.title,
            presentation=item.description,
            is_standard=True,
            is_procedural=item.is_procedural,
            # The default responsible administration, so the agenda can go without a fix.
            responsible=item.responsible,
            standard_item=item,
        )
        for item in meeting.forum.standard_items.order_by("position")
    ]
    for item in items:
        item.presentation = _standing_item_text(meeting.forum, item) or item.presentation
    follow_up = _follow_up_item(meeting)
    if follow_up:
        at = len(items) - 1 if items and items[-1].title == "Eventuelt" else len(items)
        items.insert(at, follow_up)
    for position, item in enumerate(items, start=1):
        item.position = position
    AgendaItem.objects.bulk_create(items)


@transaction.atomic
def meeting_schedule(
    *,
    actor: Any,
    forum: Forum,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    title: str = "",
    is_archive: bool = False,
    now: datetime | None = None,
) -> Meeting:
    now = now or timezone.now()
    errors = meeting_rule_errors(
        forum, starts_at=starts_at, ends_at=ends_at, is_archive=is_archive, now=now
    )
    if errors:
        raise DomainError(errors)
    meeting = Meeting(
        forum=forum,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place or forum.default_place,
        title=title,
        is_archive=is_archive,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        status=Meeting.Status.HELD if is_archive else Meeting.Status.PLANNED,
    )
    _set_deadlines(meeting)
    meeting.save()
    if not is_archive:
        _add_standard_items(meeting)
        _tell_members_after_grace(
            meeting,
            "meeting_called",
            meeting_mail_context(meeting, now=now),
            now=now,
            undo={"delete": True},
        )
        meeting.save(update_fields=PENDING_FIELDS)
    audit_record(
        actor=actor,
        action="meeting.archive" if is_archive else "meeting.schedule",
        obj=meeting,
        data={"starts_at": starts_at.isoformat()},
    )
    bump("meetings", f"meeting:{meeting.pk}")  # public pages show it (core/cache_stamps.py)
    search_index(meeting)
    return meeting


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("forum").get(pk=meeting.pk)


@transaction.atomic
def meeting_move(
    *,
    actor: Any,
    meeting: Meeting,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    now: datetime | None = None,
) -> Meeting:
    """Move a planned meeting: every deadline is computed again (which re-arms the
    reminders) and the members get an updated invitation."""
    now = now or timezone.now()
    meeting = _lock(meeting)
    if meeting.is_archive or not meeting.is_active:
        raise DomainError(_("Only a planned meeting can be moved."))
    _refuse_while_mail_pending(meeting, now)
    errors = meeting_rule_errors(
        meeting.forum, starts_at=starts_at, ends_at=ends_at, is_archive=False, now=now
    )
    if errors:
        raise DomainError(errors)
    before = Meeting(starts_at=meeting.starts_at, ends_at=meeting.ends_at, place=meeting.place)
    undo = {
        name: _iso(getattr(meeting, name))
        for name in (
            "starts_at",
            "ends_at",
            "proposals_close_at",
            "agenda_due_at",
            "minutes_due_at",
        )
    } | {"place": meeting.place, "sequence": meeting.sequence}
    meeting.starts_at, meeting.ends_at, meeting.place = starts_at, ends_at, place or meeting.place
    meeting.sequence += 1
    _set_deadlines(meeting)
    meeting.save(
        update_fields=[
            "starts_at",
            "ends_at",
            "place",
            "sequence",
            "proposals_close_at",
            "agenda_due_at",
            "minutes_due_at",
        ]
    )
    _tell_members_after_grace(
        meeting,
        "meeting_moved",
        meeting_mail_context(meeting, now=now, before=before),
        now=now,
        undo=undo,
    )
    meeting.save(update_fields=PENDING_FIELDS)
    audit_record(
        actor=actor,
        action="meeting.move",
        obj=meeting,
        data={"from": before.starts_at.isoformat(), "to": starts_at.isoformat()},
    )
    bump("meetings", f"meeting:{meeting.pk}")
    search_index(meeting)
    return meeting


@transaction.atomic
def meeting_cancel(
    *, actor: Any, meeting: Meeting, reason: str, now: datetime | None = None
) -> Meeting:
    """Cancel a planned meeting; the members get a cancellation (iCalendar CANCEL), held
    for the grace period, during which meeting_mail_undo makes the meeting planned again."""
    now = now or timezone.now()
    meeting = _lock(meeting)
    if meeting.is_archive or not meeting.is_active:
        raise DomainError(_("Only a planned meeting can be cancelled."))
    _refuse_while_mail_pending(meeting, now)
    if not reason.strip():
        raise DomainError({"reason": _("Give the members a reason.")})
    undo = {"status": meeting.status, "sequence": meeting.sequence}
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancelled_at = now
    meeting.cancel_reason = reason.strip()
    meeting.sequence += 1
    _tell_members_after_grace(meeting, "meeting_cancelled", {}, now=now, undo=undo)
    meeting.save(
        update_fields=["status", "cancelled_at", "cancel_reason", "sequence", *PENDING_FIELDS]
    )
    audit_record(actor=actor, action="meeting.cancel", obj=meeting, data={"reason": reason})
    bump("meetings", f"meeting:{meeting.pk}")
    search_index(meeting)
    return meeting


# --- Proposals ----------------------------------------------------------------------------


def _check_proposal_window(actor: Any, meeting: Meeting, now: datetime) -> None:
    if not may_propose(actor, meeting):
        raise DomainError(_("You cannot propose items for this meeting."))
    if not proposals_open(meeting, now):
        raise DomainError(proposals_closed_message(meeting, now))


@transaction.atomic
def proposal_submit(
    *,
    actor: Any,
    meeting: Meeting,
    title: str,
    description: str,
    treatment: str,
    responsible: Organisation | None = None,
    files=(),
    now: datetime | None = None,
) -> Proposal:
    """A member's proposal for an agenda item of `meeting`, while proposals are open.

    The same proposal (title, description, treatment, responsible, and no other files than
    those it already has) by the same person on the same meeting within core.submission's
    REPEAT_MINUTES is not stored twice: the existing one is returned, marked
    (`mark_repeated`). Errors: DomainError (proposals closed, not allowed to propose)."""
    now = now or timezone.now()
    meeting = _lock(meeting)
    _check_proposal_window(actor, meeting, now)
    files = list(files)
    same = _same_recent_proposal(
        actor, meeting, now, title, description, treatment, responsible, files
    )
    if same is not None:
        return mark_repeated(same)
    proposal = Proposal.objects.create(
        meeting=meeting,
        proposer=actor,
        title=title,
        description=description,
        treatment=treatment,
        responsible=responsible,
    )
    attachments_store(uploads=files, user=actor, proposal=proposal)
    audit_record(actor=actor, action="proposal.submit", obj=proposal, data={"meeting": meeting.pk})
    search_index(meeting)
    return proposal


def _same_files(attachments, files) -> bool:
    """True when the uploads add nothing: none, or the same names as the row's files."""
    names = sorted(a.name for a in attachments)
    return not files or sorted(f.name for f in files) == names


def _same_recent_proposal(actor, meeting, now, title, description, treatment, responsible, files):
    for proposal in Proposal.objects.filter(
        meeting=meeting,
        proposer=actor,
        title=title,
        description=description,
        treatment=treatment,
        responsible=responsible,
        created_at__gte=repeat_since(now),
    ).prefetch_related("attachments"):
        if _same_files(proposal.attachments.all(), files):
            return proposal
    return None


def _check_own_open_proposal(actor: Any, proposal: Proposal, now: datetime) -> None:
    if proposal.proposer_id != actor.pk and not actor.is_secretariat:
        raise DomainError(_("Only the proposer can change the proposal."))
    if proposal.status != Proposal.Status.SUBMITTED:
        raise DomainError(_("The proposal has already been decided on or withdrawn."))
    if not proposals_open(proposal.meeting, now):
        raise DomainError(proposals_closed_message(proposal.meeting, now))


@transaction.atomic
def proposal_update(
    *,
    actor: Any,
    proposal: Proposal,
    title: str,
    description: str,
    treatment: str,
    responsible: Organisation | None = None,
    files=(),
    now: datetime | None = None,
) -> Proposal:
    now = now or timezone.now()
    proposal = (
        Proposal.objects.select_for_update().select_related("meeting__forum").get(pk=proposal.pk)
    )
    _check_own_open_proposal(actor, proposal, now)
    proposal.title, proposal.description, proposal.treatment = title, description, treatment
    proposal.responsible = responsible
    proposal.save(update_fields=["title", "description", "treatment", "responsible", "updated_at"])
    attachments_store(uploads=files, user=actor, proposal=proposal)
    audit_record(actor=actor, action="proposal.update", obj=proposal)
    search_index(proposal.meeting)
    return proposal


@transaction.atomic
def proposal_withdraw(*, actor: Any, proposal: Proposal, now: datetime | None = None) -> Proposal:
    now = now or timezone.now()
    proposal = (
        Proposal.objects.select_for_update().select_related("meeting__forum").get(pk=proposal.pk)
    )
    _check_own_open_proposal(actor, proposal, now)
    proposal.status = Proposal.Status.WITHDRAWN
    proposal.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="proposal.withdraw", obj=proposal)
    search_index(proposal.meeting)
    return proposal


def _decidable(proposal: Proposal) -> Proposal:
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("meeting__forum", "proposer")
        .get(pk=proposal.pk)
    )
    if proposal.status != Proposal.Status.SUBMITTED:
        raise DomainError(_("The proposal has already been decided on or withdrawn."))
    if not proposal.meeting.is_active:
        raise DomainError(_("The meeting is no longer planned."))
    return proposal


def _tell_proposer(proposal: Proposal, outcome: str) -> None:
    if proposal.proposer and proposal.proposer.email:
        outbox_enqueue(
            kind="proposal_decided",
            key=f"proposal-decided:{proposal.pk}:{outcome}:{proposal.meeting_id}",
            to=proposal.proposer.email,
            user=proposal.proposer,
            concerns=proposal,
            context={
                "proposal": proposal,
                "outcome": outcome,
                "meeting": proposal.meeting,
                "member_url": reverse("meetings:member", args=[proposal.meeting_id]),
            },
        )


def _next_position(meeting: Meeting) -> int:
    """Before "Eventuelt" where the agenda ends with it, else at the end."""
    last = meeting.items.order_by("-position").first()
    if last is None:
        return 1
    if last.is_standard and last.title == "Eventuelt":
        meeting.items.filter(position__gte=last.position).update(position=F("position") + 1)
        return last.position
    return last.position + 1


@transaction.atomic
def proposal_accept(*, actor: Any, proposal: Proposal) -> AgendaItem:
    proposal = _decidable(proposal)
    item = AgendaItem.objects.create(
        meeting=proposal.meeting,
        position=_next_position(proposal.meeting),
        title=proposal.title,
        presentation=proposal.description,
        treatment=proposal.treatment,
        responsible=proposal.responsible,
        # A closed item referred from another forum stays closed (never public).
        is_closed=bool(proposal.referred_from_id and proposal.referred_from.is_closed),
        from_proposal=proposal,
    )
    proposal.attachments.update(item=item)
    proposal.status, proposal.decided_at = Proposal.Status.ACCEPTED, timezone.now()
    proposal.save(update_fields=["status", "decided_at", "updated_at"])
    _tell_proposer(proposal, "accepted")
    audit_record(actor=actor, action="proposal.accept", obj=proposal, data={"item": item.pk})
    search_index(proposal.meeting)
    return item


@transaction.atomic
def proposal_decline(*, actor: Any, proposal: Proposal, reason: str) -> Proposal:
    if not reason.strip():
        raise DomainError({"reason": _("Give the proposer a reason.")})
    proposal = _decidable(proposal)
    proposal.status, proposal.decided_at = Proposal.Status.DECLINED, timezone.now()
    proposal.decision_reason = reason.strip()
    proposal.save(update_fields=["status", "decided_at", "decision_reason", "updated_at"])
    _tell_proposer(proposal, "declined")
    audit_record(actor=actor, action="proposal.decline", obj=proposal, data={"reason": reason})
    search_index(proposal.meeting)
    return proposal


@transaction.atomic
def proposal_move(*, actor: Any, proposal: Proposal, meeting: Meeting) -> Proposal:
    proposal = _decidable(proposal)
    if (
        meeting.forum_id != proposal.meeting.forum_id
        or not meeting.is_active
        or meeting.pk == proposal.meeting_id
    ):
        raise DomainError({"meeting": _("Choose another planned meeting of the same forum.")})
    source = proposal.meeting_id
    proposal.meeting = meeting
    proposal.save(update_fields=["meeting", "updated_at"])
    _tell_proposer(proposal, "moved")
    audit_record(
        actor=actor, action="proposal.move", obj=proposal, data={"from": source, "to": meeting.pk}
    )
    search_index(meeting)
    return proposal


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


def agenda_send_check(meeting: Meeting) -> list[str]:
    """What stops the agenda of `meeting` from being sent, as Danish sentences (empty list:
    nothing). The confirmation page shows them before its button; agenda_send refuses
    with the first (DomainError). Checks, in order: the meeting is planned (not held or
    cancelled), it has items, every item the forum requires it of has a responsible
    administration (items_missing_responsible), and the terms of reference's required
    items are on it (required_items_absent, MANDATES.md)."""
    if not meeting.is_active or meeting.is_archive:
        return [_("The agenda of a held or cancelled meeting cannot be sent.")]
    if not meeting.items.exists():
        return [_("The agenda has no items.")]
    problems = []
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
    problems = agenda_send_check(meeting)
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


def grace_end(now: datetime, minutes: int | None = None) -> datetime:
    """When a send made at `now` leaves: `now` + `minutes` (default
    settings.SEND_GRACE_MINUTES, ≥ 0)."""
    from django.conf import settings

    return now + timedelta(minutes=settings.SEND_GRACE_MINUTES if minutes is None else minutes)


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


# --- Referral -----------------------------------------------------------------------------


@transaction.atomic
def item_refer(*, actor: Any, item: AgendaItem, meeting: Meeting) -> Proposal:
    """Refer the matter of `item` to another forum's meeting: a proposal there carrying
    the title, description and attachments, linked back to the item."""
    target = _lock(meeting)
    if target.forum_id == item.meeting.forum_id:
        raise DomainError({"meeting": _("Choose a meeting of another forum.")})
    if target.status != Meeting.Status.PLANNED or target.is_archive:
        raise DomainError(
            {"meeting": _("Choose a planned meeting whose agenda has not been sent.")}
        )
    description = "\n\n".join(part for part in (item.presentation, item.recommendation) if part)
    proposal = Proposal.objects.create(
        meeting=target,
        proposer=actor,
        title=item.title,
        description=description or item.title,
        treatment=item.treatment,
        responsible=item.responsible,
        referred_from=item,
    )
    for attachment in item.attachments.all():
        attachment_copy(attachment, proposal=proposal)
    audit_record(
        actor=actor,
        action="item.refer",
        obj=item,
        data={"proposal": proposal.pk, "meeting": target.pk},
    )
    search_index(target)
    return proposal


# --- Attachments --------------------------------------------------------------------------


def _attachment_owner(attachment: Attachment) -> dict:
    """The rows the attachment is ordered among: its item's, else its proposal's."""
    if attachment.item_id:
        return {"item_id": attachment.item_id}
    return {"proposal_id": attachment.proposal_id}


def _check_may_change_attachment(actor: Any, attachment: Attachment, now: datetime) -> Attachment:
    """The attachment as stored now (locked, with its owner read afresh: a caller's copy
    may hold a proposal whose status has since changed), if `actor` may change it."""
    attachment = (
        Attachment.all_objects.select_for_update(of=("self",))
        .select_related("item__meeting", "proposal__meeting")
        .get(pk=attachment.pk)
    )
    if attachment.removed_at is not None or not may_change_attachment(actor, attachment, now=now):
        raise DomainError(
            _(
                "Only the secretariat while the meeting is coming, or the proposer until the "
                "proposal closes, can change this attachment."
            )
        )
    return attachment


def _sent_with_a_version(attachment: Attachment) -> bool:
    item = attachment.item
    if item is None:
        return False
    return any(
        a["id"] == attachment.pk
        for version in item.meeting.versions.all()
        for sent in version.items
        for a in sent["attachments"]
    )


def _take_away(attachment: Attachment, now: datetime) -> None:
    """Hide the attachment from its item or proposal. One that went out with a sent agenda
    version is kept (removed_at) for that version's history; any other row is deleted, and
    its file too unless another row (a referral's copy) shares it."""
    if _sent_with_a_version(attachment):
        Attachment.all_objects.filter(pk=attachment.pk).update(removed_at=now)
        return
    name = attachment.file.name
    Attachment.all_objects.filter(pk=attachment.pk).delete()
    if not Attachment.all_objects.filter(file=name).exists():
        attachment.file.storage.delete(name)


@transaction.atomic
def attachment_remove(*, actor: Any, attachment: Attachment, now: datetime | None = None) -> None:
    """Remove an attachment (issue 13 §4). Raises DomainError unless the actor may change
    it (_check_may_change_attachment). A version already sent keeps offering it."""
    now = now or timezone.now()
    attachment = _check_may_change_attachment(actor, attachment, now)
    _take_away(attachment, now)
    audit_record(
        actor=actor,
        action="attachment.remove",
        obj=attachment.item or attachment.proposal,
        data={"attachment": attachment.pk, "name": attachment.name},
    )


@transaction.atomic
def attachment_replace(
    *, actor: Any, attachment: Attachment, upload, now: datetime | None = None
) -> Attachment:
    """Put a new file in the attachment's place (same owner, same position); the old one is
    removed as by attachment_remove. The upload is checked by content (meetings.attachments);
    a refusal is a DomainError at the `file` field. Returns the new attachment."""
    now = now or timezone.now()
    attachment = _check_may_change_attachment(actor, attachment, now)
    owner = {"item": attachment.item} if attachment.item_id else {"proposal": attachment.proposal}
    held = Attachment.objects.filter(**_attachment_owner(attachment)).exclude(pk=attachment.pk)
    try:
        check_limits(
            [upload],
            existing_count=held.count(),
            existing_size=sum(held.values_list("size", flat=True)),
        )
        new = attachment_store(upload=upload, user=actor, **owner)
    except ValidationError as exc:
        raise DomainError({"file": exc.messages}) from None
    if attachment.item_id and attachment.proposal_id:
        new.proposal_id = attachment.proposal_id
    new.position = attachment.position
    new.save(update_fields=["position", "proposal"])
    Attachment.objects.filter(pk=new.pk).update(uploaded_at=attachment.uploaded_at)
    _take_away(attachment, now)
    audit_record(
        actor=actor,
        action="attachment.replace",
        obj=attachment.item or attachment.proposal,
        data={"attachment": attachment.pk, "by": new.pk, "name": new.name},
    )
    return new


@transaction.atomic
def attachment_shift(
    *, actor: Any, attachment: Attachment, step: int, now: datetime | None = None
) -> None:
    """Move an attachment one place up (step=-1) or down (step=+1) among its item's (else
    its proposal's) attachments; the order is then 1..n. At either end: a DomainError."""
    now = now or timezone.now()
    attachment = _check_may_change_attachment(actor, attachment, now)
    siblings = list(Attachment.objects.select_for_update().filter(**_attachment_owner(attachment)))
    index = next(i for i, a in enumerate(siblings) if a.pk == attachment.pk)
    target = index + step
    if not 0 <= target < len(siblings):
        raise DomainError(_("The attachment cannot move further."))
    siblings[index], siblings[target] = siblings[target], siblings[index]
    for number, sibling in enumerate(siblings, start=1):
        Attachment.objects.filter(pk=sibling.pk).update(position=number)
    audit_record(
        actor=actor,
        action="attachment.move",
        obj=attachment.item or attachment.proposal,
        data={"attachment": attachment.pk, "position": target + 1},
    )


# --- Attendance ---------------------------------------------------------------------------


@transaction.atomic
def attendance_register(
    *,
    actor: Any,
    meeting: Meeting,
    person: Person,
    status: str,
    substitute: Person | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Attendance:
    now = now or timezone.now()
    if not meeting.is_active or now >= meeting.starts_at:
        raise DomainError(_("Attendance can be registered until the meeting starts."))
    own = member_person(actor)
    if not actor.is_secretariat and (own is None or own.pk != person.pk):
        raise DomainError(_("You can only register your own attendance."))
    if person.pk not in {p.pk for p in forum_people(meeting.forum)}:
        raise DomainError(_("%(name)s is not a member of the forum.") % {"name": person.name})
    if substitute is not None:
        if status != "absent":
            raise DomainError(
                {"substitute": _("A substitute attends only when the member is absent.")}
            )
        allowed = {p.pk for p in substitutes_for(person, meeting.forum, on=meeting.day)}
        if substitute.pk not in allowed:
            raise DomainError(
                {
                    "substitute": _("%(name)s is not a substitute for this seat.")
                    % {"name": substitute.name}
                }
            )
    attendance, _created = Attendance.objects.update_or_create(
        meeting=meeting,
        person=person,
        defaults={"status": status, "substitute": substitute, "note": note},
    )
    audit_record(
        actor=actor,
        action="attendance.register",
        obj=meeting,
        data={"person": person.pk, "status": status},
    )
    return attendance


def _presence_errors(
    meeting: Meeting, person: Person, status: str, substitute: Person | None
) -> dict[str, str]:
    """Why one row of recorded attendance is wrong, keyed `status_<id>`/`substitute_<id>`."""
    if status not in Presence.Status.values:
        return {f"status_{person.pk}": _("Choose a valid attendance.")}
    seat_substitutes = substitutes_for(person, meeting.forum, on=meeting.day)
    if status == Presence.Status.REPRESENTED and not seat_substitutes:
        return {
            f"status_{person.pk}": _(
                "%(name)s's seat has no substitute, so the member cannot have been represented."
            )
            % {"name": person.name}
        }
    if status == Presence.Status.REPRESENTED and substitute is None:
        return {f"substitute_{person.pk}": _("Name the substitute who represented the member.")}
    if status != Presence.Status.REPRESENTED and substitute is not None:
        return {
            f"substitute_{person.pk}": _(
                "A substitute is named only when the member was represented."
            )
        }
    if substitute is not None and substitute.pk not in {p.pk for p in seat_substitutes}:
        return {
            f"substitute_{person.pk}": _("%(name)s is not a substitute for this seat.")
            % {"name": substitute.name}
        }
    return {}


@transaction.atomic
def presence_record(
    *,
    actor: Any,
    meeting: Meeting,
    entries: list[tuple[Person, str, Person | None]],
    now: datetime | None = None,
) -> list[Presence]:
    """Record who was actually at the meeting (issue 13 §4): one (person, status,
    substitute) per member; status is a `PresenceStatus` value, or "" to clear the row.

    Secretariat only, from the meeting's start onwards (at or after the meeting), not for a
    cancelled meeting; every person must sit in the forum on the meeting's day (or already
    have a row); a substitute is named exactly when the member was represented, and must
    hold the member's seat as substitute; the seat must have a substitute at all for
    "represented". Once the minutes are approved the record is frozen with them
    (core.record_locks, registered by `minutes`). All rows or none are written; a refusal is a
    DomainError keyed `status_<person id>`/`substitute_<person id>`. The members' own
    answers (Attendance) are never touched. Returns the rows now recorded."""
    now = now or timezone.now()
    if not actor.is_secretariat:
        raise DomainError(_("Only the secretariat records who attended."))
    if meeting.status == Meeting.Status.CANCELLED:
        raise DomainError(_("The meeting is cancelled; there is no attendance to record."))
    if now < meeting.starts_at:
        raise DomainError(_("Attendance is recorded when the meeting has started."))
    frozen = attendance_locked(meeting)
    if frozen:
        raise DomainError(frozen)
    allowed = {p.pk for p in forum_people(meeting.forum, on=meeting.day)}
    allowed |= set(meeting.presence.values_list("person_id", flat=True))
    errors: dict[str, str] = {}
    for person, status, substitute in entries:
        if person.pk not in allowed:
            errors[f"status_{person.pk}"] = _("%(name)s is not a member of the forum.") % {
                "name": person.name
            }
        elif status:
            errors.update(_presence_errors(meeting, person, status, substitute))
    if errors:
        raise DomainError(errors)
    recorded = {}
    for person, status, substitute in entries:
        if not status:
            Presence.objects.filter(meeting=meeting, person=person).delete()
            continue
        Presence.objects.update_or_create(
            meeting=meeting,
            person=person,
            defaults={
                "status": status,
                "substitute": substitute,
                "recorded_at": now,
                "recorded_by": actor,
            },
        )
        recorded[str(person.pk)] = [status, substitute.pk if substitute else None]
    audit_record(actor=actor, action="presence.record", obj=meeting, data=recorded)
    return list(meeting.presence.select_related("person", "substitute"))


# --- The sweep ----------------------------------------------------------------------------


def _armed(column: str, deadline_column: str):
    """Planned meetings whose reminder in `column` is not yet sent for the deadline."""
    return Meeting.objects.filter(
        unsent(column, deadline_column), status=Meeting.Status.PLANNED, is_archive=False
    )


def remind_proposals(*, now: datetime) -> dict[str, int]:
    """Members are reminded 3 days before proposals close; once per meeting and deadline."""
    due = (
        _armed("proposal_reminder_sent_for", "proposals_close_at")
        .filter(proposals_close_at__gt=now, proposals_close_at__lte=now + timedelta(days=3))
        .select_related("forum")
    )
    sent = 0
    for meeting in due:
        with transaction.atomic():
            if claim_once(Meeting, meeting.pk, "proposal_reminder_sent_for", "proposals_close_at"):
                _notify_members(
                    meeting,
                    kind="proposal_reminder",
                    key=f"proposal-reminder:{meeting.pk}:{meeting.proposals_close_at.isoformat()}",
                    context={"closes": meeting.proposals_close_at},
                )
                sent += 1
    return {"meetings": sent}


def remind_agenda(*, now: datetime) -> dict[str, int]:
    """The secretariat is reminded 2 working days before the agenda is due."""
    candidates = (
        _armed("agenda_reminder_sent_for", "agenda_due_at")
        .filter(agenda_due_at__gt=now, agenda_due_at__lte=now + timedelta(days=14))
        .select_related("forum")
    )
    sent = 0
    for meeting in candidates:
        due_day = deadlines.local_day(meeting.agenda_due_at)
        if now < deadlines.secretariat_reminder_from(meeting.agenda_due_at):
            continue
        with transaction.atomic():
            if claim_once(Meeting, meeting.pk, "agenda_reminder_sent_for", "agenda_due_at"):
                _notify_secretariat(
                    meeting,
                    kind="agenda_reminder",
                    key=f"agenda-reminder:{meeting.pk}:{meeting.agenda_due_at.isoformat()}",
                    context={
                        "due": meeting.agenda_due_at,
                        "non_working": deadlines.non_working_day(due_day),
                        "act_by": deadlines.act_by(due_day),
                    },
                )
                sent += 1
    return {"meetings": sent}


def alert_agenda_overdue(*, now: datetime) -> dict[str, int]:
    """One alert to the secretariat when the agenda deadline has passed unsent."""
    overdue = (
        _armed("agenda_alert_sent_for", "agenda_due_at")
        .filter(agenda_due_at__lt=now, starts_at__gt=now)
        .select_related("forum")
    )
    sent = 0
    for meeting in overdue:
        with transaction.atomic():
            if claim_once(Meeting, meeting.pk, "agenda_alert_sent_for", "agenda_due_at"):
                _notify_secretariat(
                    meeting,
                    kind="agenda_overdue",
                    key=f"agenda-overdue:{meeting.pk}:{meeting.agenda_due_at.isoformat()}",
                    context={"due": meeting.agenda_due_at},
                )
                sent += 1
    return {"meetings": sent}


def mark_held(*, now: datetime) -> dict[str, int]:
    """A meeting whose end has passed is held (stored; pages derive the same rule at once
    through `Meeting.status_at`)."""
    due = Meeting.objects.filter(
        status__in=[Meeting.Status.PLANNED, Meeting.Status.AGENDA_SENT], ends_at__lt=now
    )
    ids = list(due.values_list("pk", flat=True))
    count = due.filter(pk__in=ids).update(status=Meeting.Status.HELD) if ids else 0
    if count:
        bump("meetings", *(f"meeting:{pk}" for pk in ids))
    return {"held": count}


def agenda_catch_up(*, now: datetime) -> dict[str, int]:
    """Versions whose PDF or e-mails a lost task left undone are processed again."""
    waiting = list(
        AgendaVersion.objects.filter(
            Q(send_after__isnull=True) | Q(send_after__lte=now),
            distributed_at__isnull=True,
            created_at__lt=now - timedelta(minutes=5),
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:50]
    )
    for version_id in waiting:
        _queue_processing(version_id)
    return {"versions": len(waiting)}


def calendar_token_renew(*, actor: Any, user: Any) -> CalendarToken:
    """Give `user` a new personal feed address (``/kalender/<token>.ics``, 32 random bytes,
    URL-safe); the old address stops working at once. Called by the member from their
    dashboard and by a superuser's admin action (a leaked address); the audit entry
    ("calendar.renew") names who did it, never the token."""
    with transaction.atomic():
        token, _created = CalendarToken.objects.update_or_create(
            user=user, defaults={"token": secrets.token_urlsafe(32)}
        )
        audit_record(actor=actor, action="calendar.renew", obj=user)
    return token
