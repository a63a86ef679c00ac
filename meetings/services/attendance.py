"""services: Attendance."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.errors import DomainError
from core.record_locks import attendance_locked
from forums.models import Person
from meetings.models import (
    Attendance,
    Meeting,
    Presence,
)
from meetings.selectors import (
    forum_people,
    member_person,
    substitutes_for,
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
