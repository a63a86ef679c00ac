"""The rules a membership keeps: dates in order, seats not over-filled, no double roles.

Pure reads against the database; `Membership.clean()` and the services call them, and the
services hold a lock on the seat while they do, so two secretaries cannot over-fill a seat
at the same moment.
"""

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forums.models import Membership, Organisation, Person, PersonLevel, Seat


def max_concurrent(
    intervals: list[tuple[date, date | None]], starts_on: date, ends_on: date | None
) -> tuple[int, date]:
    """The largest number of `intervals` in force on one day of [starts_on, ends_on],
    and the first such day. Intervals are closed; None means open-ended."""
    candidates = {starts_on} | {
        s for s, _ in intervals if s >= starts_on and (ends_on is None or s <= ends_on)
    }
    best, best_day = 0, starts_on
    for day in sorted(candidates):
        count = sum(1 for s, e in intervals if s <= day and (e is None or e >= day))
        if count > best:
            best, best_day = count, day
    return best, best_day


def membership_errors(m: Membership) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if m.starts_on and m.ends_on and m.ends_on < m.starts_on:
        add("ends_on", _("The end date cannot be before the start date."))
    if m.role == Membership.Role.SECRETARIAT and m.seat_id:
        add("seat", _("The secretariat holds no seat; leave the seat empty."))
    if m.role != Membership.Role.SECRETARIAT and not m.seat_id:
        add("seat", _("Choose the seat this person holds."))
    if m.seat_id and m.forum_id and m.seat.forum_id != m.forum_id:
        add("seat", _("The seat belongs to another forum."))
    if errors or not (m.starts_on and m.person_id and m.forum_id):
        return errors

    others = Membership.objects.exclude(pk=m.pk).overlapping(m.starts_on, m.ends_on)
    if others.filter(person_id=m.person_id, forum_id=m.forum_id, role=m.role).exists():
        add(
            "starts_on",
            _("%(person)s already has the role “%(role)s” in %(forum)s in this period.")
            % {"person": m.person, "role": m.get_role_display(), "forum": m.forum},
        )

    if m.seat_id and m.holds_seat and _holder_changed(m):
        holder_error = seat_holder_error(m.seat, m.person)
        if holder_error:
            add("person", holder_error)
        chair_error = chair_role_error(m)
        if chair_error:
            add("role", chair_error)

    if m.seat_id and m.role != Membership.Role.SECRETARIAT:
        capacity_error = _seat_capacity_error(m, others)
        if capacity_error:
            add("seat", capacity_error)
    return errors


def _holder_changed(m: Membership) -> bool:
    """True for a new membership or one whose person, seat or role changes: the holder
    rules judge an appointment, so ending or annotating a membership made before them
    (or before the person's level changed) is not refused."""
    if m.pk is None:
        return True
    before = Membership.objects.filter(pk=m.pk).values("person_id", "seat_id", "role").first()
    return before != {"person_id": m.person_id, "seat_id": m.seat_id, "role": m.role}


def _belongs_to(organisation: Organisation | None, ancestor: Organisation) -> bool:
    """True if `organisation` is `ancestor` or part of it (Organisation.parent, any depth)."""
    seen: set[int] = set()
    while organisation is not None and organisation.pk not in seen:
        if organisation.pk == ancestor.pk:
            return True
        seen.add(organisation.pk)
        organisation = organisation.parent
    return False


def seat_holder_error(seat: Seat, person: Person) -> str | None:
    """Why `person` may not hold `seat`, naming the seat's requirement; None if they may.

    The requirement is the seat's data (issue 10 §3, from the terms of reference):
    `holder_of_organisation` asks for a person of the appointing organisation or of an
    organisation that is part of it (a unit of an administration, a housing organisation
    in BL 1. kreds); `holder_min_level` for that level or higher (PersonLevel is ordered;
    MAYOR, the highest, reads »the mayor of …«). A person without a level has none."""
    organisation_ok = not seat.holder_of_organisation or _belongs_to(
        person.organisation, seat.organisation
    )
    level_ok = seat.holder_min_level is None or (
        person.level is not None and person.level >= seat.holder_min_level
    )
    if organisation_ok and level_ok:
        return None
    names = {"organisation": seat.organisation.name}
    if seat.holder_min_level == PersonLevel.MAYOR:
        return _("The seat requires the mayor of %(organisation)s.") % names
    if seat.holder_min_level is not None:
        return _(
            "The seat requires a person from %(organisation)s at %(level)s level or higher."
        ) % {
            **names,
            "level": PersonLevel(seat.holder_min_level).label,
        }
    return _("The seat requires a person from %(organisation)s.") % names


CHAIR_ROLES = (Membership.Role.CHAIR, Membership.Role.CO_CHAIR)


def chair_role_error(m: Membership) -> str | None:
    """The chair is the forum's own (Forum.chair_seats): the shared chair of Borgmesterforum
    and Partnerskabsforum is the holders of the overborgmester's and the teknik- og
    miljøborgmester's seats; Styregruppen and Samarbejdsforum are chaired by an organisation
    (Forum.chair_organisation), not a seat. So the role chair or co-chair is refused on any
    seat that chairs no forum. None if the role is allowed."""
    if m.role not in CHAIR_ROLES or m.seat.chaired_forums.exists():
        return None
    chairs = Seat.objects.filter(chaired_forums__isnull=False).distinct().order_by("position")
    return _(
        "Only the holders of the chair's seats (%(chairs)s) can have the role »%(role)s«; "
        "»%(seat)s« is not one of them."
    ) % {
        "chairs": ", ".join(s.title for s in chairs),
        "role": m.get_role_display(),
        "seat": m.seat.title,
    }


def _seat_capacity_error(m: Membership, others) -> str | None:
    if m.holds_seat:
        limit = m.seat.max_holders
        same_kind = others.filter(seat_id=m.seat_id, role__in=Membership.HOLDER_ROLES)
    else:
        limit = m.seat.max_substitutes
        same_kind = others.filter(seat_id=m.seat_id, role=Membership.Role.SUBSTITUTE)
        if limit == 0:
            return _("The seat “%(seat)s” has no substitutes.") % {"seat": m.seat.title}
    intervals = list(same_kind.values_list("starts_on", "ends_on"))
    count, day = max_concurrent(intervals, m.starts_on, m.ends_on)
    if count + 1 <= limit:
        return None
    if m.holds_seat:
        message = ngettext(
            "The seat “%(seat)s” has room for %(limit)d holder; on %(day)s it already has %(count)d.",
            "The seat “%(seat)s” has room for %(limit)d holders; on %(day)s it already has %(count)d.",
            limit,
        )
    else:
        message = ngettext(
            "The seat “%(seat)s” has room for %(limit)d substitute; on %(day)s it already has %(count)d.",
            "The seat “%(seat)s” has room for %(limit)d substitutes; on %(day)s it already has %(count)d.",
            limit,
        )
    return message % {
        "seat": m.seat.title,
        "limit": limit,
        "count": count,
        "day": date_format(day, "j. F Y"),
    }
