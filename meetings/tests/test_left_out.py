"""Nobody is silently left out: Partnerskabsforum has 9 members and only 2 have an e-mail
address (the 7 mayors, both chairs among them, have none). Every send says »sendt til 2 af
9 — 7 uden e-mail: …« with the names, the lists flag who has no address, failed deliveries
show on the meeting's workspace, and the secretariat is never counted as a member."""

import html
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import translation
from django.utils.translation import gettext

from core.models import AuditEntry
from forums.models import Membership, Seat
from forums.tests.factories import MembershipFactory, PersonFactory, seat
from meetings import pdf, services
from meetings.deadlines import TZ
from meetings.models import Meeting
from meetings.selectors import forum_people
from meetings.tests.factories import at
from minutes import selectors as minutes_selectors
from minutes import services as minutes_services
from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=TZ)
MEETING_DAY = date(2027, 5, 4)  # quarter 2, more than four months ahead
MAYORS = [
    "Anne Vang",
    "Bo Asmus Kjeldgaard",
    "Frank Jensen",
    "Klaus Bondam",
    "Mikkel Warming",
    "Ninna Thomsen",
    "Pia Allerslev",
]


@pytest.fixture(autouse=True)
def december_2026(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    with time_machine.travel(NOW, tick=False):
        yield


def danish(msgid: str) -> str:
    with translation.override("da"):
        return gettext(msgid)


@pytest.fixture
def partnerskabsforum(forums):
    """The mayors through Borgmesterforum (no address; the first two chair), two members
    appointed by BL 1. kreds (with addresses) and a secretary in the secretariat role."""
    mayor_seats = list(Seat.objects.filter(forum__slug="borgmesterforum").order_by("position"))
    for index, (name, mayor_seat) in enumerate(zip(MAYORS, mayor_seats, strict=True)):
        MembershipFactory(
            person=PersonFactory(name=name, email=""),
            forum=forums["borgmesterforum"],
            seat=mayor_seat,
            role=Membership.Role.CHAIR if index < 2 else Membership.Role.MEMBER,
        )
    for name, email in [("Bente Boligsen", "bente@bl.example"), ("Carl Kreds", "carl@bl.example")]:
        MembershipFactory(
            person=PersonFactory(name=name, email=email),
            forum=forums["partnerskabsforum"],
            seat=seat("partnerskabsforum"),
        )
    MembershipFactory(
        person=PersonFactory(name="Sekretær Sigrid", email="sigrid@kk.example"),
        forum=forums["partnerskabsforum"],
        seat=None,
        role=Membership.Role.SECRETARIAT,
    )
    return forums["partnerskabsforum"]


@pytest.fixture
def meeting(partnerskabsforum, secretariat_user) -> Meeting:
    return services.meeting_schedule(
        actor=secretariat_user,
        forum=partnerskabsforum,
        starts_at=at(MEETING_DAY, 14),
        ends_at=at(MEETING_DAY, 16),
        place="Rådhuset",
    )


SUMMARY = "sendt til 2 af 9 — 7 uden e-mail: " + ", ".join(MAYORS)


def _send_agenda(client, meeting, callbacks):
    with callbacks(execute=True):
        return client.post(f"/sekretariat/moeder/{meeting.pk}/send/", {"confirm": "1"}, follow=True)


def _flashes(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_sending_the_agenda_says_sent_to_2_of_9_and_names_the_7_without_e_mail(
    meeting, secretariat_client, django_capture_on_commit_callbacks
):
    response = _send_agenda(secretariat_client, meeting, django_capture_on_commit_callbacks)
    assert _flashes(response) == [f"Dagsordenen er {SUMMARY}."]
    sent = OutboxMessage.objects.filter(kind="agenda_sent")
    assert sorted(sent.values_list("recipient", flat=True)) == [
        "bente@bl.example",
        "carl@bl.example",
    ]
    assert AuditEntry.objects.filter(action="agenda.send", object_id=str(meeting.pk)).count() == 1
    # The workspace keeps saying so for the version, after the flash is gone.
    page = html.unescape(
        secretariat_client.get(f"/sekretariat/moeder/{meeting.pk}/").content.decode()
    )
    assert SUMMARY in page


def test_the_workspace_warns_before_sending_whom_the_agenda_will_not_reach(
    meeting, secretariat_client
):
    page = html.unescape(
        secretariat_client.get(f"/sekretariat/moeder/{meeting.pk}/").content.decode()
    )
    assert "7 af de 9 medlemmer har ingen e-mailadresse og modtager intet herfra:" in page
    assert ", ".join(MAYORS) in page
    assert not OutboxMessage.objects.filter(kind="agenda_sent").exists()


def test_a_forum_where_everyone_has_an_address_is_sent_to_all(
    forums, secretariat_client, secretariat_user, member_user, django_capture_on_commit_callbacks
):
    meeting = services.meeting_schedule(
        actor=secretariat_user,
        forum=forums["samarbejdsforum"],
        starts_at=at(NOW.date() + timedelta(days=40), 14),
        ends_at=at(NOW.date() + timedelta(days=40), 16),
        place="Njalsgade 13",
    )
    services.agenda_item_save(
        actor=secretariat_user,
        item=meeting.items.model(meeting=meeting),
        title="Fleksibel udlejning",
        treatment="discussion",
        responsible=forums["samarbejdsforum"].secretariat,
        files=(),
    )
    response = _send_agenda(secretariat_client, meeting, django_capture_on_commit_callbacks)
    assert _flashes(response) == ["Dagsordenen er sendt til forummets eneste medlem."]
    assert list(
        OutboxMessage.objects.filter(kind="agenda_sent").values_list("recipient", flat=True)
    ) == [member_user.email]


def test_a_failed_delivery_shows_on_the_workspace_and_in_the_sent_status(
    meeting, secretariat_client, django_capture_on_commit_callbacks
):
    _send_agenda(secretariat_client, meeting, django_capture_on_commit_callbacks)
    agenda_mail = OutboxMessage.objects.filter(kind="agenda_sent")
    agenda_mail.filter(recipient="carl@bl.example").update(
        status=OutboxMessage.Status.FAILED, last_error="550 mailbox unavailable"
    )
    page = html.unescape(
        secretariat_client.get(f"/sekretariat/moeder/{meeting.pk}/").content.decode()
    )
    failed = agenda_mail.get(recipient="carl@bl.example")
    assert "E-mails, der ikke kunne leveres" in page
    assert "550 mailbox unavailable" in page and failed.get_absolute_url() in page
    assert "sendt til 1 af 9 — 7 uden e-mail: " + ", ".join(MAYORS) in page
    assert "1 kunne ikke leveres: Carl Kreds" in page
    # A message delivered is not listed as failed.
    delivered = agenda_mail.get(recipient="bente@bl.example")
    assert delivered.get_absolute_url() not in page


def test_the_secretariat_role_is_not_a_member_of_the_forum(meeting, partnerskabsforum):
    people = forum_people(partnerskabsforum)
    assert len(people) == 9
    assert "Sekretær Sigrid" not in [p.name for p in people]


def test_the_agenda_pdf_lists_the_members_without_the_secretariat(
    meeting, secretariat_client, django_capture_on_commit_callbacks, monkeypatch
):
    rendered: list[str] = []
    monkeypatch.setattr(pdf, "html_to_pdf", lambda text: rendered.append(text) or b"%PDF-1.4")
    response = _send_agenda(secretariat_client, meeting, django_capture_on_commit_callbacks)
    assert response.status_code == 200 and rendered
    members = html.unescape(rendered[0].split('class="members"')[1].split("</ul>")[0])
    assert "Bente Boligsen" in members and "Frank Jensen" in members
    assert "Sekretær Sigrid" not in members
    assert not OutboxMessage.objects.filter(recipient="sigrid@kk.example").exists()


def test_the_contact_list_shows_one_line_per_person_and_flags_no_address(
    partnerskabsforum, secretariat_client
):
    # Frank Jensen also holds a BL seat in Partnerskabsforum itself: still one line.
    frank = Membership.objects.get(person__name="Frank Jensen").person
    MembershipFactory(person=frank, forum=partnerskabsforum, seat=seat("partnerskabsforum"))
    page = html.unescape(
        secretariat_client.get("/fora/partnerskabsforum/medlemmer/").content.decode()
    )
    contacts = page.split('id="contacts-heading"')[1].split("</table>")[0]
    assert contacts.count("<tr>") == 1 + 9  # the header and one line per member
    assert contacts.count("Frank Jensen") == 1
    assert contacts.count("ingen e-mailadresse") == 7
    assert "Sekretær Sigrid" not in contacts
    assert "Forummets sekretariat" in page and "sigrid@kk.example" in page


def test_the_forum_page_flags_members_without_an_address_for_the_secretariat_only(
    partnerskabsforum, secretariat_client, anonymous_client
):
    flag = "ingen e-mailadresse"
    secretariat_page = secretariat_client.get("/fora/partnerskabsforum/").content.decode()
    assert secretariat_page.count(flag) == 7
    assert flag not in anonymous_client.get("/fora/partnerskabsforum/").content.decode()


def test_the_membership_list_flags_members_without_an_address(
    partnerskabsforum, secretariat_client
):
    page = secretariat_client.get("/sekretariat/medlemskaber/?status=current").content.decode()
    assert page.count("ingen e-mailadresse") == 7
    people = secretariat_client.get("/sekretariat/personer/").content.decode()
    assert people.count("ingen e-mailadresse") == 7 and "mailto:bente@bl.example" in people


def test_sending_the_minutes_says_sent_to_2_of_9_and_the_minutes_page_keeps_saying_it(
    meeting, secretariat_user, secretariat_client, django_capture_on_commit_callbacks
):
    with time_machine.travel(at(MEETING_DAY, 17), tick=False):
        secretariat_client.force_login(secretariat_user)  # the December session has expired
        minutes = minutes_services.minutes_start(actor=secretariat_user, meeting=meeting)
        with django_capture_on_commit_callbacks(execute=True):
            response = secretariat_client.post(
                f"/sekretariat/moeder/{meeting.pk}/referat/send/",
                {"confirm": "1", "confirm_second": "1"},
                follow=True,
            )
        assert _flashes(response) == [
            f"Referatet er {SUMMARY}; medlemmernes bemærkningsfrist løber nu."
        ]
        assert sorted(
            OutboxMessage.objects.filter(kind="minutes_sent").values_list("recipient", flat=True)
        ) == ["bente@bl.example", "carl@bl.example"]
        page = html.unescape(response.content.decode())
        assert SUMMARY in page
        # Read status lists the 9 members, not the secretariat.
        states = minutes_selectors.member_states(minutes)
        assert len(states) == 9 and "Sekretær Sigrid" not in [s.person.name for s in states]


def test_scheduling_and_cancelling_say_whom_the_invitation_and_cancellation_reached(
    partnerskabsforum, secretariat_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            "/sekretariat/moeder/ny/",
            {
                "forum": partnerskabsforum.pk,
                "day": MEETING_DAY.isoformat(),
                "starts": "14:00",
                "ends": "16:00",
                "place": "Rådhuset",
                "confirm": "1",
            },
            follow=True,
        )
    assert _flashes(response) == [f"Mødet er planlagt; indkaldelsen er {SUMMARY}."]
    meeting = Meeting.objects.get()
    called = OutboxMessage.objects.filter(kind="meeting_called")
    assert sorted(called.values_list("recipient", flat=True)) == [
        "bente@bl.example",
        "carl@bl.example",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            f"/sekretariat/moeder/{meeting.pk}/aflys/",
            {"reason": "Valg", "confirm": "1"},
            follow=True,
        )
    assert _flashes(response) == [f"Mødet er aflyst; aflysningen er {SUMMARY}."]
    assert Meeting.objects.get().status == Meeting.Status.CANCELLED


# --- The sent status's level: a send that left anyone out is no green success -------------


def _levels(response) -> list[str]:
    return [m.level_tag for m in response.context["messages"]]


def test_a_send_that_left_members_out_says_so_as_a_warning_not_a_success(
    meeting, secretariat_client, django_capture_on_commit_callbacks
):
    response = _send_agenda(secretariat_client, meeting, django_capture_on_commit_callbacks)
    assert _levels(response) == ["warning"]
    assert (
        'class="alert alert-warning">Dagsordenen er sendt til 2 af 9' in response.content.decode()
    )
    assert OutboxMessage.objects.filter(kind="agenda_sent").count() == 2
    page = secretariat_client.get(f"/sekretariat/moeder/{meeting.pk}/").content.decode()
    assert 'class="sent-status text-warning-emphasis"' in page


def test_a_send_that_reached_nobody_is_an_error_naming_everyone_without_an_address(
    meeting, partnerskabsforum, secretariat_client, django_capture_on_commit_callbacks
):
    forum_people(partnerskabsforum)  # the nine, before the two lose their addresses
    from forums.models import Person

    Person.objects.filter(email__endswith="@bl.example").update(email="")
    response = _send_agenda(secretariat_client, meeting, django_capture_on_commit_callbacks)
    assert _levels(response) == ["error"]
    [flash] = _flashes(response)
    assert flash.startswith("Dagsordenen er sendt til 0 af 9 — 9 uden e-mail: ")
    for name in [*MAYORS, "Bente Boligsen", "Carl Kreds"]:
        assert name in flash
    assert not OutboxMessage.objects.filter(kind="agenda_sent").exists()
    page = secretariat_client.get(f"/sekretariat/moeder/{meeting.pk}/").content.decode()
    assert 'class="sent-status text-danger fw-bold"' in page


def test_a_send_that_reached_every_member_is_a_success(
    forums, secretariat_client, secretariat_user, member_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            "/sekretariat/moeder/ny/",
            {
                "forum": forums["samarbejdsforum"].pk,
                "day": (NOW.date() + timedelta(days=40)).isoformat(),
                "starts": "14:00",
                "ends": "16:00",
                "place": "Njalsgade 13",
                "confirm": "1",
            },
            follow=True,
        )
    assert _levels(response)[0] == "success"
    assert (
        _flashes(response)[0]
        == "Mødet er planlagt; indkaldelsen er sendt til forummets eneste medlem."
    )
    assert OutboxMessage.objects.filter(kind="meeting_called").count() == 1


def test_sending_the_minutes_and_a_revision_to_2_of_9_are_warnings(
    meeting, secretariat_user, secretariat_client, django_capture_on_commit_callbacks
):
    with time_machine.travel(at(MEETING_DAY, 17), tick=False):
        secretariat_client.force_login(secretariat_user)
        minutes = minutes_services.minutes_start(actor=secretariat_user, meeting=meeting)
        url = f"/sekretariat/moeder/{meeting.pk}/referat/"
        with django_capture_on_commit_callbacks(execute=True):
            sent = secretariat_client.post(
                f"{url}send/", {"confirm": "1", "confirm_second": "1"}, follow=True
            )
            minutes.items.update(summary="Drøftet.")
            revised = secretariat_client.post(
                f"{url}revider/", {"confirm": "1", "change_note": "Rettet"}, follow=True
            )
    assert _levels(sent) == ["warning"]
    assert _levels(revised) == ["warning"]
    assert _flashes(revised) == [f"Det reviderede udkast er {SUMMARY}."]
    assert OutboxMessage.objects.filter(kind="minutes_revised").count() == 2
