"""Each forum's standard agenda items are data the secretariat edits within the mandate:
procedural items need no responsible administration, Partnerskabsforum's required items
cannot be removed and its agenda is not sent without them."""

from datetime import date, datetime

import pytest
import time_machine
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from core.errors import DomainError
from core.models import AuditEntry
from forums import services as forum_services
from forums.models import StandardAgendaItem
from meetings import services
from meetings.models import AgendaItem, Meeting
from meetings.tests.factories import schedule
from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

NOW = datetime.fromisoformat("2026-12-01T10:00:00+01:00")


def danish(msgid: str, **params) -> str:
    with translation.override("da"):
        text = gettext(msgid)
        return text % params if params else text


def flashes(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def standard_titles(forum) -> list[tuple[int, str]]:
    return list(forum.standard_items.order_by("position").values_list("position", "title"))


def page(slug: str) -> str:
    return f"/sekretariat/fora/{slug}/standardpunkter/"


@pytest.fixture
def partnerskabsforum_meeting(forums, secretariat_user):
    with time_machine.travel(NOW, tick=False):
        return schedule(forums["partnerskabsforum"], day=date(2027, 5, 20), now=NOW)


def test_the_four_procedural_titles_are_procedural_and_the_substantive_items_are_not(forums):
    procedural = set(
        StandardAgendaItem.objects.filter(is_procedural=True).values_list("title", flat=True)
    )
    assert procedural == {"Næste møde", "Eventuelt"}  # the two the forums' lists hold today
    assert not StandardAgendaItem.objects.filter(required=True, is_procedural=True).exists()


def test_a_new_agenda_copies_each_standard_item_with_its_link_and_procedural_flag(forums):
    with time_machine.travel(NOW, tick=False):
        meeting = schedule(forums["borgmesterforum"], day=date(2027, 2, 10), now=NOW)
    copied = list(
        meeting.items.filter(standard_item__isnull=False)
        .order_by("position")
        .values_list("title", "is_procedural", "standard_item__position")
    )
    assert copied == [
        ("Afrapportering fra Den Tværkommunale Styregruppe", False, 1),
        ("Status på implementering af hovedaftalen", False, 2),
        ("Områdefornyelse og andre områdebaserede indsatser", False, 3),
        ("Emner til drøftelse i Partnerskabsforum", False, 4),
        ("Næste møde", True, 5),
        ("Eventuelt", True, 6),
    ]


def test_procedural_items_need_no_responsible_but_a_substantive_standard_item_does(
    forums, secretariat_user
):
    sf = forums["samarbejdsforum"]
    forum_services.standard_item_add(
        actor=secretariat_user, forum=sf, title="Meddelelser", is_procedural=True
    )
    forum_services.standard_item_add(
        actor=secretariat_user, forum=sf, title="Status på den boligsociale anvisning"
    )
    with time_machine.travel(NOW, tick=False):
        meeting = schedule(sf, day=date(2027, 1, 20), now=NOW)

        with pytest.raises(DomainError) as refused:
            services.agenda_send(actor=secretariat_user, meeting=meeting, now=NOW)

    substantive = meeting.items.get(title="Status på den boligsociale anvisning")
    assert refused.value.messages == [
        danish(
            "Every item needs a responsible administration before the agenda is sent: %(items)s.",
            items=f"{substantive.position}. Status på den boligsociale anvisning",
        )
    ]
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED and not meeting.versions.exists()
    assert not OutboxMessage.objects.filter(kind__startswith="agenda").exists()


def test_the_secretariat_adds_renames_and_marks_an_item_procedural_from_the_forum_page(
    forums, secretariat_client, secretariat_user
):
    sf = forums["samarbejdsforum"]
    response = secretariat_client.post(
        page("samarbejdsforum"),
        {"title": "Godkendelse af dagsorden", "description": "", "is_procedural": "on"},
    )
    item = sf.standard_items.get(title="Godkendelse af dagsorden")
    assert response.status_code == 302
    assert response["Location"] == f"{page('samarbejdsforum')}#standard-item-{item.pk}"
    # Placed before »Eventuelt«, which stays last.
    assert (item.position, item.is_procedural, item.required) == (1, True, False)
    assert standard_titles(sf)[-1] == (2, "Eventuelt")

    response = secretariat_client.post(
        f"{page('samarbejdsforum')}{item.pk}/rediger/",
        {"title": "Godkendelse af dagsordenen", "description": "Kort"},
    )
    item.refresh_from_db()
    assert (item.title, item.description, item.is_procedural) == (
        "Godkendelse af dagsordenen",
        "Kort",
        False,
    )
    assert list(
        AuditEntry.objects.filter(object_id=str(item.pk))
        .order_by("pk")
        .values_list("action", "actor")
    ) == [
        ("standard_item.create", secretariat_user.pk),
        ("standard_item.update", secretariat_user.pk),
    ]


def test_a_duplicate_title_is_refused_at_the_field_and_the_typed_text_stays(
    forums, secretariat_client
):
    response = secretariat_client.post(
        page("samarbejdsforum"), {"title": "eventuelt", "description": "Mit udkast"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["title"] == [
        danish(
            "%(forum)s already has the standard item »%(title)s«.",
            forum="Samarbejdsforum",
            title="eventuelt",
        )
    ]
    assert "Mit udkast" in response.content.decode()
    assert standard_titles(forums["samarbejdsforum"]) == [(1, "Eventuelt")]


def test_standard_items_move_up_down_and_to_number_n_and_the_page_returns_to_the_item(
    forums, secretariat_client, secretariat_user
):
    bf = forums["borgmesterforum"]
    next_meeting = bf.standard_items.get(title="Næste møde")
    url = f"{page('borgmesterforum')}{next_meeting.pk}/flyt/"

    response = secretariat_client.post(url, {"to": "2"})
    assert response["Location"] == f"{page('borgmesterforum')}#standard-item-{next_meeting.pk}"
    assert [t for _, t in standard_titles(bf)][:3] == [
        "Afrapportering fra Den Tværkommunale Styregruppe",
        "Næste møde",
        "Status på implementering af hovedaftalen",
    ]
    secretariat_client.post(url, {"to": "3"})  # "down" posts the next number
    secretariat_client.post(url, {"to": "99"})  # beyond the end: last before »Eventuelt«
    assert standard_titles(bf)[-2:] == [(5, "Næste møde"), (6, "Eventuelt")]
    assert [p for p, _ in standard_titles(bf)] == [1, 2, 3, 4, 5, 6]
    assert AuditEntry.objects.filter(action="standard_item.move").count() == 3


def test_partnerskabsforums_required_items_cannot_be_removed_but_eventuelt_can(
    forums, secretariat_client
):
    pf = forums["partnerskabsforum"]
    required = pf.standard_items.filter(required=True).first()

    response = secretariat_client.post(
        f"{page('partnerskabsforum')}{required.pk}/fjern/", follow=True
    )

    assert flashes(response) == [
        danish(
            "»%(title)s« is required by the terms of reference of %(forum)s and cannot be removed.",
            title=required.title,
            forum="Partnerskabsforum",
        )
    ]
    assert pf.standard_items.filter(pk=required.pk).exists()
    assert not AuditEntry.objects.filter(action="standard_item.remove").exists()

    eventuelt = pf.standard_items.get(title="Eventuelt")
    secretariat_client.post(f"{page('partnerskabsforum')}{eventuelt.pk}/fjern/")
    assert [t for _, t in standard_titles(pf)] == [
        "Status på elementerne i hovedaftalen og beslutning om justering af hovedaftalens "
        "politiske prioriteringer",
        "De områdebaserede indsatser i relation til de almene boligområder",
    ]
    assert AuditEntry.objects.filter(
        action="standard_item.remove", data__title="Eventuelt"
    ).exists()


def test_a_required_item_stays_on_the_partnerskabsforum_agenda(
    partnerskabsforum_meeting, secretariat_client
):
    item = partnerskabsforum_meeting.items.get(standard_item__required=True, position=1)

    response = secretariat_client.post(f"/sekretariat/punkter/{item.pk}/slet/", follow=True)

    assert flashes(response) == [
        danish(
            "»%(title)s« is required by the forum's terms of reference and stays on the agenda.",
            title=item.title,
        )
    ]
    assert AgendaItem.objects.filter(pk=item.pk).exists()
    assert not AuditEntry.objects.filter(action="agenda_item.delete").exists()


def test_the_partnerskabsforum_agenda_is_not_sent_without_its_required_items(
    partnerskabsforum_meeting, secretariat_user
):
    meeting = partnerskabsforum_meeting
    area = meeting.items.get(title__startswith="De områdebaserede indsatser")
    area.delete()  # an agenda made before the rule, or by another path

    with time_machine.travel(NOW, tick=False), pytest.raises(DomainError) as refused:
        services.agenda_send(actor=secretariat_user, meeting=meeting, now=NOW)

    assert refused.value.messages == [
        danish(
            "The terms of reference require these items on the agenda: %(items)s.",
            items="»De områdebaserede indsatser i relation til de almene boligområder«",
        )
    ]
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED and not meeting.versions.exists()
    assert not OutboxMessage.objects.filter(kind__startswith="agenda").exists()
    assert not AuditEntry.objects.filter(action="agenda.send").exists()


def test_the_partnerskabsforum_agenda_with_its_required_items_is_sent(
    partnerskabsforum_meeting, secretariat_user
):
    with time_machine.travel(NOW, tick=False):
        version = services.agenda_send(
            actor=secretariat_user, meeting=partnerskabsforum_meeting, now=NOW
        )
    assert version.number == 1
    assert AuditEntry.objects.filter(action="agenda.send").count() == 1


def test_members_cannot_edit_standard_items(forums, member_client):
    eventuelt = forums["samarbejdsforum"].standard_items.get()
    member_client.post(page("samarbejdsforum"), {"title": "Mit punkt"})
    member_client.post(f"{page('samarbejdsforum')}{eventuelt.pk}/fjern/")
    assert standard_titles(forums["samarbejdsforum"]) == [(1, "Eventuelt")]


def test_a_new_standard_item_goes_before_eventuelt_which_stays_last(
    forums, secretariat_client, secretariat_user
):
    bf = forums["borgmesterforum"]
    response = secretariat_client.post(
        page("borgmesterforum"), {"title": "Temadrøftelse", "description": ""}
    )
    assert response.status_code == 302
    assert standard_titles(bf)[-3:] == [(5, "Næste møde"), (6, "Temadrøftelse"), (7, "Eventuelt")]
    assert [p for p, _ in standard_titles(bf)] == list(range(1, 8))
    added = bf.standard_items.get(title="Temadrøftelse")
    assert AuditEntry.objects.filter(action="standard_item.create", object_id=str(added.pk))

    # Moving an item past the end keeps »Eventuelt« last too.
    forum_services.standard_item_move(actor=secretariat_user, item=added, to=1)
    forum_services.standard_item_move(actor=secretariat_user, item=added, to=99)
    assert standard_titles(bf)[-2:] == [(6, "Temadrøftelse"), (7, "Eventuelt")]


def test_a_default_responsible_administration_is_copied_so_the_agenda_can_be_sent(
    forums, secretariat_client, secretariat_user
):
    from forums.models import Organisation

    sf = forums["samarbejdsforum"]
    tmf = Organisation.objects.get(short_name="TMF")
    response = secretariat_client.post(
        page("samarbejdsforum"),
        {"title": "Status på den boligsociale anvisning", "responsible": tmf.pk},
    )
    assert response.status_code == 302
    standard = sf.standard_items.get(title="Status på den boligsociale anvisning")
    assert standard.responsible == tmf
    with time_machine.travel(NOW, tick=False):
        meeting = schedule(sf, day=date(2027, 1, 20), now=NOW)
        item = meeting.items.get(standard_item=standard)
        assert item.responsible == tmf
        services.agenda_send(actor=secretariat_user, meeting=meeting, now=NOW)
    meeting.refresh_from_db()
    assert meeting.versions.count() == 1
    html = secretariat_client.get(page("samarbejdsforum")).content.decode()
    assert escape(tmf.name) in html.split(f'id="standard-item-{standard.pk}"', 1)[1]


def test_a_required_items_remove_button_is_disabled_with_its_reason(forums, secretariat_client):
    pf = forums["partnerskabsforum"]
    html = secretariat_client.get(page("partnerskabsforum")).content.decode()
    for required in pf.standard_items.filter(required=True):
        row = html.split(f'id="standard-item-{required.pk}"', 1)[1].split("</li>", 1)[0]
        button = row.split('standard-item-remove"', 1)[1].split(">", 1)[0]
        assert "disabled" in button
        assert f'aria-describedby="required-reason-{required.pk}"' in button
        reason = row.split(f'id="required-reason-{required.pk}">', 1)[1].split("<", 1)[0]
        assert reason == danish("The item is required by the terms of reference")
        assert "/fjern/" not in row
    eventuelt = pf.standard_items.get(title="Eventuelt")
    row = html.split(f'id="standard-item-{eventuelt.pk}"', 1)[1].split("</li>", 1)[0]
    assert "/fjern/" in row and "disabled" not in row


def test_the_standard_item_form_says_what_procedural_means_once(forums, secretariat_client):
    html = secretariat_client.get(page("samarbejdsforum")).content.decode()
    form = html.split(danish("Add a standard item"), 1)[1]
    assert form.count(escape(danish("A procedural item needs no responsible administration."))) == 1
    assert escape(danish("Procedural (no responsible administration needed)")) not in form


def test_a_required_items_remove_button_on_the_meeting_agenda_is_disabled_with_its_reason(
    partnerskabsforum_meeting, secretariat_client
):
    meeting = partnerskabsforum_meeting
    response = secretariat_client.get(f"/sekretariat/moeder/{meeting.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    required_items = meeting.items.filter(standard_item__required=True)
    assert required_items.count() == 2
    for item in required_items:
        row = html.split(f'id="item-{item.pk}"', 1)[1].split("</li>", 1)[0]
        button = row.split('agenda-item-remove"', 1)[1].split(">", 1)[0]
        assert "disabled" in button
        assert f'aria-describedby="required-reason-{item.pk}"' in button
        reason = row.split(f'id="required-reason-{item.pk}">', 1)[1].split("<", 1)[0]
        assert reason == danish("The item is required by the terms of reference")
        assert f"/sekretariat/punkter/{item.pk}/slet/" not in row
    other = meeting.items.get(title="Eventuelt")
    row = html.split(f'id="item-{other.pk}"', 1)[1].split("</li>", 1)[0]
    assert f"/sekretariat/punkter/{other.pk}/slet/" in row
    assert "disabled" not in row.split('agenda-item-remove"', 1)[1].split(">", 1)[0]
