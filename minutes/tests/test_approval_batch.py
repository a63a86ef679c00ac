"""The sweep approves due minutes in batches (issue 12: 1,000 sets in < 10 s): the number
of queries does not grow with the number of sets, and every rule of a single approval
holds for each set of a batch (exactly once, the final version, the audit entry, the
render-and-e-mail task after commit)."""

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import AuditEntry
from meetings.deadlines import TZ
from minutes import services
from minutes.models import Minutes, MinutesVersion
from minutes.tests.test_approval import OPEN_SUMMARY, send, travel

pytestmark = pytest.mark.django_db

FIRST_DAYS = [date(2027, 3, 3), date(2027, 3, 10)]
FIRST_SENT = datetime(2027, 3, 15, 10, 0, tzinfo=TZ)  # windows close at the end of 29 March
FIRST_APPROVED = datetime(2027, 4, 1, 0, 5, tzinfo=TZ)
LATER_DAYS = [date(2027, 4, 7) + timedelta(weeks=n) for n in range(6)]
LATER_SENT = datetime(2027, 5, 14, 10, 0, tzinfo=TZ)  # windows close at the end of 28 May
LATER_APPROVED = datetime(2027, 6, 1, 0, 5, tzinfo=TZ)


@pytest.fixture
def minutes_sets(forums, secretariat_user, settings, tmp_path, django_capture_on_commit_callbacks):
    """Two sets of Samarbejdsforum minutes due on 1 April, six more due on 1 June."""
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    forum = forums["samarbejdsforum"]
    with django_capture_on_commit_callbacks(execute=False):  # no PDFs: not needed here
        first = [send(forum, secretariat_user, day=d, sent=FIRST_SENT) for d in FIRST_DAYS]
        later = [send(forum, secretariat_user, day=d, sent=LATER_SENT) for d in LATER_DAYS]
    return first, later


def approve_counting(moment: datetime, capture) -> tuple[dict, int, list]:
    with (
        travel(moment),
        capture(execute=False) as callbacks,
        CaptureQueriesContext(connection) as queries,
    ):
        report = services.approve_due(now=moment)
    return report, len(queries.captured_queries), callbacks


def assert_approved_once(sets: list[Minutes]) -> None:
    for minutes in sets:
        minutes.refresh_from_db()
        assert minutes.status == Minutes.Status.APPROVED
        assert minutes.approved_at == minutes.comments_close_at
        final = MinutesVersion.objects.get(minutes=minutes, is_final=True)
        assert final.snapshot["introduction"] == "Velkommen."
        assert OPEN_SUMMARY in [i["summary"] for i in final.snapshot["items"]]
        assert final.snapshot["undisposed_comments"] == []
        assert (
            AuditEntry.objects.filter(action="minutes.approve", object_id=str(minutes.pk)).count()
            == 1
        )


def test_approving_six_sets_takes_as_many_queries_as_approving_two(
    minutes_sets, django_capture_on_commit_callbacks
):
    first, later = minutes_sets

    report_two, queries_two, callbacks_two = approve_counting(
        FIRST_APPROVED, django_capture_on_commit_callbacks
    )
    report_six, queries_six, callbacks_six = approve_counting(
        LATER_APPROVED, django_capture_on_commit_callbacks
    )

    assert report_two == {"approved": 2} and report_six == {"approved": 6}
    assert queries_six == queries_two
    assert_approved_once(first + later)
    # After commit: one render-and-e-mail task per set, and the public pages' stamps.
    assert len(callbacks_two) == 2 + 1 and len(callbacks_six) == 6 + 1


def test_a_set_approved_by_another_caller_between_read_and_write_is_not_approved_twice(
    minutes_sets, monkeypatch, django_capture_on_commit_callbacks
):
    first, _later = minutes_sets
    taken, due = first
    with travel(FIRST_APPROVED), django_capture_on_commit_callbacks(execute=False):
        assert services.minutes_approve(minutes_id=taken.pk, now=FIRST_APPROVED)
    stale = Minutes.objects.get(pk=taken.pk)
    stale.status = Minutes.Status.SENT  # as read by a caller before the other one wrote
    original = services.versions._lock_due

    def lock_with_a_stale_row(minutes_ids, now):
        # Where SELECT … FOR UPDATE locks nothing, a row read may be approved meanwhile.
        rows = original(minutes_ids, now)
        return sorted([stale, *rows], key=lambda m: m.pk) if taken.pk in minutes_ids else rows

    monkeypatch.setattr(services.versions, "_lock_due", lock_with_a_stale_row)
    with travel(FIRST_APPROVED), django_capture_on_commit_callbacks(execute=False):
        approved = services.minutes_approve_many(minutes_ids=[taken.pk, due.pk], now=FIRST_APPROVED)

    assert approved == [due.pk]
    assert_approved_once([taken, due])
