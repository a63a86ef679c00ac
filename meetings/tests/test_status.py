"""A meeting whose time has passed is »Afholdt« on every page at once (derived from the stored
status and the time: `Meeting.status_at`), not only after the sweep has stored it."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from meetings.models import Meeting
from meetings.tests.factories import schedule

pytestmark = pytest.mark.django_db


def danish(msgid: str) -> str:
    with translation.override("da"):
        return gettext(msgid)


def badge(html: str) -> str:
    """The text of the page's first meeting status badge."""
    return html.split('class="badge status status-', 1)[1].split("</span>", 1)[0]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def meeting(forums) -> Meeting:
    return schedule(forums["samarbejdsforum"], days_ahead=30)


def pages(meeting: Meeting, secretariat_user, member_user) -> dict[str, str]:
    year = meeting.starts_at.year
    return {
        "public": Client().get(f"/moeder/{meeting.pk}/").content.decode(),
        "member": signed_in(member_user).get(f"/moeder/{meeting.pk}/medlem/").content.decode(),
        "workspace": signed_in(secretariat_user)
        .get(f"/sekretariat/moeder/{meeting.pk}/")
        .content.decode(),
        "list": signed_in(secretariat_user)
        .get(f"/sekretariat/moeder/?aar={year}")
        .content.decode(),
    }


def test_a_meeting_whose_time_has_passed_shows_held_on_every_page_before_the_sweep(
    meeting, secretariat_user, member_user
):
    with time_machine.travel(meeting.ends_at + timedelta(minutes=1), tick=False):
        shown = pages(meeting, secretariat_user, member_user)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED  # nothing stored it yet
    for name, html in shown.items():
        assert badge(html) == f'held">{escape(danish("Held"))}', name


def test_a_meeting_still_under_way_or_ahead_shows_its_stored_status(
    meeting, secretariat_user, member_user
):
    with time_machine.travel(meeting.ends_at - timedelta(minutes=1), tick=False):
        shown = pages(meeting, secretariat_user, member_user)
    for name, html in shown.items():
        assert badge(html) == f'planned">{escape(danish("Planned"))}', name
    assert meeting.status_at(meeting.ends_at + timedelta(seconds=1)) == Meeting.Status.HELD
