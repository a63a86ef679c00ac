"""The meeting services' own guards, tested directly (the pages hide the buttons, so only
these tests notice when a guard goes)."""

import re
from datetime import date, datetime

import pytest
import time_machine
from django.utils import translation
from django.utils.translation import gettext

from core.errors import DomainError
from core.models import AuditEntry
from forums.models import Organisation
from meetings import services
from meetings.deadlines import TZ
from meetings.models import AgendaItem, AgendaVersion, Meeting
from meetings.tests.factories import at, schedule
from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

SCHEDULED = datetime(2027, 1, 4, 9, 0, tzinfo=TZ)
MEETING_DAY = date(2027, 3, 10)


def da(msgid: str) -> str:
    with translation.override("da"):
        return gettext(msgid)


def add_item(meeting: Meeting) -> None:
    """An item with its responsible administration (Samarbejdsforum asks for one)."""
    AgendaItem.objects.create(
        meeting=meeting,
        position=99,
        title="Fleksibel udlejning",
        responsible=Organisation.objects.filter(kind="administration").first(),
    )


def make_held(meeting: Meeting, actor) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)


def make_cancelled(meeting: Meeting, actor) -> None:
    services.meeting_cancel(actor=actor, meeting=meeting, reason="Aflyst af formanden.")


@pytest.mark.parametrize("make", [make_held, make_cancelled], ids=["held", "cancelled"])
def test_the_agenda_of_a_held_or_cancelled_meeting_cannot_be_sent(
    forums, secretariat_user, member_user, settings, tmp_path, make
):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    with time_machine.travel(SCHEDULED, tick=False):
        meeting = schedule(forums["samarbejdsforum"], day=MEETING_DAY)
        add_item(meeting)
        make(meeting, secretariat_user)
        status = Meeting.objects.get(pk=meeting.pk).status
        outbox = OutboxMessage.objects.count()
        refusal = re.escape(da("The agenda of a held or cancelled meeting cannot be sent."))
        with pytest.raises(DomainError, match=refusal):
            services.agenda_send(actor=secretariat_user, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == status and meeting.agenda_sent_at is None
    assert not AgendaVersion.objects.filter(meeting=meeting).exists()
    assert OutboxMessage.objects.count() == outbox
    assert not AuditEntry.objects.filter(action="agenda.send").exists()


def test_the_agenda_of_a_planned_meeting_is_sent(forums, secretariat_user, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    with time_machine.travel(SCHEDULED, tick=False):
        meeting = schedule(forums["samarbejdsforum"], day=MEETING_DAY)
        add_item(meeting)
        services.agenda_send(actor=secretariat_user, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.AGENDA_SENT
    assert AgendaVersion.objects.filter(meeting=meeting).count() == 1
    assert at(MEETING_DAY, 14) == meeting.starts_at
