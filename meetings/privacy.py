"""Meetings' part of a person's personal data (core.personal_data registry)."""

from django.utils.translation import gettext_lazy as _

from core.personal_data import personal_data_register
from meetings.models import Attendance, Presence, Proposal


def _meeting(meeting) -> str:
    return str(meeting)


def _attendance(person) -> list[dict]:
    rows = Attendance.objects.filter(person=person).select_related("meeting")
    return [
        {"meeting": _meeting(a.meeting), "answer": a.get_status_display(), "note": a.note}
        for a in rows
    ]


def _presence(person) -> list[dict]:
    rows = Presence.objects.filter(person=person).select_related("meeting")
    return [{"meeting": _meeting(p.meeting), "recorded": p.get_status_display()} for p in rows]


def _proposals(person) -> list[dict]:
    if person.user_id is None:
        return []
    rows = Proposal.objects.filter(proposer_id=person.user_id).select_related("meeting")
    return [
        {"meeting": _meeting(p.meeting), "title": p.title, "status": p.get_status_display()}
        for p in rows
    ]


def _in_meetings(person) -> bool:
    return (
        Attendance.objects.filter(person=person).exists()
        or Attendance.objects.filter(substitute=person).exists()
        or Presence.objects.filter(person=person).exists()
        or Presence.objects.filter(substitute=person).exists()
        or (
            person.user_id is not None
            and Proposal.objects.filter(proposer_id=person.user_id).exists()
        )
    )


def register() -> None:
    personal_data_register(
        "attendance_answers",
        export=_attendance,
        in_record=_in_meetings,
        label=_("attendance and proposals"),
    )
    personal_data_register("recorded_presence", export=_presence)
    personal_data_register("proposals", export=_proposals)
