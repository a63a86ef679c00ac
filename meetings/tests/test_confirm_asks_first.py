"""The confirmation pages ask the service's own checks before their button instead of
refusing after it (issue 13 §2): the agenda send page names items without a responsible
administration and proposals still awaiting a decision; the move and cancel pages say
that the previous change's e-mails still wait in their grace period (»Fortryd«)."""

import html
import re
from datetime import datetime, timedelta

import pytest
import time_machine

from meetings import services
from meetings.deadlines import TZ
from meetings.models import AgendaItem, AgendaVersion, Meeting, Organisation
from meetings.tests.factories import schedule
from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 2, 1, 10, 0, tzinfo=TZ)
PENDING = "Udsendes kl. 10:05 — kan fortrydes indtil da"


@pytest.fixture(autouse=True)
def february_2027(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def meeting(forums, member_user, secretariat_user):
    """A Samarbejdsforum meeting 40 days ahead (proposals open) with one complete item."""
    meeting = schedule(forums["samarbejdsforum"], day=(NOW + timedelta(days=40)).date())
    OutboxMessage.objects.update(status=OutboxMessage.Status.SENT)  # the call went out
    services.agenda_item_save(
        actor=secretariat_user,
        item=AgendaItem(meeting=meeting),
        title="Fleksibel udlejning",
        treatment="discussion",
        responsible=Organisation.objects.get(short_name="TMF"),
    )
    return meeting


def warnings(page) -> list[str]:
    text = html.unescape(page.content.decode())
    return [
        " ".join(w.split())
        for w in re.findall(r'class="alert alert-warning confirm-warning">(.*?)</div>', text, re.S)
    ]


def propose(meeting, member_user, title: str):
    return services.proposal_submit(
        actor=member_user,
        meeting=meeting,
        title=title,
        description="Beskrivelse",
        treatment="discussion",
    )


def test_the_agenda_send_page_names_an_item_without_a_responsible_administration_before_sending(
    meeting, member_user, secretariat_user, secretariat_client
):
    proposal = propose(meeting, member_user, "Grønne gårde")
    services.proposal_accept(actor=secretariat_user, proposal=proposal)  # no administration

    page = secretariat_client.get(f"/sekretariat/moeder/{meeting.pk}/send/")

    found = [w for w in warnings(page) if "ansvarlig forvaltning" in w]
    assert len(found) == 1 and "2. Grønne gårde" in found[0]
    assert f'href="/sekretariat/moeder/{meeting.pk}/"' in page.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED and not AgendaVersion.objects.exists()


def test_a_complete_agenda_gets_no_refusal_on_its_send_page(meeting, secretariat_client):
    page = secretariat_client.get(f"/sekretariat/moeder/{meeting.pk}/send/")

    assert not [w for w in warnings(page) if "ansvarlig forvaltning" in w]
    assert not [w for w in warnings(page) if "afventer" in w]


def test_the_agenda_send_page_names_the_proposals_still_awaiting_a_decision(
    meeting, member_user, secretariat_user, secretariat_client
):
    propose(meeting, member_user, "Legeplads i gården")
    propose(meeting, member_user, "Cykelparkering")
    declined = propose(meeting, member_user, "Afvist forslag")
    services.proposal_decline(actor=secretariat_user, proposal=declined, reason="Uden for mandat")

    page = secretariat_client.get(f"/sekretariat/moeder/{meeting.pk}/send/")

    found = [w for w in warnings(page) if "afventer" in w]
    assert len(found) == 1
    assert "»Legeplads i gården«" in found[0] and "»Cykelparkering«" in found[0]
    assert "Afvist forslag" not in found[0] and found[0].startswith("2 forslag")
    assert not AgendaVersion.objects.exists()


def move_post(**extra) -> dict:
    return {"day": "2027-03-17", "starts": "10:00", "ends": "12:00", "place": "Rådhuset", **extra}


@pytest.fixture
def moved_in_grace(meeting, secretariat_user, settings):
    """The meeting was just moved; its e-mails wait in the 5-minute grace period."""
    settings.SEND_GRACE_MINUTES = 5
    services.meeting_move(
        actor=secretariat_user,
        meeting=meeting,
        starts_at=datetime(2027, 3, 16, 14, 0, tzinfo=TZ),
        ends_at=datetime(2027, 3, 16, 16, 0, tzinfo=TZ),
        place="Rådhuset",
    )
    meeting.refresh_from_db()
    assert meeting.mail_pending()
    return meeting


def test_the_move_page_says_up_front_that_the_last_changes_emails_are_still_pending(
    moved_in_grace, secretariat_client
):
    page = secretariat_client.post(f"/sekretariat/moeder/{moved_in_grace.pk}/flyt/", move_post())

    found = [w for w in warnings(page) if PENDING in w]
    assert len(found) == 1 and "Fortryd udsendelse" in found[0]
    moved_in_grace.refresh_from_db()
    assert moved_in_grace.starts_at == datetime(2027, 3, 16, 14, 0, tzinfo=TZ)


def test_the_cancel_page_says_up_front_that_the_last_changes_emails_are_still_pending(
    moved_in_grace, secretariat_client
):
    page = secretariat_client.get(f"/sekretariat/moeder/{moved_in_grace.pk}/aflys/")

    found = [w for w in warnings(page) if PENDING in w]
    assert len(found) == 1 and "Fortryd udsendelse" in found[0]
    moved_in_grace.refresh_from_db()
    assert moved_in_grace.status == Meeting.Status.PLANNED


def test_without_pending_emails_the_cancel_page_gives_no_such_warning(meeting, secretariat_client):
    page = secretariat_client.get(f"/sekretariat/moeder/{meeting.pk}/aflys/")

    assert not [w for w in warnings(page) if "kan fortrydes" in w]
