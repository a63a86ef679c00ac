"""The minutes say what happened: they print the attendance the secretariat recorded, never
a member's own answer beforehand, and the approved PDF marks closed items as the agenda PDF
does."""

from datetime import date, datetime

import pytest
import time_machine
from django.utils import translation
from django.utils.translation import gettext

from forums.models import Organisation
from forums.selectors import forum_people
from forums.tests.factories import MembershipFactory, PersonFactory, seat
from meetings import services as meeting_services
from meetings.deadlines import TZ
from meetings.models import AgendaItem, Attendance
from meetings.tests.factories import schedule
from meetings.tests.test_public import pdf_text
from minutes import services
from minutes.models import MinutesVersion

pytestmark = pytest.mark.django_db

MEETING_DAY = date(2027, 3, 10)
DURING = datetime(2027, 3, 10, 14, 30, tzinfo=TZ)
SENT = datetime(2027, 3, 15, 10, 0, tzinfo=TZ)
AFTER_WINDOW = datetime(2027, 3, 30, 0, 1, tzinfo=TZ)
CLOSED_TITLE = "Lukket lejesag Vestergade"


def danish(msgid: str, **params) -> str:
    with translation.override("da"):
        text = gettext(msgid)
        return text % params if params else text


@pytest.fixture
def held(forums, secretariat_user, member_user, settings, tmp_path):
    """A Samarbejdsforum meeting with a closed item; the member answered »coming, 13:15«,
    and the secretariat recorded that the member sent apologies after all."""
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    with time_machine.travel(datetime(2027, 1, 5, 9, 0, tzinfo=TZ), tick=False):
        meeting = schedule(forums["samarbejdsforum"], day=MEETING_DAY)
        meeting_services.agenda_item_save(
            actor=secretariat_user,
            item=AgendaItem(meeting=meeting),
            title=CLOSED_TITLE,
            treatment="decision",
            responsible=Organisation.objects.get(short_name="TMF"),
            is_closed=True,
        )
        person = member_user.person
        meeting_services.attendance_register(
            actor=member_user,
            meeting=meeting,
            person=person,
            status="attending",
            note="kommer 13:15",
        )
    other = PersonFactory(name="Lone Lejer")
    MembershipFactory(
        person=other,
        forum=forums["samarbejdsforum"],
        seat=seat("samarbejdsforum", organisation__short_name="LLO"),
    )
    others = [p for p in forum_people(meeting.forum, on=MEETING_DAY) if p.pk != person.pk]
    meeting_services.presence_record(
        actor=secretariat_user,
        meeting=meeting,
        entries=[(person, "excused", None), (others[0], "present", None)],
        now=DURING,
    )
    return meeting, person, others[0]


def send_and_approve(meeting, secretariat_user, callbacks):
    with time_machine.travel(SENT, tick=False), callbacks(execute=True):
        minutes = services.minutes_start(actor=secretariat_user, meeting=meeting)
        services.minutes_send(actor=secretariat_user, minutes=minutes)
    with callbacks(execute=True):
        services.approve_due(now=AFTER_WINDOW)
    minutes.refresh_from_db()
    return minutes


def test_the_minutes_print_the_recorded_attendance_never_the_members_answer(
    held, secretariat_user, member_client, django_capture_on_commit_callbacks
):
    meeting, person, present = held
    minutes = send_and_approve(meeting, secretariat_user, django_capture_on_commit_callbacks)
    final = MinutesVersion.objects.get(minutes=minutes, is_final=True)

    assert [(a["name"], a["status"]) for a in final.snapshot["attendance"]] == sorted(
        [(person.name, "excused"), (present.name, "present")]
    )
    assert Attendance.objects.get(person=person).status == "attending"  # the answer is kept

    page = member_client.get(f"/moeder/{meeting.pk}/referat/").content.decode()
    text = pdf_text(final.pdf.open("rb").read())
    for shown in (page, text):
        assert f"{person.name} – {danish('Sent apologies')}" in shown.replace("&ndash;", "–")
        assert f"{present.name} – {danish('Present')}" in shown.replace("&ndash;", "–")
        assert "kommer 13:15" not in shown
        assert danish("Attending") not in shown


def test_the_approved_minutes_pdf_marks_closed_items_as_the_agenda_pdf_does(
    held, secretariat_user, django_capture_on_commit_callbacks
):
    meeting, _person, _present = held
    minutes = send_and_approve(meeting, secretariat_user, django_capture_on_commit_callbacks)
    final = MinutesVersion.objects.get(minutes=minutes, is_final=True)
    closed = next(i for i in final.items if i["is_closed"])

    text = pdf_text(final.pdf.open("rb").read())
    assert f"{closed['position']}. {CLOSED_TITLE} {danish('closed item')}" in text
    assert text.count(danish("closed item")) == 1  # the open items carry no mark
