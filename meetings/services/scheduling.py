"""services: Notifications, Scheduling."""

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.audit import audit_record
from core.cache_stamps import bump
from core.contributions import contributions
from core.errors import DomainError
from core.grace import pending_text
from core.search import search_index
from forums.models import Forum
from meetings import deadlines
from meetings.calendar import Recipient, invitation_ics, invitation_method
from meetings.models import (
    AgendaItem,
    Meeting,
)
from meetings.selectors import (
    forum_people,
    proposals_open,
    secretariat_users,
)
from meetings.services._common import _absolute, grace_end
from notifications.services import Attachment as MailAttachment
from notifications.services import (
    notify_people,
    notify_users,
    outbox_withdraw,
)

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


# The forums' terms of reference are from 2010: no archive entry records a meeting before.
FORUMS_FOUNDED = date(2010, 1, 1)


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
    if is_archive and day < FORUMS_FOUNDED:
        errors.setdefault("starts_at", []).append(
            _("The forums exist since %(day)s; an archive entry cannot lie before.")
            % {"day": date_format(FORUMS_FOUNDED, "j. F Y")}
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
    """Schedule a meeting of `forum` (aware datetimes), or record an earlier one as an
    archive entry (`is_archive`: held, no deadlines, no mail). DomainError {"starts_at":
    [...]} for a date against meeting_rule_errors (archive entries: past, not before
    FORUMS_FOUNDED) or when the forum already has a (not cancelled) meeting at `starts_at`."""
    now = now or timezone.now()
    errors = meeting_rule_errors(
        forum, starts_at=starts_at, ends_at=ends_at, is_archive=is_archive, now=now
    )
    if (
        Meeting.objects.filter(forum=forum, starts_at=starts_at)
        .exclude(status=Meeting.Status.CANCELLED)
        .exists()
    ):
        errors.setdefault("starts_at", []).append(
            _("%(forum)s already has a meeting at this time.") % {"forum": forum.name}
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
