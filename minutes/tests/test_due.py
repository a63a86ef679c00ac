"""The minutes' deadlines in the cockpit (minutes/due.py): the minutes due after the
meeting, the comment window closing, comments without a disposition and follow-up actions;
each appears while it is due and goes when it is done."""

from datetime import date, datetime, timedelta

import pytest
import time_machine

from core.due import due_items
from forums.models import Organisation
from meetings.deadlines import TZ
from meetings.tests.factories import at, schedule
from minutes import services
from minutes.models import FollowUpAction

pytestmark = pytest.mark.django_db

MEETING_DAY = date(2027, 3, 10)  # Samarbejdsforum, a Wednesday: minutes due 17 March
SENT = datetime(2027, 3, 15, 10, 0, tzinfo=TZ)  # the window closes at the end of 29 March


def due(now: datetime, kind: str) -> list:
    until = now + timedelta(weeks=8)
    return [i for i in due_items(now=now, until=until) if i.kind == kind]


@pytest.fixture
def meeting(forums):
    with time_machine.travel(at(MEETING_DAY - timedelta(days=60), 9), tick=False):
        return schedule(forums["samarbejdsforum"], day=MEETING_DAY)


@pytest.fixture
def sent_minutes(meeting, secretariat_user):
    with time_machine.travel(SENT, tick=False):
        minutes = services.minutes_start(actor=secretariat_user, meeting=meeting)
        services.minutes_send(actor=secretariat_user, minutes=minutes)
    minutes.refresh_from_db()
    return minutes


def test_minutes_not_sent_are_due_a_week_after_the_meeting_and_then_overdue(
    meeting, secretariat_user
):
    before = at(MEETING_DAY, 18)
    [item] = due(before, "minutes_due")
    assert item.due == meeting.minutes_due_at
    assert item.url == f"/sekretariat/moeder/{meeting.pk}/referat/"
    late = at(date(2027, 3, 18), 9)
    [item] = due(late, "minutes_due")
    assert item.overdue(late)
    with time_machine.travel(late, tick=False):
        minutes = services.minutes_start(actor=secretariat_user, meeting=meeting)
    assert len(due(late, "minutes_due")) == 1  # a draft is not sent
    with time_machine.travel(late, tick=False):
        services.minutes_send(actor=secretariat_user, minutes=minutes)
    assert due(late, "minutes_due") == []


def test_the_comment_window_is_due_until_it_closes(sent_minutes):
    [item] = due(SENT, "comment_window_closes")
    assert item.due == sent_minutes.comments_close_at
    assert item.due.astimezone(TZ).date() == date(2027, 3, 29)
    assert item.url == f"/sekretariat/moeder/{sent_minutes.meeting_id}/referat/kommentarer/"
    assert due(at(date(2027, 3, 30), 9), "comment_window_closes") == []


def test_comments_without_a_disposition_are_due_when_the_window_closes_and_go_when_disposed(
    sent_minutes, member_user, secretariat_user
):
    assert due(SENT, "comments_undisposed") == []
    with time_machine.travel(SENT + timedelta(hours=1), tick=False):
        comment = services.comment_add(actor=member_user, minutes=sent_minutes, body="En rettelse")
    [item] = due(SENT, "comments_undisposed")
    assert item.due == sent_minutes.comments_close_at
    assert item.detail == "1 kommentar"
    with time_machine.travel(SENT + timedelta(hours=2), tick=False):
        services.comment_dispose(actor=secretariat_user, comment=comment, disposition="answered")
    assert due(SENT, "comments_undisposed") == []


def test_a_follow_up_action_is_due_on_its_date_overdue_after_and_goes_when_done(
    meeting, secretariat_user
):
    administration = Organisation.objects.get(short_name="TMF")
    with time_machine.travel(SENT, tick=False):
        minutes = services.minutes_start(actor=secretariat_user, meeting=meeting)
        action = services.action_add(
            actor=secretariat_user,
            item=minutes.items.first(),
            what="Udarbejd notat",
            responsible=administration,
            due_on=date(2027, 4, 10),  # a Saturday
        )
        assert due(SENT, "action_due") == []  # draft minutes decide nothing yet
        services.minutes_send(actor=secretariat_user, minutes=minutes)
    [item] = due(SENT, "action_due")
    assert item.act_on == date(2027, 4, 9)
    assert item.detail == "Udarbejd notat (TMF)"
    assert item.url == f"/beslutninger/?forum=samarbejdsforum#status-{action.pk}"
    late = at(date(2027, 4, 12), 9)
    [item] = due(late, "action_due")
    assert item.overdue(late)
    services.action_set_status(
        actor=secretariat_user, action=action, status=FollowUpAction.Status.DONE
    )
    assert due(late, "action_due") == []
