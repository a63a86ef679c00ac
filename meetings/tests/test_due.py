"""The meetings' deadlines in the cockpit (meetings/due.py): each kind appears while it
is due and goes when it is done."""

from datetime import date, datetime, timedelta

import pytest
import time_machine

from core.due import due_items
from meetings import services
from meetings.deadlines import TZ
from meetings.tests.factories import schedule

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 1, 4, 10, 0, tzinfo=TZ)  # Monday 4 January 2027
UNTIL = NOW + timedelta(weeks=8)
# Samarbejdsforum on Wednesday 10 February 2027: proposals close at the end of 20 January,
# the agenda is due at the end of 27 January, the minutes at the end of 17 February.
MEETING_DAY = date(2027, 2, 10)


def kinds(now: datetime = NOW, until: datetime = UNTIL, kind: str | None = None) -> list:
    return [i for i in due_items(now=now, until=until) if kind is None or i.kind == kind]


@pytest.fixture
def meeting(forums):
    with time_machine.travel(NOW, tick=False):
        return schedule(forums["samarbejdsforum"], day=MEETING_DAY, now=NOW)


def test_proposals_closing_are_due_until_the_deadline_and_go_when_the_agenda_is_sent(
    meeting, secretariat_user
):
    [item] = kinds(kind="proposals_close")
    assert item.due == meeting.proposals_close_at
    assert item.forum_name == "Samarbejdsforum"
    assert item.url == f"/sekretariat/moeder/{meeting.pk}/"
    assert "10. februar 2027" in item.meeting_label
    assert not item.overdue(NOW)
    after = datetime(2027, 1, 21, 9, 0, tzinfo=TZ)
    assert kinds(now=after, kind="proposals_close") == []  # a window: passed, not overdue
    services.agenda_send(actor=secretariat_user, meeting=meeting, now=NOW)
    assert kinds(kind="proposals_close") == []


def test_an_unsent_agenda_is_due_then_overdue_and_goes_when_it_is_sent(meeting, secretariat_user):
    [item] = kinds(kind="agenda_due")
    assert item.due == meeting.agenda_due_at
    assert item.act_on == date(2027, 1, 27)  # a Wednesday: the day itself
    assert item.url == f"/sekretariat/moeder/{meeting.pk}/send/"
    late = datetime(2027, 1, 28, 9, 0, tzinfo=TZ)
    [late_item] = kinds(now=late, until=late + timedelta(weeks=8), kind="agenda_due")
    assert late_item.overdue(late)
    services.agenda_send(actor=secretariat_user, meeting=meeting, now=late)
    assert kinds(now=late, until=late + timedelta(weeks=8), kind="agenda_due") == []


def test_an_agenda_due_on_a_sunday_is_acted_on_the_friday_before(forums):
    with time_machine.travel(NOW, tick=False):
        # Samarbejdsforum on Sunday 14 February 2027: the agenda is due Sunday 31 January.
        schedule(forums["samarbejdsforum"], day=date(2027, 2, 14), now=NOW)
    [item] = kinds(kind="agenda_due")
    assert item.due.astimezone(TZ).date() == date(2027, 1, 31)
    assert item.act_on == date(2027, 1, 29)


def test_an_agenda_beyond_the_horizon_is_not_due_yet(forums):
    with time_machine.travel(NOW, tick=False):
        schedule(forums["samarbejdsforum"], day=date(2027, 5, 12), now=NOW)
    assert kinds(kind="agenda_due") == []


def test_a_cancelled_meeting_has_no_deadlines(meeting, secretariat_user):
    services.meeting_cancel(actor=secretariat_user, meeting=meeting, reason="Aflyst", now=NOW)
    assert [i for i in kinds() if i.meeting_label] == []


def test_proposals_awaiting_a_decision_are_due_with_the_agenda_and_go_when_decided(
    meeting, member_user, secretariat_user
):
    with time_machine.travel(NOW, tick=False):
        first = services.proposal_submit(
            actor=member_user,
            meeting=meeting,
            title="Udlejning",
            description="Drøftelse",
            treatment="discussion",
            now=NOW,
        )
        services.proposal_submit(
            actor=member_user,
            meeting=meeting,
            title="Renovering",
            description="Status",
            treatment="orientation",
            now=NOW,
        )
    [item] = kinds(kind="proposals_undecided")
    assert item.due == meeting.agenda_due_at
    assert item.detail == "2 forslag"
    assert item.url.endswith("#proposals-heading")
    services.proposal_accept(actor=secretariat_user, proposal=first)
    [item] = kinds(kind="proposals_undecided")
    assert item.detail == "1 forslag"
    first.refresh_from_db()
    second = meeting.proposals.exclude(pk=first.pk).get()
    services.proposal_decline(actor=secretariat_user, proposal=second, reason="Ikke relevant")
    assert kinds(kind="proposals_undecided") == []
