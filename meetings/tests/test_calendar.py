"""iCalendar: the invitation sent with the call keeps one UID while SEQUENCE grows with each
move and turns into a CANCEL; the public forum feed holds only public facts; the personal
feed lists the member's own forums' meetings behind a secret that can be replaced."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from forums.tests.factories import MembershipFactory, PersonFactory, UserFactory, forum, seat
from meetings import services
from meetings.models import AgendaItem, CalendarToken, Meeting
from meetings.tests.factories import at, schedule
from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path) -> Path:
    """Agenda PDFs go to a temporary PRIVATE_MEDIA_ROOT, not to var/."""
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return Path(settings.PRIVATE_MEDIA_ROOT)


def invitation(kind: str, recipient: str) -> tuple[Calendar, str]:
    """The calendar attached to the one message of `kind` to `recipient`, and its type."""
    message = OutboxMessage.objects.get(kind=kind, recipient=recipient)
    attachment = message.attachments.get()
    assert attachment.filename == "invitation.ics"
    return Calendar.from_ical(bytes(attachment.content)), attachment.mimetype


def only_event(calendar: Calendar):
    (event,) = calendar.walk("VEVENT")
    return event


def feed(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def uids(calendar: Calendar) -> set[str]:
    """The UIDs of the meetings in a feed (not the deadlines the personal feed adds)."""
    return {
        str(event["UID"])
        for event in calendar.walk("VEVENT")
        if not str(event["UID"]).startswith(("forslag-", "kommentarer-"))
    }


def test_the_call_carries_a_request_whose_uid_stays_and_sequence_grows_until_the_cancel(
    forums, member_user, secretariat_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = schedule(forums["samarbejdsforum"], days_ahead=40)
    called, mimetype = invitation("meeting_called", member_user.email)
    assert called["METHOD"] == "REQUEST" and mimetype == "text/calendar; method=REQUEST"
    event = only_event(called)
    assert str(event["UID"]) == meeting.uid
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == meeting.starts_at
    assert str(event["STATUS"]) == "CONFIRMED"

    new_day = meeting.day + timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_move(
            actor=secretariat_user,
            meeting=meeting,
            starts_at=at(new_day, 10),
            ends_at=at(new_day, 12),
            place="Rådhuset, lokale 7",
        )
    moved, _ = invitation("meeting_moved", member_user.email)
    event = only_event(moved)
    assert moved["METHOD"] == "REQUEST"
    assert str(event["UID"]) == meeting.uid
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART") == at(new_day, 10)
    assert str(event["LOCATION"]) == "Rådhuset, lokale 7"

    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=secretariat_user, meeting=meeting, reason="Ingen punkter.")
    cancelled, mimetype = invitation("meeting_cancelled", member_user.email)
    event = only_event(cancelled)
    assert cancelled["METHOD"] == "CANCEL" and mimetype == "text/calendar; method=CANCEL"
    assert str(event["UID"]) == meeting.uid
    assert event["SEQUENCE"] == 2
    assert str(event["STATUS"]) == "CANCELLED"
    meeting.refresh_from_db()
    assert (meeting.sequence, meeting.status) == (2, Meeting.Status.CANCELLED)


@pytest.fixture
def published(forums, secretariat_user, django_capture_on_commit_callbacks):
    """A Partnerskabsforum meeting whose agenda, with an open and a closed item, is sent."""
    meeting = schedule(forums["partnerskabsforum"], day=date(timezone.localdate().year + 1, 5, 20))
    for title, closed in (("Boligsocial helhedsplan", False), ("Fortrolig lejesag", True)):
        services.agenda_item_save(
            actor=secretariat_user,
            item=AgendaItem(meeting=meeting),
            title=title,
            treatment="decision",
            is_closed=closed,
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_send(actor=secretariat_user, meeting=meeting)
    return meeting


def test_the_public_forum_feed_lists_the_forums_meetings_without_agenda_items(
    forums, published, secretariat_user, anonymous_client
):
    elsewhere = schedule(forums["samarbejdsforum"], days_ahead=30)
    services.agenda_item_save(
        actor=secretariat_user, item=AgendaItem(meeting=elsewhere), title="Samarbejdsforums punkt"
    )

    response = anonymous_client.get("/fora/partnerskabsforum/kalender.ics")
    calendar = feed(response)
    assert uids(calendar) == {published.uid}
    assert str(calendar["X-WR-CALNAME"]) == "Partnerskabsforum"
    event = only_event(calendar)
    assert str(event["URL"]) == f"http://testserver/moeder/{published.pk}/"
    body = response.content.decode()
    for title in published.items.values_list("title", flat=True):
        assert title not in body
    assert "Fortrolig lejesag" not in body and "Boligsocial helhedsplan" not in body

    other = anonymous_client.get("/fora/samarbejdsforum/kalender.ics")
    assert uids(feed(other)) == {elsewhere.uid}
    assert "Samarbejdsforums punkt" not in other.content.decode()
    assert anonymous_client.get("/fora/findes-ikke/kalender.ics").status_code == 404


def test_the_forum_page_announces_its_calendar_feed(forums, anonymous_client):
    html = anonymous_client.get("/fora/partnerskabsforum/").content.decode()
    assert '<link rel="alternate" type="text/calendar"' in html
    assert 'href="/fora/partnerskabsforum/kalender.ics"' in html


def test_the_personal_feed_lists_the_members_own_forums_and_a_new_link_revokes_the_old(
    forums, member_user, member_client, anonymous_client
):
    own = schedule(forums["samarbejdsforum"], days_ahead=30)
    schedule(forums["tvaerkommunal-styregruppe"], days_ahead=30)
    schedule(forums["borgmesterforum"], days_ahead=30)
    assert member_client.get("/konto/kalender/nyt-link/").status_code == 405

    response = member_client.post("/konto/kalender/nyt-link/")
    assert response.status_code == 302
    first = CalendarToken.objects.get(user=member_user).token
    assert len(first) >= 32

    calendar = feed(anonymous_client.get(f"/kalender/{first}.ics"))
    assert uids(calendar) == {own.uid}
    (event,) = [e for e in calendar.walk("VEVENT") if str(e["UID"]) == own.uid]
    assert str(event["URL"]) == f"http://testserver/moeder/{own.pk}/medlem/"

    member_client.post("/konto/kalender/nyt-link/")
    second = CalendarToken.objects.get(user=member_user).token
    assert second != first
    assert anonymous_client.get(f"/kalender/{first}.ics").status_code == 404
    assert uids(feed(anonymous_client.get(f"/kalender/{second}.ics"))) == {own.uid}
    assert anonymous_client.get("/kalender/gaet-et-token.ics").status_code == 404


def test_the_personal_feed_of_a_member_of_styregruppen_includes_samarbejdsforum(forums):
    user = UserFactory(email="tmf@example.org")
    MembershipFactory(
        person=PersonFactory(email="tmf@example.org", user=user),
        forum=forum("tvaerkommunal-styregruppe"),
        seat=seat("tvaerkommunal-styregruppe", organisation__short_name="TMF"),
    )
    sg = schedule(forums["tvaerkommunal-styregruppe"], days_ahead=30)
    sf = schedule(forums["samarbejdsforum"], days_ahead=30)
    schedule(forums["borgmesterforum"], days_ahead=30)
    token = CalendarToken.objects.create(user=user, token="hemmelig-" + "x" * 40)

    assert uids(feed(Client().get(f"/kalender/{token.token}.ics"))) == {sg.uid, sf.uid}


def test_the_personal_feed_of_a_deactivated_user_is_gone(forums, member_user, anonymous_client):
    token = CalendarToken.objects.create(user=member_user, token="t" * 43)
    member_user.is_active = False
    member_user.save(update_fields=["is_active"])
    assert anonymous_client.get(f"/kalender/{token.token}.ics").status_code == 404
