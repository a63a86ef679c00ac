"""The forums' part of a person's personal data (core.personal_data registry)."""

from django.utils.translation import gettext_lazy as _

from core.personal_data import personal_data_register


def _iso(value):
    return value.isoformat() if value else None


def _person(person) -> dict:
    return {
        "name": person.name,
        "title": person.title,
        "organisation": str(person.organisation) if person.organisation_id else None,
        "email": person.email,
        "phone": person.phone,
    }


def _history(person) -> list[dict]:
    return [
        {
            "changed_at": _iso(row.history_date),
            "name": row.name,
            "email": row.email,
            "phone": row.phone,
        }
        for row in person.history.order_by("history_date")
    ]


def _memberships(person) -> list[dict]:
    return [
        {
            "forum": m.forum.name,
            "seat": str(m.seat) if m.seat_id else None,
            "role": m.get_role_display(),
            "from": _iso(m.starts_on),
            "to": _iso(m.ends_on),
            "note": m.note,
        }
        for m in person.memberships.select_related("forum", "seat").order_by("starts_on")
    ]


def _theme_groups(person) -> list[dict]:
    return [
        {"theme_group": str(t.theme_group), "side": t.get_side_display(), "chair": t.is_chair}
        for t in person.theme_groups.select_related("theme_group")
    ]


def register() -> None:
    personal_data_register("person", export=_person)
    personal_data_register("person_history", export=_history)
    personal_data_register(
        "memberships",
        export=_memberships,
        label=_("memberships"),
        in_record=lambda p: p.memberships.exists(),
    )
    personal_data_register(
        "theme_groups",
        export=_theme_groups,
        label=_("theme groups"),
        in_record=lambda p: p.theme_groups.exists(),
    )
