"""The minutes say what happened: they print the attendance the secretariat recorded, never
a member's own answer beforehand, and the approved PDF marks closed items as the agenda PDF
does."""

from datetime import date, datetime

import pytest
import time_machine
from django.test import Client
from django.utils import translation
from django.utils.html import escape
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


def attendance_warning(html: str) -> str:
    """The confirmation page's warning that links to the attendance page ("" if none)."""
    warnings = [w.split("</div>", 1)[0] for w in html.split("confirm-warning")[1:]]
    return next((w for w in warnings if "fremmoede/" in w), "")


def signed_in(user) -> Client:
    """A client signed in now (inside time_machine: a secretariat session lasts 10 hours)."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def unrecorded(forums, secretariat_user, member_user, settings, tmp_path):
    """A held Samarbejdsforum meeting whose attendance nobody has recorded yet."""
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    with time_machine.travel(datetime(2027, 1, 5, 9, 0, tzinfo=TZ), tick=False):
        meeting = schedule(forums["samarbejdsforum"], day=MEETING_DAY)
    return meeting, member_user.person


def test_the_send_confirmation_warns_that_attendance_is_not_recorded_with_a_link_to_record_it(
    unrecorded, secretariat_user, secretariat_client
):
    meeting, _person = unrecorded
    with time_machine.travel(SENT, tick=False):
        services.minutes_start(actor=secretariat_user, meeting=meeting)
        html = signed_in(secretariat_user).get(f"/sekretariat/moeder/{meeting.pk}/referat/send/")
    assert html.status_code == 200, html
    warning = attendance_warning(html.content.decode())
    assert danish("The attendance is not recorded.") in warning
    assert f'href="/sekretariat/moeder/{meeting.pk}/fremmoede/"' in warning
    assert not MinutesVersion.objects.exists()  # showing the page sends nothing


def test_the_send_confirmation_names_the_members_whose_attendance_is_missing(
    held, secretariat_user, secretariat_client
):
    meeting, person, present = held
    MembershipFactory(
        person=PersonFactory(name="Ib Ikkeregistreret"),
        forum=meeting.forum,
        seat=seat("samarbejdsforum", organisation__short_name="BL 1. kreds"),
    )
    missing = [
        p.name for p in forum_people(meeting.forum, on=MEETING_DAY) if p not in (person, present)
    ]
    assert missing
    with time_machine.travel(SENT, tick=False):
        services.minutes_start(actor=secretariat_user, meeting=meeting)
        html = signed_in(secretariat_user).get(f"/sekretariat/moeder/{meeting.pk}/referat/send/")
    warning = attendance_warning(html.content.decode())
    for name in missing:
        assert escape(name) in warning
    assert escape(person.name) not in warning
    # Once everybody's attendance is recorded, the warning goes.
    meeting_services.presence_record(
        actor=secretariat_user,
        meeting=meeting,
        entries=[(p, "present", None) for p in forum_people(meeting.forum, on=MEETING_DAY)],
        now=DURING,
    )
    with time_machine.travel(SENT, tick=False):
        html = signed_in(secretariat_user).get(f"/sekretariat/moeder/{meeting.pk}/referat/send/")
    assert "fremmoede/" not in html.content.decode()


def test_attendance_recorded_after_sending_shows_on_the_minutes_page_and_pdf_until_approval(
    unrecorded, secretariat_user, member_client, django_capture_on_commit_callbacks
):
    meeting, person = unrecorded
    with time_machine.travel(SENT, tick=False), django_capture_on_commit_callbacks(execute=True):
        minutes = services.minutes_start(actor=secretariat_user, meeting=meeting)
        services.minutes_send(actor=secretariat_user, minutes=minutes)
    sent = MinutesVersion.objects.get(minutes=minutes)
    assert sent.snapshot["attendance"] == []
    meeting_services.presence_record(
        actor=secretariat_user, meeting=meeting, entries=[(person, "excused", None)], now=SENT
    )
    line = f"{person.name} – {danish('Sent apologies')}"

    page = member_client.get(f"/moeder/{meeting.pk}/referat/").content.decode()
    pdf = member_client.get(f"/moeder/{meeting.pk}/referat/version/1.pdf")
    assert line in page.replace("&ndash;", "–")
    assert line in pdf_text(b"".join(pdf.streaming_content) if pdf.streaming else pdf.content)
    sent.refresh_from_db()
    assert sent.snapshot["attendance"] == []  # what was sent stays as it was sent

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_due(now=AFTER_WINDOW)
    final = MinutesVersion.objects.get(minutes=minutes, is_final=True)
    assert [(a["name"], a["status"]) for a in final.snapshot["attendance"]] == [
        (person.name, "excused")
    ]


def test_recorded_attendance_cannot_change_once_the_minutes_are_approved(
    held, secretariat_user, secretariat_client, django_capture_on_commit_callbacks
):
    from core.errors import DomainError
    from core.models import AuditEntry
    from meetings.models import Presence

    meeting, person, _present = held
    send_and_approve(meeting, secretariat_user, django_capture_on_commit_callbacks)
    before = list(Presence.objects.values_list("person_id", "status"))
    audits = AuditEntry.objects.filter(action="presence.record").count()
    message = danish(
        "The minutes are approved: the attendance recorded with them cannot be changed."
    )

    with pytest.raises(DomainError) as refused:
        meeting_services.presence_record(
            actor=secretariat_user,
            meeting=meeting,
            entries=[(person, "present", None)],
            now=AFTER_WINDOW,
        )
    assert refused.value.messages == [message]
    with time_machine.travel(AFTER_WINDOW, tick=False):
        response = signed_in(secretariat_user).post(
            f"/sekretariat/moeder/{meeting.pk}/fremmoede/", {f"status_{person.pk}": "present"}
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f'name="status_{person.pk}"' not in html  # shown read-only
    assert danish("Sent apologies") in html
    assert list(Presence.objects.values_list("person_id", "status")) == before
    assert AuditEntry.objects.filter(action="presence.record").count() == audits
