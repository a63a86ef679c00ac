"""The decisions register as a table, for its CSV and XLSX exports: one header, one row per
follow-up action, the same columns in both files."""

from collections.abc import Iterable
from datetime import date

from django.utils.translation import gettext as _

from minutes.models import FollowUpAction


def register_header() -> list[str]:
    """The column titles, translated into the active language (Danish on the site)."""
    return [
        _("Forum"),
        _("Meeting"),
        _("Item"),
        _("Decision"),
        _("Action"),
        _("Responsible administration"),
        _("Due date"),
        _("Status"),
    ]


def register_rows(actions: Iterable[FollowUpAction]) -> list[list[str | date | None]]:
    """One row per action, as values: the meeting's day and the due date are `date`s
    (the due date None when there is none), the rest strings. Not yet neutralised against
    formulas: the writers in core.spreadsheets do that."""
    rows = []
    for action in actions:
        item = action.item
        rows.append(
            [
                item.minutes.meeting.forum.name,
                item.minutes.meeting.day,
                f"{item.position}. {item.title}",
                item.decision,
                action.what,
                action.responsible.name,
                action.due_on,
                action.get_status_display(),
            ]
        )
    return rows
