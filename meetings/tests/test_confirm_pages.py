"""Calling, moving and cancelling a meeting, deleting an item and sending the minutes go
through a confirmation page (issue 13 §2): GET, or a POST without ``confirm``, only shows
what would happen — recipients by name, who has no address, the subject, what is lost —
and its button, which says what it does, does it. Minutes with empty items need a second,
ticked confirmation that the server checks."""

from datetime import date, datetime

import pytest
import time_machine
from django.utils import translation
from django.utils.translation import gettext, ngettext

from core.models import AuditEntry
from forums.models import Membership
from forums.tests.factories import MembershipFactory, PersonFactory, forum, seat
from meetings import services
from meetings.deadlines import TZ
from meetings.models import AgendaItem, Meeting, Organisation
from meetings.tests.factories import at, schedule
from minutes import services as minutes_services
from minutes.models import Minutes
from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 2, 1, 10, 0, tzinfo=TZ)
DAY = date(2027, 3, 16)


@pytest.fixture(autouse=True)
def february_2027(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def danish(msgid: str, **params) -> str:
    with translation.override("da"):
        text = gettext(msgid)
        return text % params if params else text


@pytest.fixture
def no_address(forums):
    return MembershipFactory(
        person=PersonFactory(name="Uden Adresse", email=""),
        forum=forum("samarbejdsforum"),
        seat=seat("samarbejdsforum"),
        role=Membership.Role.MEMBER,
    ).person


@pytest.fixture
def meeting(forums, member_user, no_address, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return schedule(forums["samarbejdsforum"], day=DAY)


def mails(kind: str):
    return OutboxMessage.objects.filter(kind=kind)


def schedule_form(forums, **extra) -> dict:
    return {
        "forum": forums["samarbejdsforum"].pk,
        "title": "",
        "day": DAY.isoformat(),
        "starts": "14:00",
        "ends": "16:00",
        "place": "Rådhuset",
        **extra,
    }


def test_calling_a_meeting_shows_the_invitations_recipients_before_anything_is_stored(
    forums, member_user, no_address, secretariat_client, django_capture_on_commit_callbacks
):
    page = secretariat_client.post("/sekretariat/moeder/ny/", schedule_form(forums))

    text = page.content.decode()
    assert not Meeting.objects.exists() and not mails("meeting_called").exists()
    assert member_user.full_name in text and "Uden Adresse" in text
    assert danish("no e-mail address") in text and danish("Call the meeting") in text
    assert 'type="hidden" name="place" value="Rådhuset"' in text  # what was typed travels on

    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post("/sekretariat/moeder/ny/", schedule_form(forums, confirm="1"))
    assert Meeting.objects.count() == 1
    assert list(mails("meeting_called").values_list("recipient", flat=True)) == [member_user.email]


def test_moving_a_meeting_is_confirmed_with_the_old_and_new_time_before_anyone_is_told(
    meeting, secretariat_client, django_capture_on_commit_callbacks
):
    moved = {"day": "2027-03-17", "starts": "10:00", "ends": "12:00", "place": "Rådhuset"}
    page = secretariat_client.post(f"/sekretariat/moeder/{meeting.pk}/flyt/", moved)

    meeting.refresh_from_db()
    assert meeting.starts_at == at(DAY, 14) and meeting.sequence == 0
    assert not mails("meeting_moved").exists()
    assert "16. marts 2027 14:00" in page.content.decode()
    assert "17. marts 2027 10:00" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(
            f"/sekretariat/moeder/{meeting.pk}/flyt/", {**moved, "confirm": "1"}
        )
    meeting.refresh_from_db()
    assert meeting.starts_at == at(date(2027, 3, 17), 10) and mails("meeting_moved").count() == 1


def test_cancelling_needs_the_button_that_says_cancel_the_meeting(
    meeting, member_user, secretariat_client, secretariat_user, django_capture_on_commit_callbacks
):
    page = secretariat_client.get(f"/sekretariat/moeder/{meeting.pk}/aflys/")
    text = page.content.decode()
    assert danish("Cancel the meeting") == "Aflys mødet"
    assert f">{danish('Cancel the meeting')}</button>" in text
    assert "Uden Adresse" in text and danish("no e-mail address") in text

    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(f"/sekretariat/moeder/{meeting.pk}/aflys/", {"reason": "Valg"})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED and not mails("meeting_cancelled").exists()

    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(
            f"/sekretariat/moeder/{meeting.pk}/aflys/", {"reason": "Valg", "confirm": "1"}
        )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert list(mails("meeting_cancelled").values_list("recipient", flat=True)) == [
        member_user.email
    ]
    assert AuditEntry.objects.filter(action="meeting.cancel", actor=secretariat_user).exists()


def test_deleting_an_item_says_what_is_lost_and_needs_the_confirm_button(
    meeting, secretariat_client, secretariat_user
):
    item = services.agenda_item_save(
        actor=secretariat_user,
        item=AgendaItem(meeting=meeting),
        title="Fleksibel udlejning",
        treatment="discussion",
        responsible=Organisation.objects.get(short_name="TMF"),
    )

    page = secretariat_client.get(f"/sekretariat/punkter/{item.pk}/slet/").content.decode()
    assert danish("What is lost") in page and "Fleksibel udlejning" in page
    assert danish("Delete the item") in page

    secretariat_client.post(f"/sekretariat/punkter/{item.pk}/slet/")
    assert AgendaItem.objects.filter(pk=item.pk).exists()
    assert not AuditEntry.objects.filter(action="agenda_item.delete").exists()

    secretariat_client.post(f"/sekretariat/punkter/{item.pk}/slet/", {"confirm": "1"})
    assert not AgendaItem.objects.filter(pk=item.pk).exists()
    assert AuditEntry.objects.filter(action="agenda_item.delete").count() == 1


@pytest.fixture
def held_minutes(meeting, secretariat_user, february_2027):
    services.agenda_item_save(
        actor=secretariat_user,
        item=AgendaItem(meeting=meeting),
        title="Fleksibel udlejning",
        treatment="discussion",
        responsible=Organisation.objects.get(short_name="TMF"),
    )
    february_2027.move_to(at(DAY, 17))
    return minutes_services.minutes_start(actor=secretariat_user, meeting=meeting)


def test_minutes_with_empty_items_name_them_and_need_a_ticked_second_confirmation(
    held_minutes,
    member_user,
    secretariat_client,
    secretariat_user,
    django_capture_on_commit_callbacks,
):
    secretariat_client.force_login(secretariat_user)
    url = f"/sekretariat/moeder/{held_minutes.meeting_id}/referat/send/"
    positions = list(held_minutes.items.order_by("position").values_list("position", flat=True))
    assert len(positions) == 2  # the item and »Eventuelt«, neither written yet
    with translation.override("da"):
        empty = ngettext(
            "Item %(numbers)s is empty: it has neither a summary nor a decision.",
            "Items %(numbers)s are empty: they have neither a summary nor a decision.",
            2,
        ) % {"numbers": danish("%(first)s and %(last)s", first="1", last="2")}
    assert empty.startswith("Punkt 1 og 2 er tomme")

    page = secretariat_client.get(url).content.decode()
    assert empty in page and "Uden Adresse" in page

    with django_capture_on_commit_callbacks(execute=True):
        refused = secretariat_client.post(url, {"confirm": "1"}).content.decode()
    held_minutes.refresh_from_db()
    assert held_minutes.status == Minutes.Status.DRAFT and not mails("minutes_sent").exists()
    assert danish("Tick the box to send the minutes with empty items.") in refused

    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(url, {"confirm": "1", "confirm_second": "1"})
    held_minutes.refresh_from_db()
    assert held_minutes.status == Minutes.Status.SENT
    assert list(mails("minutes_sent").values_list("recipient", flat=True)) == [member_user.email]


def test_minutes_with_every_item_written_need_no_second_confirmation(
    held_minutes, secretariat_client, secretariat_user, django_capture_on_commit_callbacks
):
    secretariat_client.force_login(secretariat_user)
    items = {i.pk: {"summary": "Drøftet.", "decision": ""} for i in held_minutes.items.all()}
    minutes_services.minutes_save(
        actor=secretariat_user, minutes=held_minutes, lock_version=0, introduction="", items=items
    )
    url = f"/sekretariat/moeder/{held_minutes.meeting_id}/referat/send/"
    assert 'name="confirm_second"' not in secretariat_client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(url, {"confirm": "1"})
    held_minutes.refresh_from_db()
    assert held_minutes.status == Minutes.Status.SENT


def test_the_minutes_pdf_preview_stores_nothing(held_minutes, secretariat_client, secretariat_user):
    secretariat_client.force_login(secretariat_user)
    response = secretariat_client.get(
        f"/sekretariat/moeder/{held_minutes.meeting_id}/referat/send/forhaandsvisning.pdf"
    )
    assert response.content.startswith(b"%PDF") and not held_minutes.versions.exists()


def test_a_revised_draft_of_the_minutes_is_sent_only_from_its_confirmation_page(
    held_minutes, secretariat_client, secretariat_user, django_capture_on_commit_callbacks
):
    secretariat_client.force_login(secretariat_user)
    with django_capture_on_commit_callbacks(execute=True):
        minutes_services.minutes_send(actor=secretariat_user, minutes=held_minutes)
    item = held_minutes.items.order_by("position").first()
    minutes_services.minutes_save(
        actor=secretariat_user,
        minutes=held_minutes,
        lock_version=Minutes.objects.get(pk=held_minutes.pk).lock_version,
        introduction="",
        items={item.pk: {"summary": "Rettet.", "decision": ""}},
    )
    url = f"/sekretariat/moeder/{held_minutes.meeting_id}/referat/revider/"

    page = secretariat_client.post(url, {"change_note": "Punkt 1 rettet"}).content.decode()
    assert "Punkt 1 rettet" in page and "Uden Adresse" in page
    assert danish("Send version %(number)d to the members", number=2) in page
    assert held_minutes.versions.count() == 1 and not mails("minutes_revised").exists()

    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(url, {"change_note": "Punkt 1 rettet", "confirm": "1"})
    assert held_minutes.versions.filter(number=2).exists()
    assert mails("minutes_revised").count() == 1
