"""The public forum pages, the members' page and the secretariat's forms."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.models import AuditEntry
from forums.models import Membership, Organisation, Person, ThemeGroup
from forums.tests.factories import (
    MembershipFactory,
    PersonFactory,
    ThemeGroupFactory,
    holder_for,
    seat,
)

pytestmark = pytest.mark.django_db


def test_the_public_forum_page_lists_current_members_by_seat_with_names_and_titles_only(
    client, forums
):
    person = PersonFactory(
        name="Karen Kontorchef",
        title="Kontorchef",
        email="karen@example.org",
        phone="+45 12 34 56 78",
    )
    MembershipFactory(
        person=person,
        forum=forums["tvaerkommunal-styregruppe"],
        seat=seat("tvaerkommunal-styregruppe", organisation__short_name="TMF"),
    )
    former = PersonFactory(name="Tidligere Medlem")
    MembershipFactory(
        person=former,
        forum=forums["tvaerkommunal-styregruppe"],
        seat=seat("tvaerkommunal-styregruppe", organisation__short_name="SOF"),
        starts_on=date(2015, 1, 1),
        ends_on=date(2019, 1, 1),
    )
    html = client.get("/fora/tvaerkommunal-styregruppe/").content.decode()
    assert "Karen Kontorchef" in html and "Kontorchef" in html
    assert "Repræsentant for TMF" in html
    assert "Tidligere Medlem" not in html
    assert "karen@example.org" not in html and "12 34 56 78" not in html and "mailto:" not in html


def test_samarbejdsforum_lists_styregruppens_members_as_its_municipal_side(client, forums):
    MembershipFactory(
        person=PersonFactory(name="Søren Socialchef"),
        forum=forums["tvaerkommunal-styregruppe"],
        seat=seat("tvaerkommunal-styregruppe", organisation__short_name="SOF"),
    )
    html = client.get("/fora/samarbejdsforum/").content.decode()
    assert "Søren Socialchef" in html
    assert 'href="/fora/tvaerkommunal-styregruppe/"' in html


def test_the_public_page_states_the_rules_from_the_forums_data(client, forums):
    html = client.get("/fora/partnerskabsforum/").content.decode()
    for fragment in ("21", "14", "Rådhuset", "Status på elementerne i hovedaftalen"):
        assert fragment in html
    forums["partnerskabsforum"].proposal_deadline_days = 28
    forums["partnerskabsforum"].save()
    assert "28" in client.get("/fora/partnerskabsforum/").content.decode()


def test_the_public_page_shows_active_theme_groups_only(client, forums):
    ThemeGroupFactory(name="Temagruppe om tryghed")
    ThemeGroupFactory(
        name="Nedlagt temagruppe", set_up_on=date(2012, 1, 1), ends_on=date(2014, 1, 1)
    )
    html = client.get("/fora/samarbejdsforum/").content.decode()
    assert "Temagruppe om tryghed" in html and "Nedlagt temagruppe" not in html


def test_the_members_page_shows_contact_details_and_the_membership_history(member_client, forums):
    old = MembershipFactory(
        person=PersonFactory(name="Lars Lejer", email="lars@example.org"),
        forum=forums["samarbejdsforum"],
        seat=seat("samarbejdsforum", organisation__short_name="LLO"),
        starts_on=date(2012, 1, 1),
        ends_on=date(2020, 12, 31),
    )
    MembershipFactory(
        person=PersonFactory(name="Lise Lejer", email="lise@example.org"),
        forum=forums["samarbejdsforum"],
        seat=old.seat,
        starts_on=date(2021, 1, 1),
        replaces=old,
    )
    html = member_client.get("/fora/samarbejdsforum/medlemmer/").content.decode()
    assert "lise@example.org" in html
    assert "Lars Lejer" in html  # in the history
    assert html.count("Lise Lejer") >= 2


def test_the_members_page_query_count_does_not_grow_with_the_history(
    member_client, forums, django_assert_max_num_queries
):
    for year in range(2011, 2021):
        MembershipFactory(
            forum=forums["samarbejdsforum"],
            seat=seat("samarbejdsforum", organisation__short_name="LLO"),
            starts_on=date(year, 1, 1),
            ends_on=date(year, 12, 31),
        )
    with django_assert_max_num_queries(20):
        member_client.get("/fora/samarbejdsforum/medlemmer/")


def post_membership(client, **overrides):
    data = {
        "person": holder_for(overrides["seat"]).pk,
        "forum": overrides.pop("forum").pk,
        "seat": overrides.pop("seat").pk,
        "role": "member",
        "starts_on": "2024-01-01",
        "ends_on": "",
        "note": "",
    }
    data.update(overrides)
    return client.post("/sekretariat/medlemskaber/ny/", data)


def test_a_membership_ending_before_it_starts_is_refused_at_the_field(secretariat_client, forums):
    response = post_membership(
        secretariat_client,
        forum=forums["samarbejdsforum"],
        seat=seat("samarbejdsforum"),
        ends_on="2023-01-01",
    )
    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"]
    assert Membership.objects.count() == 0


def test_an_over_full_seat_is_refused_at_the_seat_field_and_keeps_the_input(
    secretariat_client, forums
):
    tmf = seat("tvaerkommunal-styregruppe", organisation__short_name="TMF")
    MembershipFactory(forum=forums["tvaerkommunal-styregruppe"], seat=tmf)
    response = post_membership(
        secretariat_client, forum=forums["tvaerkommunal-styregruppe"], seat=tmf, note="min note"
    )
    assert response.context["form"].errors["seat"]
    assert 'value="min note"' in response.content.decode()
    assert Membership.objects.count() == 1


def test_the_secretariat_adds_a_membership_and_it_is_audited(
    secretariat_client, secretariat_user, forums
):
    response = post_membership(
        secretariat_client, forum=forums["samarbejdsforum"], seat=seat("samarbejdsforum")
    )
    assert response.status_code == 302
    membership = Membership.objects.get()
    entry = AuditEntry.objects.get(action="membership.create")
    assert (entry.actor, entry.object_id) == (secretariat_user, str(membership.pk))


def test_the_secretariat_replaces_a_holder_through_the_form(secretariat_client, forums, client):
    old = MembershipFactory(
        person=PersonFactory(name="Gammel Holder"),
        forum=forums["borgmesterforum"],
        seat=seat("borgmesterforum"),
        starts_on=date(2022, 1, 1),
    )
    new = holder_for(seat("borgmesterforum"), name="Ny Holder")
    today = timezone.localdate()
    response = secretariat_client.post(
        f"/sekretariat/medlemskaber/{old.pk}/erstat/",
        {"person": new.pk, "starts_on": today.isoformat(), "note": ""},
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.ends_on == today - timedelta(days=1)
    html = client.get("/fora/borgmesterforum/").content.decode()
    assert "Ny Holder" in html and "Gammel Holder" not in html


def test_a_duplicate_organisation_is_refused_at_the_name_field(secretariat_client, forums):
    before = Organisation.objects.count()
    response = secretariat_client.post(
        "/sekretariat/organisationer/ny/",
        {"name": "socialforvaltningen", "short_name": "", "kind": "administration", "parent": ""},
    )
    assert response.context["form"].errors["name"]
    assert Organisation.objects.count() == before


def test_the_secretariat_searches_people(secretariat_client, forums):
    PersonFactory(name="Birthe Boligsen")
    PersonFactory(name="Lars Lejer")
    html = secretariat_client.get("/sekretariat/personer/?q=birthe").content.decode()
    assert "Birthe Boligsen" in html and "Lars Lejer" not in html


def test_a_theme_group_reports_to_styregruppen_or_samarbejdsforum_only(secretariat_client, forums):
    response = secretariat_client.post(
        "/sekretariat/temagrupper/ny/",
        {
            "name": "Temagruppe",
            "forum": forums["borgmesterforum"].pk,
            "mandate": "x",
            "set_up_on": "2024-01-01",
        },
    )
    assert response.context["form"].errors["forum"]
    response = secretariat_client.post(
        "/sekretariat/temagrupper/ny/",
        {
            "name": "Temagruppe om fremtidssikring",
            "forum": forums["samarbejdsforum"].pk,
            "mandate": "Fremtidssikring af de almene boliger.",
            "set_up_on": "2024-01-01",
        },
    )
    group = ThemeGroup.objects.get()
    assert response.status_code == 302 and group.forum == forums["samarbejdsforum"]
    person = PersonFactory()
    secretariat_client.post(
        f"/sekretariat/temagrupper/{group.pk}/",
        {"person": person.pk, "side": "housing", "is_chair": "on"},
    )
    assert list(group.members.values_list("person", "side", "is_chair")) == [
        (person.pk, "housing", True)
    ]


def test_a_person_with_the_same_e_mail_is_refused(secretariat_client, forums):
    PersonFactory(email="birthe@example.org")
    response = secretariat_client.post(
        "/sekretariat/personer/ny/",
        {
            "name": "Birthe 2",
            "title": "",
            "organisation": "",
            "email": "Birthe@example.org",
            "phone": "",
        },
    )
    assert response.context["form"].errors["email"]
    assert Person.objects.filter(name="Birthe 2").count() == 0


def test_the_members_page_is_offered_only_to_those_who_may_open_it(member_client):
    own = member_client.get("/fora/samarbejdsforum/").content.decode()
    other = member_client.get("/fora/borgmesterforum/").content.decode()
    assert 'href="/fora/samarbejdsforum/medlemmer/"' in own
    assert "/fora/borgmesterforum/medlemmer/" not in other
    assert member_client.get("/fora/borgmesterforum/medlemmer/").status_code == 404
