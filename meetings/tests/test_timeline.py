"""The workspace timeline marks each step of a meeting's cycle done, due, overdue or passed
(a window that went by: never »udført«), and adds
the comment window and the final approval once the minutes are sent."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from meetings import services
from meetings.models import Meeting
from meetings.selectors import meeting_timeline
from meetings.tests.factories import schedule
from minutes import services as minutes_services

pytestmark = pytest.mark.django_db

NOW = datetime.fromisoformat("2026-12-01T10:00:00+01:00")


def states(meeting, now: datetime) -> dict[str, str]:
    meeting.refresh_from_db()
    return {entry.key: entry.state for entry in meeting_timeline(meeting, now=now)}


def fresh_timeline(meeting, now: datetime) -> dict:
    meeting = Meeting.objects.get(pk=meeting.pk)  # the minutes as they are now
    return {entry.key: entry for entry in meeting_timeline(meeting, now=now)}


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture
def meeting(forums):
    # Samarbejdsforum on Wednesday 10 March 2027: proposals close 17 Feb, agenda due 24 Feb,
    # minutes due 17 March.
    with time_machine.travel(NOW, tick=False):
        return schedule(forums["samarbejdsforum"], day=date(2027, 3, 10), now=NOW)


def test_every_step_is_due_before_its_deadline(meeting):
    assert states(meeting, NOW) == {
        "proposals": "due",
        "agenda": "due",
        "meeting": "due",
        "minutes": "due",
    }


def test_an_agenda_not_sent_by_its_deadline_is_overdue_and_a_sent_one_is_done(
    meeting, secretariat_user
):
    late = moment("2027-02-25T09:00:00+01:00")
    assert states(meeting, late) == {
        "proposals": "passed",  # the window went by; nothing was done
        "agenda": "overdue",
        "meeting": "due",
        "minutes": "due",
    }
    with time_machine.travel(late, tick=False):
        services.agenda_send(actor=secretariat_user, meeting=meeting, now=late)
    assert states(meeting, late)["agenda"] == "done"
    assert states(meeting, late)["proposals"] == "done"  # the sent agenda closed it


def test_sent_minutes_add_the_comment_window_and_the_approval_date(meeting, secretariat_user):
    sent = moment("2027-03-12T10:00:00+01:00")
    with time_machine.travel(sent, tick=False):
        minutes = minutes_services.minutes_start(actor=secretariat_user, meeting=meeting, now=sent)
        minutes_services.minutes_send(actor=secretariat_user, minutes=minutes, now=sent)

    timeline = fresh_timeline(meeting, sent)
    assert list(timeline) == ["proposals", "agenda", "meeting", "minutes", "comments", "approval"]
    window = timeline["comments"]
    assert window.opens == sent
    assert window.moment == moment("2027-03-26T23:59:59.999999+01:00")
    assert (window.state, timeline["approval"].state, timeline["minutes"].state) == (
        "due",
        "due",
        "done",
    )
    assert timeline["agenda"].state == "overdue"  # never sent: the record says so

    after = moment("2027-03-27T08:00:00+01:00")
    assert minutes_services.minutes_approve(minutes_id=minutes.pk, now=after)
    timeline = fresh_timeline(meeting, after)
    assert (timeline["comments"].state, timeline["approval"].state) == ("done", "done")
    assert timeline["approval"].moment == window.moment


def test_the_workspace_shows_each_state_in_words(meeting, secretariat_user):
    with time_machine.travel(moment("2027-02-25T09:00:00+01:00"), tick=False):
        client = Client()
        client.force_login(secretariat_user)  # signed in then: sessions are short
        html = client.get(f"/sekretariat/moeder/{meeting.pk}/").content.decode()
    assert html.count('data-state="passed"') == 1 and "overstået" in html
    assert 'data-state="done"' not in html and "udført" not in html
    assert html.count('data-state="overdue"') == 1 and "overskredet" in html
    assert html.count('data-state="due"') == 2 and "kommende" in html


def test_the_timeline_says_which_of_the_autumn_hours_the_meeting_is_at(forums, secretariat_user):
    """02:30 on 29 October 2028 happens twice; the workspace's timeline names the one
    the clerk chose, as the rest of the page does."""
    from meetings.deadlines import TZ

    starts = datetime(2028, 10, 29, 2, 30, tzinfo=TZ, fold=1)  # the second: winter time
    with time_machine.travel(datetime(2028, 6, 1, 9, tzinfo=TZ), tick=False):
        meeting = services.meeting_schedule(
            actor=None,
            forum=forums["samarbejdsforum"],
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
        )
        client = Client()
        client.force_login(secretariat_user)
        page = client.get(f"/sekretariat/moeder/{meeting.pk}/").content.decode()
    timeline = page.split('class="timeline')[1].split("</ol>")[0]
    assert "02:30 (vintertid)" in timeline
