"""While an agenda send waits in its grace period every page says one thing — »Udsendes
kl. HH:MM — kan fortrydes indtil da« — the workspace's status and timeline (»planlagt«),
the flash message, the members' page; »udsendt« and »udført« only once the period is over."""

import html
import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client

from meetings import services
from meetings.deadlines import TZ
from meetings.models import AgendaItem, Organisation
from meetings.tasks import process_agenda_version
from meetings.tests.factories import schedule
from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 2, 1, 10, 0, tzinfo=TZ)
PENDING = "Udsendes kl. 10:05 — kan fortrydes indtil da"
PENDING_FOR_MEMBERS = "Udsendes kl. 10:05"  # the same time, without the secretariat's undo


@pytest.fixture(autouse=True)
def february_2027(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.SEND_GRACE_MINUTES = 5
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def meeting(forums, member_user, secretariat_user):
    meeting = schedule(forums["samarbejdsforum"], day=(NOW + timedelta(days=40)).date())
    services.agenda_item_save(
        actor=secretariat_user,
        item=AgendaItem(meeting=meeting),
        title="Fleksibel udlejning",
        treatment="discussion",
        responsible=Organisation.objects.get(short_name="TMF"),
    )
    return meeting


def text(response) -> str:
    return html.unescape(response.content.decode())


def timeline_states(page: str) -> dict[str, str]:
    """{"Frist for forslag": "scheduled", …} from the timeline's items."""
    return {
        label.strip(): state
        for state, label in re.findall(r'data-state="(\w+)">\s*([^:<]+):', page)
    }


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_during_the_grace_period_every_page_says_when_it_goes_out_and_nothing_says_sent(
    meeting, secretariat_user, member_user, django_capture_on_commit_callbacks
):
    secretariat = login(secretariat_user)
    with django_capture_on_commit_callbacks(execute=True):
        sent = secretariat.post(
            f"/sekretariat/moeder/{meeting.pk}/send/", {"confirm": "1"}, follow=True
        )
    flash = [str(m) for m in sent.context["messages"]]
    assert flash == [f"Dagsordenen, version 1: {PENDING}. Den når 1 af 1 medlemmer."]
    assert not OutboxMessage.objects.filter(kind="agenda_sent").exists()

    workspace = text(secretariat.get(f"/sekretariat/moeder/{meeting.pk}/"))
    assert f"Dagsorden: {PENDING}" in workspace  # the status, not »Dagsorden udsendt«
    assert "Dagsorden udsendt" not in workspace
    states = timeline_states(workspace)
    assert states["Dagsorden senest"] == "scheduled"
    assert states["Frist for forslag"] == "scheduled"
    assert "planlagt" in workspace and workspace.count(PENDING) >= 3

    member_page = text(login(member_user).get(f"/moeder/{meeting.pk}/medlem/"))
    assert f"Dagsordenen, version 1: {PENDING_FOR_MEMBERS}." in member_page
    assert "Dagsordenen åbner her, når sekretariatet udsender den." not in member_page
    assert f"Dagsorden: {PENDING_FOR_MEMBERS}. Der kan ikke længere stilles forslag." in member_page
    assert "kan fortrydes" not in member_page


def test_once_the_grace_period_is_over_the_pages_say_sent(
    meeting, secretariat_user, member_user, django_capture_on_commit_callbacks, february_2027
):
    with django_capture_on_commit_callbacks(execute=True):
        version = services.agenda_send(actor=secretariat_user, meeting=meeting)
    february_2027.move_to(NOW + timedelta(minutes=5))
    process_agenda_version(version.pk)

    workspace = text(login(secretariat_user).get(f"/sekretariat/moeder/{meeting.pk}/"))
    assert PENDING not in workspace and "Dagsorden udsendt" in workspace
    states = timeline_states(workspace)
    assert states["Dagsorden senest"] == "done" and states["Frist for forslag"] == "done"
    member_page = text(login(member_user).get(f"/moeder/{meeting.pk}/medlem/"))
    assert PENDING not in member_page
    assert "Version 1, udsendt 1. februar 2027 10:05." in member_page
    assert OutboxMessage.objects.filter(kind="agenda_sent").count() == 1
