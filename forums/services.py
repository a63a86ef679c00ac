"""Every write to forums, organisations, people, memberships and theme groups."""

from datetime import date, timedelta
from typing import Any

from django.db import models, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.errors import DomainError
from forums.models import Membership, Organisation, Person, Seat, ThemeGroup, ThemeGroupMember


def _save(instance: models.Model, *, actor: Any, action: str, data: dict | None = None):
    """Validate every rule of the model (fields, constraints, clean), save and audit."""
    instance.full_clean()
    instance.save()
    audit_record(actor=actor, action=action, obj=instance, data=data)
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
    return member


@transaction.atomic
def theme_group_member_remove(*, actor: Any, member: ThemeGroupMember) -> None:
    theme_group, person_id = member.theme_group, member.person_id
    member.delete()
    audit_record(
        actor=actor, action="theme_group.member_remove", obj=theme_group, data={"person": person_id}
    )
