"""The minutes' send confirmation and its preview PDF say what is true (issue 13 §2): the
grace period's undo, or that nothing can be undone at 0, and the day the comment window
would close if sent now — never »Bemærkninger til og med .«."""

import html
from datetime import date, datetime

import pytest
import time_machine
from django.test import Client

from meetings.deadlines import TZ
from meetings.tests.factories import schedule
from minutes import services
from minutes.models import Minutes, MinutesVersion
from notifications.models import OutboxMessage
from tests.pdf_clients import squash, text_by_pypdf

pytestmark = pytest.mark.django_db

MEETING_DAY = date(2027, 3, 10)
NOW = datetime(2027, 3, 15, 9, 58, tzinfo=TZ)


@pytest.fixture
def minutes(settings, tmp_path, forums, member_user, secretariat_user):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    with time_machine.travel(datetime(2027, 1, 5, 9, 0, tzinfo=TZ), tick=False):
        meeting = schedule(forums["samarbejdsforum"], day=MEETING_DAY)
    OutboxMessage.objects.all().delete()  # the call
    with time_machine.travel(NOW, tick=False):
        return services.minutes_start(actor=secretariat_user, meeting=meeting)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send_page(user, minutes) -> str:
    with time_machine.travel(NOW, tick=False):
        page = login(user).get(f"/sekretariat/moeder/{minutes.meeting_id}/referat/send/")
    assert page.status_code == 200
    return html.unescape(page.content.decode())


def test_with_a_grace_period_the_minutes_confirmation_says_the_send_can_be_undone_until_then(
    minutes, secretariat_user, settings
):
    settings.SEND_GRACE_MINUTES = 5

    page = send_page(secretariat_user, minutes)

    assert "kan fortrydes indtil 10:03" in page
    assert "Fortryd udsendelse" in page
    assert "den kan ikke fortrydes" not in page
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.DRAFT and not MinutesVersion.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_without_a_grace_period_the_minutes_confirmation_says_the_send_cannot_be_undone(
    minutes, secretariat_user, settings
):
    settings.SEND_GRACE_MINUTES = 0

    page = send_page(secretariat_user, minutes)

    assert "den kan ikke fortrydes" in page
    assert "Fortryd udsendelse" not in page
    assert not MinutesVersion.objects.exists() and not OutboxMessage.objects.exists()


def test_the_preview_pdf_names_the_day_the_comment_window_would_close_if_sent_now(
    minutes, secretariat_user, settings
):
    settings.SEND_GRACE_MINUTES = 5
    with time_machine.travel(NOW, tick=False):
        response = login(secretariat_user).get(
            f"/sekretariat/moeder/{minutes.meeting_id}/referat/send/forhaandsvisning.pdf"
        )

    text = squash(text_by_pypdf(response.content))
    assert response["Content-Type"] == "application/pdf"
    assert squash("Bemærkninger til og med 29. marts 2027.") in text  # 15 March + 14 days
    assert squash("til og med .") not in text
    minutes.refresh_from_db()
    assert minutes.comments_close_at is None and minutes.status == Minutes.Status.DRAFT
    assert not MinutesVersion.objects.exists()
