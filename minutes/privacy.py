"""Minutes' part of a person's personal data (core.personal_data registry)."""

from django.utils.translation import gettext_lazy as _

from core.personal_data import personal_data_register
from minutes.models import Comment, Receipt


def _comments(person) -> list[dict]:
    rows = Comment.objects.filter(author=person).select_related("minutes__meeting")
    return [
        {
            "minutes": str(c.minutes.meeting),
            "written_at": c.created_at.isoformat(),
            "comment": c.body,
            "disposition": c.get_disposition_display(),
        }
        for c in rows
    ]


def _receipts(person) -> list[dict]:
    rows = Receipt.objects.filter(person=person).select_related("minutes__meeting")
    return [
        {
            "minutes": str(r.minutes.meeting),
            "opened_at": r.opened_at.isoformat() if r.opened_at else None,
            "no_remarks_at": r.no_remarks_at.isoformat() if r.no_remarks_at else None,
        }
        for r in rows
    ]


def register() -> None:
    personal_data_register(
        "comments",
        export=_comments,
        label=_("comments on minutes"),
        in_record=lambda p: Comment.objects.filter(author=p).exists(),
    )
    personal_data_register(
        "minutes_receipts",
        export=_receipts,
        label=_("minutes read"),
        in_record=lambda p: Receipt.objects.filter(person=p).exists(),
    )
