"""E-mail that mail systems treat as automatic (issue 9 §2) and meeting requests shaped as
Outlook expects them (RFC 6047), read back with Python's strict e-mail parser."""

import email
import email.policy
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from meetings import services
from meetings.tests.factories import schedule
from notifications.models import OutboxMessage
from notifications.services import outbox_deliver, outbox_enqueue

pytestmark = pytest.mark.django_db

WINTER = datetime(2026, 12, 1, 9, tzinfo=UTC)
SUMMER = datetime(2027, 6, 1, 9, tzinfo=UTC)


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://faellesindgang.kk.example"


def delivered(message: OutboxMessage, at: datetime) -> tuple[bytes, email.message.EmailMessage]:
    """Send `message` at `at`; the bytes that went out and their strict parse."""
    mail.outbox.clear()
    with time_machine.travel(at, tick=False):
        assert outbox_deliver(message_id=message.pk) == "sent"
    (sent,) = mail.outbox
    raw = sent.message().as_bytes()
    return raw, email.message_from_bytes(raw, policy=email.policy.strict)


def called(forums, member_user) -> OutboxMessage:
    with time_machine.travel(WINTER, tick=False):
        meeting = schedule(forums["samarbejdsforum"], day=date(2027, 2, 1), now=timezone.now())
    return OutboxMessage.objects.get(
        kind="meeting_called", recipient=member_user.email, object_id=str(meeting.pk)
    )


def assert_automatic(parsed) -> None:
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert parsed["X-Auto-Response-Suppress"] == "All"
    assert parsed["Message-ID"].endswith("@faellesindgang.kk.example>")


def test_a_forum_message_is_automatic_has_its_forums_list_id_and_a_local_date(forums, member_user):
    message = called(forums, member_user)

    for at, offset in ((WINTER, timedelta(hours=1)), (SUMMER, timedelta(hours=2))):
        _raw, parsed = delivered(message, at)
        assert_automatic(parsed)
        assert parsed["List-Id"] == "<samarbejdsforum.faellesindgang.kk.example>"
        assert parsed["Date"].datetime == at
        assert parsed["Date"].datetime.utcoffset() == offset
        message.status = OutboxMessage.Status.QUEUED
        message.save(update_fields=["status"])


def test_a_message_about_no_forum_is_automatic_without_a_list_id(forums, member_user):
    about_a_meeting = called(forums, member_user)
    message = outbox_enqueue(
        kind="meeting_called",
        key="no-forum:1",
        to=member_user.email,
        user=member_user,
        concerns=None,
        context={
            "person": member_user.person,
            "meeting": about_a_meeting.concerns,
            "forum": about_a_meeting.concerns.forum,
        },
    )
    _raw, parsed = delivered(message, WINTER)
    assert_automatic(parsed)
    assert parsed["List-Id"] is None


def test_a_long_danish_subject_starts_on_the_subject_line(forums, member_user):
    message = called(forums, member_user)
    message.subject = (
        "Indkaldelse: Møde i Samarbejdsforum mandag den 1. februar 2027 kl. 14.00 på "
        "Rådhuset, lokale 7 – dagsorden følger særskilt"
    )
    message.save(update_fields=["subject"])

    raw, parsed = delivered(message, WINTER)
    (line,) = [line for line in raw.splitlines() if line.startswith(b"Subject:")]
    assert line.removeprefix(b"Subject:").strip(), "the subject is folded right after 'Subject:'"
    assert parsed["Subject"] == message.subject


def test_an_invitation_is_a_meeting_request_beside_text_and_html_with_the_ics_attached(
    forums, member_user, secretariat_user
):
    request = called(forums, member_user)
    with time_machine.travel(WINTER, tick=False):
        services.meeting_cancel(
            actor=secretariat_user, meeting=request.concerns, reason="Ingen punkter."
        )
    cancel = OutboxMessage.objects.get(kind="meeting_cancelled", recipient=member_user.email)

    for message, method in ((request, "REQUEST"), (cancel, "CANCEL")):
        _raw, parsed = delivered(message, WINTER)
        assert_automatic(parsed)
        assert parsed.get_content_type() == "multipart/mixed"
        alternative, attached = parsed.iter_parts()
        assert alternative.get_content_type() == "multipart/alternative"
        text, html, invitation = alternative.iter_parts()
        assert (text.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
        assert invitation.get_content_type() == "text/calendar"
        assert invitation.get_param("method") == method
        assert Calendar.from_ical(invitation.get_content())["METHOD"] == method

        stored = bytes(message.attachments.get().content)
        assert attached.get_content_type() == "application/ics"
        assert attached.get_filename() == "invitation.ics"
        assert attached.get_content() == stored
        assert invitation.get_content().splitlines() == stored.decode().splitlines()
