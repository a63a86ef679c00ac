"""Every write to forums, organisations, people, memberships and theme groups."""

from datetime import date, timedelta
from typing import Any

from django.db import models, transaction
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
