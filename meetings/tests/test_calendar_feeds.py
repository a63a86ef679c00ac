"""The feeds as a subscribed calendar client meets them: validators and 304 for a conditional
GET, how long to keep them, a DTSTAMP that moves only with the event; and in the personal
feed the member's own reminders and their forums' deadlines as events."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone, translation
from django.utils.http import http_date
from django.utils.translation import gettext
from icalendar import Calendar

from accounts import services as account_services
from core.errors import DomainError
from core.models import AuditEntry
from meetings import services
from meetings.models import CalendarToken
from meetings.tests.factories import at, schedule
from minutes import services as minutes_services
from tests.calendar_clients import icaljs, instants_everywhere

pytestmark = pytest.mark.django_db

SCHEDULED = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
LATER = datetime(2027, 1, 20, 9, 0, tzinfo=UTC)
MOVED = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)
MEETING_DAY = date(2027, 3, 10)
FEED = "/fora/samarbejdsforum/kalender.ics"


def travel(moment: datetime):
    return time_machine.travel(moment, tick=False)


def stamp(body: bytes, uid: str) -> datetime:
    (event,) = [e for e in Calendar.from_ical(body).walk("VEVENT") if str(e["UID"]) == uid]
    return event.decoded("DTSTAMP")


@pytest.fixture
def meeting(forums, member_user):
    with travel(SCHEDULED):
        return schedule(forums["samarbejdsforum"], day=MEETING_DAY, now=timezone.now())


def test_the_public_feed_answers_a_conditional_get_with_304_until_its_event_changes(
    meeting, secretariat_user, anonymous_client
):
    with travel(SCHEDULED + timedelta(minutes=1)):
        first = anonymous_client.get(FEED)
    assert first.status_code == 200
    changed = AuditEntry.objects.get(action="meeting.schedule").created_at
    assert first["Last-Modified"] == http_date(changed.timestamp())
    assert first["Cache-Control"] in ("public, max-age=3600", "max-age=3600, public")
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in first.content
    assert b"X-PUBLISHED-TTL:PT1H" in first.content

    with travel(LATER):
        again = anonymous_client.get(FEED)
        by_etag = anonymous_client.get(FEED, headers={"if-none-match": first["ETag"]})
        by_date = anonymous_client.get(FEED, headers={"if-modified-since": first["Last-Modified"]})
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert stamp(again.content, meeting.uid) == changed.replace(microsecond=0)
    assert (by_etag.status_code, by_etag.content, by_etag["ETag"]) == (304, b"", first["ETag"])
    assert by_date.status_code == 304

    with travel(MOVED):
        day = MEETING_DAY + timedelta(days=1)
        services.meeting_move(
            actor=secretariat_user,
            meeting=meeting,
            starts_at=at(day, 10),
            ends_at=at(day, 12),
            place="Rådhuset",
        )
    with travel(MOVED + timedelta(minutes=5)):
        moved = anonymous_client.get(FEED, headers={"if-none-match": first["ETag"]})
    assert moved.status_code == 200 and moved["ETag"] != first["ETag"]
    assert stamp(moved.content, meeting.uid) == MOVED
    assert moved["Last-Modified"] == http_date(MOVED.timestamp())


def personal_feed(user, client) -> bytes:
    token, _ = CalendarToken.objects.get_or_create(user=user, defaults={"token": "q" * 43})
    response = client.get(f"/kalender/{token.token}.ics")
    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives and "public" not in directives
    return response.content


def danish(msgid: str) -> str:
    with translation.override("da"):
        return gettext(msgid)


def test_a_member_chooses_reminders_on_konto_and_the_personal_feed_carries_them_to_ical_js(
    meeting, member_user, member_client, anonymous_client
):
    page = member_client.get("/konto/")
    assert 'name="calendar_reminders"' in page.content.decode()
    with travel(LATER):
        assert {
            e["uid"]: e["alarms"]
            for e in icaljs(personal_feed(member_user, anonymous_client))["events"]
        } == {meeting.uid: [], f"forslag-{meeting.uid}": []}

    response = member_client.post("/konto/kalender/paamindelser/", {"calendar_reminders": "both"})
    assert response.status_code == 302
    member_user.refresh_from_db()
    assert member_user.calendar_reminders == "both"
    entry = AuditEntry.objects.get(action="calendar.reminders")
    assert (entry.actor, entry.data) == (member_user, {"to": "both"})

    with travel(LATER):
        events = icaljs(personal_feed(member_user, anonymous_client))["events"]
    day, hour = 24 * 3600, 3600
    assert {e["uid"]: sorted(e["alarms"]) for e in events} == {
        meeting.uid: [-day, -hour],
        f"forslag-{meeting.uid}": [-day, -hour],
    }

    member_client.post("/konto/kalender/paamindelser/", {"calendar_reminders": "hour"})
    with travel(LATER):
        events = icaljs(personal_feed(member_user, anonymous_client))["events"]
    assert {e["uid"]: e["alarms"] for e in events} == {
        meeting.uid: [-hour],
        f"forslag-{meeting.uid}": [-hour],
    }


def test_a_cancelled_meeting_rings_no_reminder_and_loses_its_deadline(
    meeting, member_user, secretariat_user, anonymous_client
):
    member_user.calendar_reminders = "both"
    member_user.save(update_fields=["calendar_reminders"])
    with travel(LATER):
        services.meeting_cancel(actor=secretariat_user, meeting=meeting, reason="Aflyst.")
        (event,) = icaljs(personal_feed(member_user, anonymous_client))["events"]
    assert (event["uid"], event["status"], event["alarms"]) == (meeting.uid, "CANCELLED", [])


def test_an_unknown_reminder_choice_is_refused_at_the_field_in_danish_and_nothing_changes(
    member_user, member_client
):
    response = member_client.post(
        "/konto/kalender/paamindelser/", {"calendar_reminders": "ugentlig"}
    )
    assert response.status_code == 400
    assert danish("Choose one of the reminders shown.") in response.content.decode()
    assert danish("Choose one of the reminders shown.") != "Choose one of the reminders shown."
    member_user.refresh_from_db()
    assert member_user.calendar_reminders == "none"
    assert not AuditEntry.objects.filter(action="calendar.reminders").exists()

    with pytest.raises(DomainError):
        account_services.user_set_calendar_reminders(
            actor=member_user, user=member_user, reminders="ugentlig"
        )
    member_user.refresh_from_db()
    assert member_user.calendar_reminders == "none"


def test_the_personal_feed_shows_the_end_of_the_comment_window_at_its_instant_in_three_parsers(
    meeting, member_user, secretariat_user, anonymous_client, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    sent = datetime(2027, 3, 15, 10, 0, tzinfo=UTC)  # S = Monday 15 March 2027
    with travel(sent):
        minutes = minutes_services.minutes_start(actor=secretariat_user, meeting=meeting)
        minutes_services.minutes_send(actor=secretariat_user, minutes=minutes)
        body = personal_feed(member_user, anonymous_client)

    # The window closes at the end of S + 14 = Monday 29 March 2027, in summer time (UTC+2).
    assert instants_everywhere(body)[f"kommentarer-{meeting.uid}"] == (
        datetime(2027, 3, 29, 21, 59, 59, tzinfo=UTC),
        None,
    )
