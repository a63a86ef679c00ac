"""A reminder is claimed once per deadline value, and armed again when the deadline moves."""

from datetime import timedelta

import pytest

from core.claims import claim_once
from meetings.models import Meeting
from meetings.tests.factories import schedule

pytestmark = pytest.mark.django_db


def test_a_reminder_is_claimed_once_per_deadline_and_again_after_a_move(forums):
    meeting = schedule(forums["samarbejdsforum"])
    claim = lambda: claim_once(Meeting, meeting.pk, "agenda_alert_sent_for", "agenda_due_at")  # noqa: E731
    assert [claim(), claim()] == [True, False]
    meeting.refresh_from_db()
    assert meeting.agenda_alert_sent_for == meeting.agenda_due_at
    Meeting.objects.filter(pk=meeting.pk).update(
        agenda_due_at=meeting.agenda_due_at + timedelta(days=7)
    )
    assert [claim(), claim()] == [True, False]


def test_a_claim_against_a_fixed_value(forums):
    meeting = schedule(forums["samarbejdsforum"])
    day = meeting.agenda_due_at
    assert claim_once(Meeting, meeting.pk, "agenda_reminder_sent_for", day) is True
    assert claim_once(Meeting, meeting.pk, "agenda_reminder_sent_for", day) is False
