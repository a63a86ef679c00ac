"""Ground shared by the submission tests: minutes sent to Samarbejdsforum's members."""

from datetime import date, datetime

import pytest
import time_machine

from meetings.deadlines import TZ
from meetings.tests.factories import schedule
from minutes import services as minutes_services

MEETING_DAY = date(2027, 3, 10)
SENT = datetime(2027, 3, 15, 10, 0, tzinfo=TZ)


@pytest.fixture
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def sent_minutes(forums, secretariat_user, private_media):
    with time_machine.travel(datetime(2027, 1, 5, 9, 0, tzinfo=TZ), tick=False):
        meeting = schedule(forums["samarbejdsforum"], day=MEETING_DAY)
    with time_machine.travel(SENT, tick=False):
        minutes = minutes_services.minutes_start(actor=secretariat_user, meeting=meeting)
        minutes_services.minutes_send(actor=secretariat_user, minutes=minutes)
    return minutes
