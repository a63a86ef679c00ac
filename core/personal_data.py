"""Personal data held about one person, across every app (GDPR articles 15, 17 and 5(1)(e)).

A registry: each app that stores something about a person registers a *section* from its
``AppConfig.ready()``:

    personal_data_register(
        "comments",                      # the section's key in the export
        export=lambda person: [...],     # JSON-ready data about the person (list or dict)
        in_record=lambda person: bool,   # True when the person is part of the public or
    )                                    # formal record there (minutes, attendance, …)

``core`` imports no app; the export and the erasure ask every registered section.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.errors import DomainError


@dataclass(frozen=True)
class Section:
    key: str
    export: Callable[[Any], Any]
    in_record: Callable[[Any], bool] | None = None
    label: Any = ""


_SECTIONS: dict[str, Section] = {}


def personal_data_register(
    key: str,
    *,
    export: Callable[[Any], Any],
    in_record: Callable[[Any], bool] | None = None,
    label: Any = "",
) -> None:
    """Register (or replace) the section `key` of the personal-data export; `label` (a
    lazy translation) names it where a person's part in the record is explained."""
    _SECTIONS[key] = Section(key=key, export=export, in_record=in_record, label=label or key)


def personal_data_sections() -> list[str]:
    return sorted(_SECTIONS)


def personal_data_export(person) -> dict[str, Any]:
    """Everything held about `person` (a forums.Person): ``{"person": {...}, <section>: …}``
    with one key per registered section, JSON-serialisable (dates as ISO 8601 strings)."""
    return {key: _SECTIONS[key].export(person) for key in sorted(_SECTIONS)}


def person_record_parts(person) -> list[str]:
    """The labels of the sections in which `person` is part of a record (empty: erasable)."""
    return [
        str(section.label)
        for key, section in sorted(_SECTIONS.items())
        if section.in_record and section.in_record(person)
    ]


@transaction.atomic
def person_erase(*, actor: Any, person) -> None:
    """Erase `person` and their account entirely (GDPR art. 17), when they have never been
    part of a record: no membership, comment, attendance, presence or proposal refers to
    them. Otherwise DomainError naming the parts; their contact data then expires by the
    retention rule instead (forums.services.contact_data_expire)."""
    parts = person_record_parts(person)
    if parts:
        raise DomainError(
            _("%(name)s is part of the record (%(parts)s) and cannot be erased.")
            % {"name": person.name, "parts": ", ".join(parts)}
        )
    user = person.user
    name = person.name
    history = type(person).history.filter(id=person.pk)
    try:
        person.delete()
        history.delete()  # the change history, and the deletion record delete() just wrote
        if user is not None:
            user.delete()
    except ProtectedError as exc:
        raise DomainError(
            _("%(name)s is part of the record and cannot be erased.") % {"name": name}
        ) from exc
    audit_record(actor=actor, action="person.erase", data={"person": name})
