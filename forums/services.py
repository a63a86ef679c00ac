"""Every write to forums, organisations, people, memberships and theme groups."""

from datetime import date, datetime, timedelta
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.cache_stamps import bump
from core.errors import DomainError
from forums.models import (
    Forum,
    Membership,
    Organisation,
    Person,
    Seat,
    StandardAgendaItem,
    ThemeGroup,
    ThemeGroupMember,
    ThemeGroupReport,
    ThemeGroupReportDocument,
)


def _save(instance: models.Model, *, actor: Any, action: str, data: dict | None = None):
    """Validate every rule of the model (fields, constraints, clean), save and audit."""
    instance.full_clean()
    instance.save()
    audit_record(actor=actor, action=action, obj=instance, data=data)
    bump("forums")  # forums, seats and members show on public pages (core/cache_stamps.py)
    return instance


def _apply(instance: models.Model, fields: dict) -> None:
    for name, value in fields.items():
        setattr(instance, name, value)


@transaction.atomic
def organisation_save(*, actor: Any, organisation: Organisation, **fields) -> Organisation:
    action = "organisation.update" if organisation.pk else "organisation.create"
    _apply(organisation, fields)
    return _save(organisation, actor=actor, action=action)


@transaction.atomic
def person_save(*, actor: Any, person: Person, **fields) -> Person:
    action = "person.update" if person.pk else "person.create"
    _apply(person, fields)
    return _save(person, actor=actor, action=action)


def _lock_seat(seat_id: int | None) -> None:
    """Serialise changes to one seat so that two concurrent saves cannot over-fill it."""
    if seat_id:
        list(Seat.objects.select_for_update().filter(pk=seat_id).values_list("pk", flat=True))


@transaction.atomic
def membership_save(*, actor: Any, membership: Membership, **fields) -> Membership:
    action = "membership.update" if membership.pk else "membership.create"
    _apply(membership, fields)
    _lock_seat(membership.seat_id)
    return _save(membership, actor=actor, action=action)


@transaction.atomic
def membership_end(*, actor: Any, membership: Membership, ends_on: date) -> Membership:
    if membership.ends_on and membership.ends_on < ends_on:
        raise DomainError(
            {
                "ends_on": _("The membership has already ended on %(day)s.")
                % {"day": date_format(membership.ends_on, "j. F Y")}
            }
        )
    membership.ends_on = ends_on
    return _save(membership, actor=actor, action="membership.end", data={"ends_on": str(ends_on)})


@transaction.atomic
def membership_replace_holder(
    *, actor: Any, membership: Membership, person: Person, starts_on: date, note: str = ""
) -> Membership:
    """People change, seats stay: end `membership` the day before `starts_on` and give the
    same seat, in the same role, to `person` from `starts_on`."""
    if membership.role == Membership.Role.SECRETARIAT:
        raise DomainError({"person": _("Only a seat holder can be replaced.")})
    if starts_on <= membership.starts_on:
        raise DomainError(
            {
                "starts_on": _(
                    "The new holder must start after the current holder started (%(day)s)."
                )
                % {"day": date_format(membership.starts_on, "j. F Y")}
            }
        )
    if membership.ends_on and membership.ends_on < starts_on - timedelta(days=1):
        raise DomainError(
            {
                "starts_on": _(
                    "The current holder already left on %(day)s; add a new membership instead."
                )
                % {"day": date_format(membership.ends_on, "j. F Y")}
            }
        )
    if person.pk == membership.person_id:
        raise DomainError({"person": _("Choose another person than the current holder.")})
    _lock_seat(membership.seat_id)
    membership.ends_on = starts_on - timedelta(days=1)
    _save(
        membership, actor=actor, action="membership.end", data={"ends_on": str(membership.ends_on)}
    )
    successor = Membership(
        person=person,
        forum=membership.forum,
        seat=membership.seat,
        role=membership.role,
        starts_on=starts_on,
        note=note,
        replaces=membership,
    )
    return _save(
        successor,
        actor=actor,
        action="membership.replace",
        data={"replaces": membership.pk, "previous_holder": str(membership.person)},
    )


@transaction.atomic
def theme_group_save(*, actor: Any, theme_group: ThemeGroup, **fields) -> ThemeGroup:
    action = "theme_group.update" if theme_group.pk else "theme_group.create"
    _apply(theme_group, fields)
    return _save(theme_group, actor=actor, action=action)


@transaction.atomic
def theme_group_member_add(
    *, actor: Any, theme_group: ThemeGroup, person: Person, side: str, is_chair: bool = False
) -> ThemeGroupMember:
    member = ThemeGroupMember(theme_group=theme_group, person=person, side=side, is_chair=is_chair)
    member.full_clean()
    member.save()
    audit_record(
        actor=actor,
        action="theme_group.member_add",
        obj=theme_group,
        data={"person": person.pk, "side": side},
    )
    bump("forums")
    return member


@transaction.atomic
def theme_group_member_remove(*, actor: Any, member: ThemeGroupMember) -> None:
    theme_group, person_id = member.theme_group, member.person_id
    member.delete()
    audit_record(
        actor=actor, action="theme_group.member_remove", obj=theme_group, data={"person": person_id}
    )
    bump("forums")


# --- Theme group reports (issue 14 §6) -----------------------------------------------------
# A theme group reports to the forum that set it up (MANDATES.md, "the flow between the
# forums"): its report becomes an agenda proposal of that forum. Proposals and their
# attachments belong to `meetings`, so these services reach up into it on purpose, inside
# the functions (forums is imported by meetings).


def _report_document_store(report: ThemeGroupReport, upload) -> ThemeGroupReportDocument:
    from meetings.attachments import clean_name, storage_name, validate_upload

    content_type, extension = validate_upload(upload)  # the agenda attachments' own check
    name = clean_name(upload.name, extension)
    document = ThemeGroupReportDocument(
        report=report, name=name, content_type=content_type, size=upload.size
    )
    document.file.save(storage_name(name), upload, save=False)
    document.save()
    return document


@transaction.atomic
def theme_group_report_submit(
    *,
    actor: Any,
    theme_group: ThemeGroup,
    title: str,
    text: str,
    due_on: date | None = None,
    files=(),
    now: datetime | None = None,
) -> ThemeGroupReport:
    """Store a theme group's report, submitted by the secretariat on the group's behalf,
    with its documents (PDF, DOCX, XLSX, PPTX, ODT, PNG, JPEG, checked by content as
    agenda attachments are), and make it a proposal to the parent forum's next meeting
    whose proposal window is open (`theme_group_report_propose`); without one it waits.

    `due_on`: the report date it answers (one of `theme_group_report_dates_open` up to
    today), or None for a report between the dates. Errors: DomainError (a date already
    answered, not one of the group's dates, or the group has ended); ValidationError from
    the document check (a field error on `files`)."""
    from meetings.attachments import check_limits

    now = now or timezone.now()
    theme_group = ThemeGroup.objects.select_for_update().get(pk=theme_group.pk)
    today = timezone.localdate(now)
    if theme_group.ends_on and theme_group.ends_on < today:
        raise DomainError(_("The theme group has ended and reports no more."))
    if due_on is not None and theme_group.reports.filter(due_on=due_on).exists():
        raise DomainError({"due_on": _("A report for this date has already been submitted.")})
    if due_on is not None and due_on not in theme_group.report_due_dates(until=due_on):
        raise DomainError({"due_on": _("Choose one of the theme group's report dates.")})
    files = list(files)
    check_limits(files)
    report = ThemeGroupReport.objects.create(
        theme_group=theme_group,
        due_on=due_on,
        title=title,
        text=text,
        submitted_at=now,
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    for upload in files:
        _report_document_store(report, upload)
    audit_record(
        actor=actor,
        action="theme_group_report.submit",
        obj=report,
        data={"theme_group": theme_group.pk, "due_on": due_on.isoformat() if due_on else None},
    )
    theme_group_report_propose(report=report, now=now)
    return report


def _next_open_meeting(forum: Forum, now: datetime):
    """The forum's earliest coming meeting whose proposal window is open at `now`, or None."""
    from meetings.models import Meeting
    from meetings.selectors import proposals_open

    coming = Meeting.objects.filter(
        forum=forum, status=Meeting.Status.PLANNED, is_archive=False, starts_at__gt=now
    ).order_by("starts_at", "pk")
    return next((m for m in coming if proposals_open(m, now)), None)


def theme_group_report_propose(*, report: ThemeGroupReport, now: datetime):
    """Make a waiting report an agenda proposal ("for information") of the parent forum's
    next meeting whose proposal window is open, its documents attached (the same stored
    files); return the Proposal, or None when the report has one already or no meeting
    takes proposals (it goes on waiting). Call inside a transaction that holds the report."""
    from core.search import search_index
    from meetings.models import Attachment, Proposal, Treatment

    if report.proposal_id is not None:
        return None
    group = report.theme_group
    meeting = _next_open_meeting(group.forum, now)
    if meeting is None:
        return None
    proposal = Proposal.objects.create(
        meeting=meeting,
        proposer=report.submitted_by,
        title=_("Report from the theme group %(group)s: %(title)s")
        % {"group": group.name, "title": report.title},
        description=report.text,
        treatment=Treatment.ORIENTATION,
    )
    for position, document in enumerate(report.documents.all(), start=1):
        Attachment.objects.create(
            proposal=proposal,
            file=document.file.name,
            name=document.name,
            content_type=document.content_type,
            size=document.size,
            uploaded_by=report.submitted_by,
            position=position,
        )
    report.proposal, report.proposed_at = proposal, now
    report.save(update_fields=["proposal", "proposed_at"])
    audit_record(
        actor=None,
        action="theme_group_report.propose",
        obj=report,
        data={"proposal": proposal.pk, "meeting": meeting.pk},
    )
    search_index(meeting)
    return proposal


def theme_group_reports_propose_waiting(*, now: datetime) -> dict[str, int]:
    """Sweep step (core/sweep.py): every waiting report becomes a proposal as soon as its
    forum has a meeting taking proposals (one called since the report came in). Each
    report is claimed with a row lock (skip_locked), so two sweeps propose it once."""
    proposed = 0
    waiting = ThemeGroupReport.objects.filter(proposal__isnull=True).values_list("pk", flat=True)
    for pk in list(waiting):
        with transaction.atomic():
            report = (
                ThemeGroupReport.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("theme_group__forum")
                .filter(pk=pk, proposal__isnull=True)
                .first()
            )
            if report is not None and theme_group_report_propose(report=report, now=now):
                proposed += 1
    return {"proposed": proposed}


# --- Standard agenda items ----------------------------------------------------------------
# Positions are unique per forum, so a reorder parks the rows out of the way first.
_PARKED = 10_000


def _standard_items_locked(forum: Forum) -> list[StandardAgendaItem]:
    return list(
        StandardAgendaItem.objects.select_for_update().filter(forum=forum).order_by("position")
    )


def _renumber_standard_items(items: list[StandardAgendaItem]) -> None:
    ids = [item.pk for item in items]
    StandardAgendaItem.objects.filter(pk__in=ids).update(position=models.F("position") + _PARKED)
    for position, item in enumerate(items, start=1):
        StandardAgendaItem.objects.filter(pk=item.pk).update(position=position)
        item.position = position


def _closing_index(items: list[StandardAgendaItem]) -> int | None:
    """The index of a closing »Eventuelt« at the end of the list, or None."""
    return len(items) - 1 if items and items[-1].is_closing else None


@transaction.atomic
def standard_item_add(
    *,
    actor: Any,
    forum: Forum,
    title: str,
    description: str = "",
    is_procedural: bool = False,
    responsible: Organisation | None = None,
) -> StandardAgendaItem:
    """Add a standard item to `forum`'s list, last but before a closing »Eventuelt« (which
    stays last); new agendas start with it, copying `responsible` (the default responsible
    administration, None for none). Raises ValidationError (DomainError) on an empty or
    duplicate title."""
    items = _standard_items_locked(forum)
    _check_title(forum, title)
    item = StandardAgendaItem(
        forum=forum,
        position=len(items) + 1,
        title=title.strip(),
        description=description.strip(),
        is_procedural=is_procedural,
        responsible=responsible,
    )
    item = _save(item, actor=actor, action="standard_item.create", data={"forum": forum.slug})
    closing = _closing_index(items)
    if closing is not None:
        items.insert(closing, item)
        _renumber_standard_items(items)
    return item


def _check_title(forum: Forum, title: str, *, exclude: int | None = None) -> None:
    if not title.strip():
        raise DomainError({"title": _("Give the item a title.")})
    taken = StandardAgendaItem.objects.filter(forum=forum, title__iexact=title.strip())
    if taken.exclude(pk=exclude).exists():
        raise DomainError(
            {
                "title": _("%(forum)s already has the standard item »%(title)s«.")
                % {"forum": forum.name, "title": title.strip()}
            }
        )


@transaction.atomic
def standard_item_update(
    *,
    actor: Any,
    item: StandardAgendaItem,
    title: str,
    description: str,
    is_procedural: bool,
    responsible: Organisation | None = None,
) -> StandardAgendaItem:
    """Rename, describe, (un)mark a standard item as procedural or set its default
    responsible administration. A required item keeps being required (that is the
    mandate's, not the secretariat's, to change); agendas already made keep their own copy."""
    _check_title(item.forum, title, exclude=item.pk)
    old = item.title
    item.title, item.description = title.strip(), description.strip()
    item.is_procedural = is_procedural
    item.responsible = responsible
    return _save(item, actor=actor, action="standard_item.update", data={"old_title": old})


@transaction.atomic
def standard_item_move(*, actor: Any, item: StandardAgendaItem, to: int) -> StandardAgendaItem:
    """Move a standard item to number `to` (1-based; clamped to the list, and before a
    closing »Eventuelt«), renumbering the others so the forum's positions stay 1..n."""
    items = _standard_items_locked(item.forum)
    current = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = min(max(to, 1), len(items)) - 1
    closing = _closing_index(items)
    if closing is not None and current != closing:
        target = min(target, closing - 1)  # »Eventuelt« stays last
    items.insert(target, items.pop(current))
    _renumber_standard_items(items)
    audit_record(
        actor=actor,
        action="standard_item.move",
        obj=item,
        data={"from": current + 1, "to": target + 1},
    )
    bump("forums")
    return items[target]


@transaction.atomic
def standard_item_remove(*, actor: Any, item: StandardAgendaItem) -> None:
    """Remove a standard item from the forum's list (agendas already made keep theirs).
    Raises DomainError for an item the terms of reference require."""
    items = _standard_items_locked(item.forum)
    item = next(other for other in items if other.pk == item.pk)
    if item.required:
        raise DomainError(
            _(
                "»%(title)s« is required by the terms of reference of %(forum)s and cannot be removed."
            )
            % {"title": item.title, "forum": item.forum.name}
        )
    audit_record(
        actor=actor, action="standard_item.remove", obj=item.forum, data={"title": item.title}
    )
    item.delete()
    _renumber_standard_items([other for other in items if other.pk != item.pk])
    bump("forums")
