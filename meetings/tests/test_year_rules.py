"""Issue 10 §5: the first meetings of 2010 can be recorded as archive entries even where
today's scheduling rules would refuse them, and the meetings-per-year warning covers too few
as well as too many, judged against the part of the year that is left."""

from datetime import date, datetime

import pytest
import time_machine
from django.contrib import messages
from django.core import mail
from django.utils import translation

from core.errors import DomainError
from core.models import AuditEntry
from core.sweep import sweep_run
from meetings import services
from meetings.deadlines import TZ
from meetings.models import Meeting
from meetings.selectors import forum_year_counts, mandate_count_warning, meetings_still_possible
from meetings.tests.factories import at
from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 7, 1, 10, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def plan(forum, day: date, **kwargs) -> Meeting:
    return services.meeting_schedule(
        actor=None, forum=forum, starts_at=at(day, 14), ends_at=at(day, 16), now=NOW, **kwargs
    )


# --- Archive entries of 2010 ----------------------------------------------------------------


def test_partnerskabsforum_primo_september_2010_can_be_recorded_as_an_archive_entry_notifying_no_one(
    forums, secretariat_user, member_user, django_capture_on_commit_callbacks
):
    pf = forums["partnerskabsforum"]
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.meeting_schedule(
            actor=secretariat_user,
            forum=pf,
            starts_at=at(date(2010, 9, 1), 14),
            ends_at=at(date(2010, 9, 1), 16),
            is_archive=True,
            now=NOW,
        )
    meeting.refresh_from_db()
    assert meeting.is_archive and meeting.status == Meeting.Status.HELD
    assert meeting.day == date(2010, 9, 1) and meeting.proposals_close_at is None
    assert AuditEntry.objects.filter(action="meeting.archive", object_id=str(meeting.pk)).exists()
    sweep_run(now=NOW)
    assert not OutboxMessage.objects.exists() and mail.outbox == []


def test_a_new_partnerskabsforum_meeting_in_september_is_still_refused_outside_the_second_quarter(
    forums,
):
    with pytest.raises(DomainError) as refusal:
        plan(forums["partnerskabsforum"], date(2028, 9, 6))
    assert refusal.value.message_dict["starts_at"]
    assert not Meeting.objects.exists()


def test_the_2010_archive_entry_goes_through_the_schedule_form_without_a_confirmation(
    forums, secretariat_client
):
    pf = forums["partnerskabsforum"]
    response = secretariat_client.post(
        "/sekretariat/moeder/ny/",
        {
            "forum": pf.pk,
            "title": "",
            "day": "2010-09-01",
            "starts": "14:00",
            "ends": "16:00",
            "place": "Rådhuset",
            "is_archive": "on",
        },
        follow=True,
    )
    meeting = Meeting.objects.get(forum=pf)
    assert meeting.is_archive and meeting.day == date(2010, 9, 1)
    assert response.redirect_chain[-1][0] == f"/sekretariat/moeder/{meeting.pk}/"
    assert not OutboxMessage.objects.exists()
    # A year of one meeting for a forum of exactly one is within its mandate: no warning.
    assert [m for m in response.context["messages"] if m.level == messages.WARNING] == []


# --- Meetings per year: too few as well as too many -------------------------------------------


def test_the_part_of_the_year_left_holds_meetings_at_the_forum_minimums_pace(forums):
    sf, pf = forums["samarbejdsforum"], forums["partnerskabsforum"]
    # Samarbejdsforum, at least 4 a year: on 1 July 184 of 365 days are left → 2.02 → 3.
    assert meetings_still_possible(sf, 2027, today=date(2027, 7, 1)) == 3
    assert meetings_still_possible(sf, 2027, today=date(2027, 12, 31)) == 0
    assert meetings_still_possible(sf, 2028, today=date(2027, 7, 1)) == 4
    assert meetings_still_possible(sf, 2026, today=date(2027, 7, 1)) == 0
    # Partnerskabsforum: second quarter, four months' notice. Called on 1 March the earliest
    # day is 1 July, after the quarter: nothing more is possible that year.
    assert meetings_still_possible(pf, 2027, today=date(2027, 1, 15)) == 1
    assert meetings_still_possible(pf, 2027, today=date(2027, 3, 1)) == 0


def test_too_few_meetings_warn_only_when_the_rest_of_the_year_cannot_hold_the_missing_ones(
    forums,
):
    sf = forums["samarbejdsforum"]
    plan(sf, date(2027, 9, 8))
    with translation.override("da"):
        # 1 of at least 4 on 1 July: 3 missing, and the half year left holds 3: no warning.
        assert mandate_count_warning(sf, 2027, today=date(2027, 7, 1)) is None
        # On 1 October the quarter left holds 1, and 3 are missing.
        assert mandate_count_warning(sf, 2027, today=date(2027, 10, 1)) == (
            "Samarbejdsforum har 1 af mindst 4 møder i 2027: der mangler 3, men resten af "
            "året rummer kun omkring 1 i forummets tempo."
        )
    counts = {c.forum.slug: c for c in forum_year_counts(2027, today=date(2027, 10, 1))}
    assert counts["samarbejdsforum"].too_few and not counts["samarbejdsforum"].within_mandate
    # A forum with no meeting yet in a coming year is not behind.
    assert mandate_count_warning(sf, 2028, today=date(2027, 10, 1)) is None


def test_a_forum_that_can_no_longer_reach_its_minimum_this_year_is_told_so(forums):
    pf = forums["partnerskabsforum"]
    with translation.override("da"):
        assert mandate_count_warning(pf, 2027, today=date(2027, 3, 1)) == (
            "Partnerskabsforum har 0 af mindst 1 møde i 2027: der mangler 1, og der kan ikke "
            "indkaldes flere i resten af året."
        )
        assert mandate_count_warning(pf, 2027, today=date(2027, 1, 15)) is None


def test_cancelling_the_only_meeting_when_no_other_can_be_called_warns_the_secretariat(
    forums, secretariat_client
):
    pf = forums["partnerskabsforum"]
    june = services.meeting_schedule(
        actor=None,
        forum=pf,
        starts_at=at(date(2027, 6, 9), 14),
        ends_at=at(date(2027, 6, 9), 16),
        now=datetime(2027, 1, 15, 10, 0, tzinfo=TZ),
    )
    # On 1 May four months' notice reaches past the second quarter: no new date is left.
    with time_machine.travel(datetime(2027, 5, 1, 10, 0, tzinfo=TZ), tick=False):
        response = secretariat_client.post(
            f"/sekretariat/moeder/{june.pk}/aflys/",
            {"reason": "Ingen sager", "confirm": "1"},
            follow=True,
        )
        html = secretariat_client.get("/sekretariat/moeder/?aar=2027").content.decode()
    june.refresh_from_db()
    assert june.status == Meeting.Status.CANCELLED
    assert AuditEntry.objects.filter(action="meeting.cancel", object_id=str(june.pk)).exists()
    warnings = [str(m) for m in response.context["messages"] if m.level == messages.WARNING]
    assert warnings == [
        "Partnerskabsforum har 0 af mindst 1 møde i 2027: der mangler 1, og der kan ikke "
        "indkaldes flere i resten af året."
    ]
    with translation.override("da"):
        assert translation.gettext("too few") in html


def test_an_archive_entry_of_a_long_gone_year_does_not_warn_of_too_few_meetings(
    forums, secretariat_client
):
    sf = forums["samarbejdsforum"]
    response = secretariat_client.post(
        "/sekretariat/moeder/ny/",
        {
            "forum": sf.pk,
            "title": "",
            "day": "2010-10-05",
            "starts": "14:00",
            "ends": "16:00",
            "place": "Rådhuset",
            "is_archive": "on",
        },
        follow=True,
    )
    assert Meeting.objects.get(forum=sf).is_archive
    # 1 of at least 4 in 2010, but the year is history: an archive entry warns of too many only.
    assert [m for m in response.context["messages"] if m.level == messages.WARNING] == []
