"""The sweep's reminders: members 3 days before proposals close, the secretariat from the
start of the day 2 working days before the agenda is due, and one alert when the agenda
deadline has passed unsent. Each happens once per deadline value, whether the sweep runs
twice, on two workers at once, or for the first time after a week of downtime; a move
arms them again for the new deadline."""

import threading
from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections

from core.models import AuditEntry, SweepState
from core.sweep import sweep_run
from forums.tests.factories import MembershipFactory, PersonFactory, UserFactory, seat
from meetings import deadlines, services
from meetings.deadlines import TZ
from meetings.models import Meeting
from meetings.tests.factories import at
from notifications.models import OutboxMessage

PROPOSALS = "meetings.services.remind_proposals"
AGENDA = "meetings.services.remind_agenda"
OVERDUE = "meetings.services.alert_agenda_overdue"

SCHEDULED_AT = datetime(2027, 3, 1, 10, 0, tzinfo=TZ)
# A Samarbejdsforum meeting on Tuesday 15 June 2027: proposals close at the end of
# Tuesday 25 May, the agenda is due at the end of Tuesday 1 June.
MEETING_DAY = date(2027, 6, 15)


def end_of(day: date) -> datetime:
    return datetime.combine(day, time.max, tzinfo=TZ)


def start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=TZ)


CLOSE = end_of(date(2027, 5, 25))
DUE = end_of(date(2027, 6, 1))


def plan(forum, day: date = MEETING_DAY, *, now: datetime = SCHEDULED_AT) -> Meeting:
    return services.meeting_schedule(
        actor=None, forum=forum, starts_at=at(day, 14), ends_at=at(day, 16), now=now
    )


def rows(kind: str):
    return OutboxMessage.objects.filter(kind=kind).order_by("recipient", "id")


def recipients(kind: str) -> list[str]:
    return list(rows(kind).values_list("recipient", flat=True))


@pytest.fixture
def second_member(forums):
    person = PersonFactory(name="Anders Andersen", email="anden.sf@example.org")
    MembershipFactory(person=person, forum=forums["samarbejdsforum"], seat=seat("samarbejdsforum"))
    return person


@pytest.fixture
def members(member_user, second_member) -> list[str]:
    return sorted([member_user.email, second_member.email])


@pytest.fixture
def secretariat(secretariat_user) -> list[str]:
    other = UserFactory(email="sekretaer2@example.org", secretariat=True)
    return sorted([secretariat_user.email, other.email])


@pytest.fixture
def meeting(forums) -> Meeting:
    return plan(forums["samarbejdsforum"])


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """Run the sweep at `moment`, with the clock there too, and deliver what it queues."""

    def run(moment: datetime) -> dict:
        with (
            time_machine.travel(moment, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            return sweep_run(now=moment)

    return run


# --- Members: proposals close in 3 days -----------------------------------------------------


@pytest.mark.django_db
def test_members_get_the_proposal_reminder_once_when_the_sweep_runs_within_three_days(
    meeting, members, secretariat, sweep
):
    first = sweep(CLOSE - timedelta(days=2))
    second = sweep(CLOSE - timedelta(days=1))
    assert first[PROPOSALS] == {"meetings": 1} and second[PROPOSALS] == {"meetings": 0}
    assert recipients("proposal_reminder") == members
    meeting.refresh_from_db()
    assert meeting.proposal_reminder_sent_for == CLOSE
    for row in rows("proposal_reminder"):
        assert row.status == OutboxMessage.Status.SENT
        assert "25. maj 2027" in row.body_text and row.object_id == str(meeting.pk)
    delivered = [m for m in mail.outbox if "25. maj 2027" in m.body and m.to[0] in members]
    assert sorted(m.to[0] for m in delivered) == members
    assert not rows("agenda_reminder").exists() and not rows("agenda_overdue").exists()


@pytest.mark.django_db
def test_no_proposal_reminder_more_than_three_days_before_proposals_close(meeting, members, sweep):
    sweep(CLOSE - timedelta(days=3, minutes=1))
    assert not rows("proposal_reminder").exists()
    meeting.refresh_from_db()
    assert meeting.proposal_reminder_sent_for is None
    sweep(CLOSE - timedelta(days=3))
    assert recipients("proposal_reminder") == members


@pytest.mark.django_db
def test_no_proposal_reminder_once_proposals_have_closed(meeting, members, sweep):
    sweep(CLOSE + timedelta(microseconds=1))
    sweep(CLOSE + timedelta(days=1))
    assert not rows("proposal_reminder").exists()
    meeting.refresh_from_db()
    assert meeting.proposal_reminder_sent_for is None


@pytest.mark.django_db
def test_moving_the_meeting_arms_the_proposal_reminder_again_for_the_new_deadline(
    meeting, members, secretariat_user, sweep
):
    reminded_at = CLOSE - timedelta(days=2)
    sweep(reminded_at)
    moved = services.meeting_move(
        actor=secretariat_user,
        meeting=meeting,
        starts_at=at(date(2027, 6, 22), 14),
        ends_at=at(date(2027, 6, 22), 16),
        place="",
        now=reminded_at,
    )
    new_close = end_of(date(2027, 6, 1))
    assert moved.proposals_close_at == new_close

    sweep(CLOSE - timedelta(days=1))  # the old window: nothing new for the new deadline
    first = list(rows("proposal_reminder"))
    assert len(first) == 2
    sweep(new_close - timedelta(days=2))
    sweep(new_close - timedelta(days=1))
    assert recipients("proposal_reminder") == sorted(members * 2)
    again = rows("proposal_reminder").exclude(pk__in=[r.pk for r in first])
    assert sorted(again.values_list("recipient", flat=True)) == members
    assert all("1. juni 2027" in r.body_text for r in again)
    moved.refresh_from_db()
    assert moved.proposal_reminder_sent_for == new_close
    assert AuditEntry.objects.filter(action="meeting.move", object_id=str(moved.pk)).count() == 1


@pytest.mark.django_db
def test_borgmesterforum_has_no_proposal_deadline_and_so_no_proposal_reminder(forums, sweep):
    bf_member = PersonFactory(email="borgmester@example.org")
    MembershipFactory(
        person=bf_member, forum=forums["borgmesterforum"], seat=seat("borgmesterforum")
    )
    plan(forums["borgmesterforum"])
    for days in range(25, 14, -1):
        sweep(at(MEETING_DAY - timedelta(days=days), 9))
    assert not rows("proposal_reminder").exists()


@pytest.mark.django_db
def test_a_cancelled_meeting_reminds_and_alerts_no_one(
    meeting, members, secretariat, secretariat_user, sweep
):
    services.meeting_cancel(actor=secretariat_user, meeting=meeting, reason="Ingen punkter")
    sweep(CLOSE - timedelta(days=1))
    sweep(DUE - timedelta(hours=1))
    sweep(DUE + timedelta(hours=1))
    for kind in ("proposal_reminder", "agenda_reminder", "agenda_overdue"):
        assert not rows(kind).exists(), kind


# --- The secretariat: 2 working days before the agenda is due -------------------------------


@pytest.mark.django_db
def test_an_agenda_due_on_a_monday_is_reminded_from_the_start_of_the_thursday_before(
    forums, secretariat, members, sweep
):
    # Monday 20 September 2027: the agenda is due at the end of Monday 6 September.
    meeting = plan(
        forums["samarbejdsforum"], date(2027, 9, 20), now=datetime(2027, 6, 1, tzinfo=TZ)
    )
    due = end_of(date(2027, 9, 6))
    assert meeting.agenda_due_at == due
    thursday = start_of(date(2027, 9, 2))

    assert sweep(thursday - timedelta(microseconds=1))[AGENDA] == {"meetings": 0}
    assert not rows("agenda_reminder").exists()
    assert sweep(thursday)[AGENDA] == {"meetings": 1}
    sweep(start_of(date(2027, 9, 3)))
    sweep(start_of(date(2027, 9, 6)))
    assert recipients("agenda_reminder") == secretariat
    meeting.refresh_from_db()
    assert meeting.agenda_reminder_sent_for == due
    for row in rows("agenda_reminder"):
        assert "6. september 2027" in row.body_text and row.status == OutboxMessage.Status.SENT
    assert not rows("agenda_reminder").filter(recipient__in=members).exists()


@pytest.mark.django_db
def test_an_agenda_due_after_easter_is_reminded_before_the_easter_holidays(
    forums, secretariat, sweep
):
    # Tuesday 13 April 2027: due at the end of Tuesday 30 March, the day after Easter
    # Monday; Thursday to Monday are days off, so the reminder starts Tuesday 23 March.
    meeting = plan(
        forums["samarbejdsforum"], date(2027, 4, 13), now=datetime(2027, 1, 4, tzinfo=TZ)
    )
    assert meeting.agenda_due_at == end_of(date(2027, 3, 30))
    sweep(start_of(date(2027, 3, 23)) - timedelta(microseconds=1))
    assert not rows("agenda_reminder").exists()
    sweep(start_of(date(2027, 3, 23)))
    assert recipients("agenda_reminder") == secretariat
    # Working on the deadline day, so no advice to send earlier.
    assert all("24. marts" not in row.body_text for row in rows("agenda_reminder"))


@pytest.mark.django_db
def test_an_agenda_due_on_good_friday_is_reminded_in_time_to_send_it_the_wednesday_before(
    forums, secretariat, sweep
):
    # Friday 9 April 2027: due at the end of Good Friday, 26 March.
    meeting = plan(forums["samarbejdsforum"], date(2027, 4, 9), now=datetime(2027, 1, 4, tzinfo=TZ))
    assert meeting.agenda_due_at == end_of(date(2027, 3, 26))
    sweep(start_of(date(2027, 3, 22)) + timedelta(hours=12))
    assert not rows("agenda_reminder").exists()
    sweep(start_of(date(2027, 3, 23)) + timedelta(hours=8))
    assert recipients("agenda_reminder") == secretariat
    # The deadline is a day off: the secretariat is told to send it on Wednesday 24 March.
    assert all("24. marts" in row.body_text for row in rows("agenda_reminder"))


# --- The secretariat: the agenda deadline has passed unsent ---------------------------------


@pytest.mark.django_db
def test_the_secretariat_is_alerted_once_when_the_agenda_deadline_passed_unsent(
    meeting, secretariat, members, sweep
):
    assert sweep(DUE)[OVERDUE] == {"meetings": 0}  # the last instant of the day is in time
    assert sweep(DUE + timedelta(microseconds=1))[OVERDUE] == {"meetings": 1}
    assert sweep(DUE + timedelta(days=1))[OVERDUE] == {"meetings": 0}
    sweep(DUE + timedelta(days=5))
    assert recipients("agenda_overdue") == secretariat
    meeting.refresh_from_db()
    assert meeting.agenda_alert_sent_for == DUE and meeting.status == Meeting.Status.PLANNED
    for row in rows("agenda_overdue"):
        assert "1. juni 2027" in row.body_text and row.status == OutboxMessage.Status.SENT


@pytest.mark.django_db
def test_no_overdue_alert_and_no_reminder_once_the_agenda_is_sent(
    meeting,
    members,
    secretariat,
    secretariat_user,
    sweep,
    django_capture_on_commit_callbacks,
):
    sent_at = start_of(date(2027, 5, 27)) + timedelta(hours=10)
    with (
        time_machine.travel(sent_at, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.agenda_send(actor=secretariat_user, meeting=meeting, now=sent_at)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.AGENDA_SENT and meeting.agenda_sent_at == sent_at
    assert AuditEntry.objects.get(action="agenda.send", object_id=str(meeting.pk)).actor == (
        secretariat_user
    )
    assert recipients("agenda_sent") == members

    sweep(DUE - timedelta(hours=12))  # inside the reminder window
    sweep(DUE + timedelta(hours=1))
    sweep(DUE + timedelta(days=3))
    assert not rows("agenda_reminder").exists() and not rows("agenda_overdue").exists()
    meeting.refresh_from_db()
    assert meeting.agenda_reminder_sent_for is None and meeting.agenda_alert_sent_for is None


@pytest.mark.django_db
def test_no_overdue_alert_for_a_meeting_that_is_already_over(meeting, secretariat, sweep):
    report = sweep(at(MEETING_DAY, 17))
    assert report[OVERDUE] == {"meetings": 0}
    assert not rows("agenda_overdue").exists()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD


@pytest.mark.django_db
def test_a_worker_down_for_a_week_catches_up_with_exactly_one_alert(
    meeting, members, secretariat, sweep
):
    sweep(CLOSE - timedelta(days=2))
    sweep(start_of(date(2027, 5, 27)) + timedelta(hours=12))
    assert recipients("proposal_reminder") == members
    assert not rows("agenda_reminder").exists() and not rows("agenda_overdue").exists()
    # The worker is down from Thursday 27 May to Thursday 3 June: the agenda reminder's
    # window (from Friday 28 May) and the deadline itself pass while it is down. Back up,
    # it sweeps every five minutes.
    back = start_of(date(2027, 6, 3)) + timedelta(hours=12)
    reports = [sweep(back + timedelta(minutes=5 * n)) for n in range(12)]
    assert [r[OVERDUE]["meetings"] for r in reports] == [1] + [0] * 11
    assert recipients("agenda_overdue") == secretariat
    assert not rows("agenda_reminder").exists()
    assert recipients("proposal_reminder") == members
    assert all(r.status == OutboxMessage.Status.SENT for r in rows("agenda_overdue"))


# --- Two sweeps at once ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_running_at_once_remind_each_member_and_alert_each_secretary_once(
    forums, members, secretariat
):
    reminded = plan(forums["samarbejdsforum"])  # proposals close at the end of 25 May
    overdue = plan(forums["samarbejdsforum"], date(2027, 6, 1))  # agenda was due 18 May
    moment = start_of(date(2027, 5, 24)) + timedelta(hours=12)

    threads_count = 4
    barrier = threading.Barrier(threads_count)
    # SQLite's shared-cache in-memory test database fails at once on a locked table
    # instead of waiting (a file database, as deployed, waits: IMMEDIATE + timeout), so
    # there the sweeps still run in their threads, but one after another. PostgreSQL and a
    # file SQLite database run them truly at once.
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    serialise = threading.Lock() if in_memory else None
    reports: list[dict] = []
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait(timeout=30)
            if serialise:
                with serialise:
                    reports.append(sweep_run(now=moment))
            else:
                reports.append(sweep_run(now=moment))
        except BaseException as exc:  # noqa: BLE001 - reported in the main thread
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert failures == []
    assert len(reports) == threads_count
    assert all("error" not in result for report in reports for result in report.values())

    assert sum(report[PROPOSALS]["meetings"] for report in reports) == 1
    assert sum(report[OVERDUE]["meetings"] for report in reports) == 1
    assert recipients("proposal_reminder") == members
    assert recipients("agenda_overdue") == secretariat
    reminded.refresh_from_db()
    overdue.refresh_from_db()
    assert reminded.proposal_reminder_sent_for == CLOSE
    assert overdue.agenda_alert_sent_for == end_of(date(2027, 5, 18))
    assert SweepState.objects.count() == 1


# --- manage.py run_deadlines ----------------------------------------------------------------


@pytest.mark.django_db
def test_run_deadlines_at_a_given_moment_prints_what_each_step_did(meeting, members):
    first, second = StringIO(), StringIO()
    call_command("run_deadlines", "--now", "2027-05-23T09:00:00+02:00", stdout=first)
    call_command("run_deadlines", "--now", "2027-05-23T10:00", stdout=second)

    assert "Sweep at 2027-05-23T09:00:00+02:00" in first.getvalue()
    assert f"  {PROPOSALS}: meetings=1" in first.getvalue()
    assert f"  {AGENDA}: meetings=0" in first.getvalue()
    assert f"  {OVERDUE}: meetings=0" in first.getvalue()
    # A moment without an offset is Copenhagen time (summer time in May).
    assert "Sweep at 2027-05-23T10:00:00+02:00" in second.getvalue()
    assert f"  {PROPOSALS}: meetings=0" in second.getvalue()
    assert recipients("proposal_reminder") == members
    meeting.refresh_from_db()
    assert meeting.proposal_reminder_sent_for == CLOSE
    assert SweepState.objects.get().last_report[PROPOSALS] == {"meetings": 0}


def test_the_reminder_dates_in_these_tests_follow_the_deadline_rules():
    """The fixed moments above are the rules applied, not numbers picked to pass."""
    assert deadlines.working_days_before(date(2027, 6, 1), 2) == date(2027, 5, 28)
    assert deadlines.working_days_before(date(2027, 9, 6), 2) == date(2027, 9, 2)
    assert deadlines.working_days_before(date(2027, 3, 30), 2) == date(2027, 3, 23)
    assert deadlines.working_days_before(date(2027, 3, 26), 2) == date(2027, 3, 23)
