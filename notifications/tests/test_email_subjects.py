"""Every e-mail about a meeting names the meeting's forum and date in its subject, so that a
member with several forums can tell the messages apart in the inbox; the "moved" e-mail says
the old time as well as the new."""

from datetime import date, datetime

import pytest
import time_machine

from meetings import services
from meetings.tests.factories import at, schedule
from notifications.models import OutboxMessage
from notifications.services import render_email

pytestmark = pytest.mark.django_db

NOW = datetime.fromisoformat("2026-12-01T10:00:00+01:00")

MEETING_KINDS = [
    "agenda_overdue",
    "agenda_reminder",
    "agenda_revised",
    "agenda_sent",
    "meeting_called",
    "meeting_cancelled",
    "minutes_approved",
    "minutes_comment_reminder",
    "minutes_disposition_warning",
    "minutes_due_reminder",
    "minutes_overdue",
    "minutes_revised",
    "minutes_sent",
    "proposal_decided",
    "proposal_reminder",
]


class Anything:
    """Any attribute of it is itself (a date-time for the names ending in "_at"); printed,
    "x": what the subject does not need."""

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return at(date(2027, 4, 1)) if name.endswith("_at") else self

    def __str__(self) -> str:
        return "x"


@pytest.fixture
def meeting(forums):
    with time_machine.travel(NOW, tick=False):
        return schedule(forums["samarbejdsforum"], day=date(2027, 3, 10), now=NOW)


CASES = [(kind, "accepted") for kind in MEETING_KINDS] + [
    ("proposal_decided", "declined"),
    ("proposal_decided", "moved"),
]


@pytest.mark.parametrize(("kind", "outcome"), CASES)
def test_every_subject_about_a_meeting_names_its_forum_and_date(kind, outcome, meeting):
    context = {
        "meeting": meeting,
        "forum": meeting.forum,
        "outcome": outcome,
        "due": at(date(2027, 2, 24)),
        "version": Anything(),
        "minutes": Anything(),
        "proposal": Anything(),
        "comments": [],
        "closes": at(date(2027, 4, 1)),
        "act_by": date(2027, 2, 23),
    }
    subject, _text, _html = render_email(kind, context)
    assert "Samarbejdsforum" in subject and "10. marts 2027" in subject, subject


def test_the_moved_email_says_the_old_time_as_well_as_the_new(meeting, member_user):
    with time_machine.travel(NOW, tick=False):
        services.meeting_move(
            actor=None,
            meeting=meeting,
            starts_at=at(date(2027, 3, 17), 10),
            ends_at=at(date(2027, 3, 17), 12),
            place="Njalsgade 13",
            now=NOW,
        )
    moved = OutboxMessage.objects.get(kind="meeting_moved", recipient=member_user.email)
    assert moved.subject == (
        "Flyttet: Samarbejdsforum fra 10. marts 2027, 14:00 til 17. marts 2027, 10:00"
    )
    assert "Tidligere tidspunkt: onsdag 10. marts 2027, 14:00–16:00" in moved.body_text
    assert "Nyt tidspunkt: onsdag 17. marts 2027, 10:00–12:00" in moved.body_text
    assert "onsdag 10. marts 2027, 14:00–16:00" in moved.body_html
