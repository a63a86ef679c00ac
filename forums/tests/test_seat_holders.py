"""Issue 10 §3: seats are held by the people the seats are for, and only the shared chair
of Borgmesterforum and Partnerskabsforum chairs."""

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from core.models import AuditEntry
from forums import services
from forums.models import Membership, Organisation, Person, Seat
from forums.tests.factories import MembershipFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

Level = Person.Level


def org(short_name: str) -> Organisation:
    return Organisation.objects.get(short_name=short_name)


def appoint(actor, seat: Seat, person: Person, role: str = Membership.Role.MEMBER) -> Membership:
    return services.membership_save(
        actor=actor,
        membership=Membership(),
        person=person,
        forum=seat.forum,
        seat=seat,
        role=role,
        starts_on=date(2026, 1, 1),
    )


def refusal(actor, seat: Seat, person: Person, role: str = Membership.Role.MEMBER) -> dict:
    with translation.override("da"), pytest.raises(ValidationError) as caught:
        appoint(actor, seat, person, role)
    assert not Membership.objects.filter(person=person).exists()
    assert not AuditEntry.objects.filter(action="membership.create").exists()
    return caught.value.message_dict


def styregruppe_seat(short_name: str) -> Seat:
    return Seat.objects.get(
        forum__slug="tvaerkommunal-styregruppe", organisation__short_name=short_name
    )


def test_a_styregruppe_seat_is_refused_to_a_person_of_that_administration_below_kontorchef(
    forums, secretariat_user
):
    employee = PersonFactory(organisation=org("BUF"), level=Level.EMPLOYEE)
    errors = refusal(secretariat_user, styregruppe_seat("BUF"), employee)
    assert errors["person"] == [
        "Pladsen kræver en person fra Børne- og Ungdomsforvaltningen på kontorchefniveau "
        "eller højere."
    ]


def test_a_styregruppe_seat_is_refused_to_a_person_without_a_level(forums, secretariat_user):
    unknown = PersonFactory(organisation=org("BUF"), level=None)
    assert "person" in refusal(secretariat_user, styregruppe_seat("BUF"), unknown)


def test_a_styregruppe_seat_is_refused_to_a_director_of_another_administration(
    forums, secretariat_user
):
    director = PersonFactory(organisation=org("SOF"), level=Level.DIRECTOR)
    errors = refusal(secretariat_user, styregruppe_seat("BUF"), director)
    assert "Børne- og Ungdomsforvaltningen" in errors["person"][0]


@pytest.mark.parametrize("level", [Level.HEAD_OF_OFFICE, Level.DEPUTY_DIRECTOR, Level.DIRECTOR])
def test_a_styregruppe_seat_is_held_by_that_administration_at_kontorchef_level_or_higher(
    forums, secretariat_user, level
):
    person = PersonFactory(organisation=org("BUF"), level=level)
    membership = appoint(secretariat_user, styregruppe_seat("BUF"), person)
    assert Membership.objects.get(pk=membership.pk).person == person
    assert AuditEntry.objects.filter(action="membership.create").count() == 1


def test_a_head_of_office_of_a_unit_of_the_administration_holds_its_styregruppe_seat(
    forums, secretariat_user
):
    bydesign = PersonFactory(organisation=org("CfB"), level=Level.HEAD_OF_OFFICE)
    appoint(secretariat_user, styregruppe_seat("TMF"), bydesign)
    assert Membership.objects.filter(person=bydesign, seat=styregruppe_seat("TMF")).exists()


def sf_seat(short_name: str) -> Seat:
    return Seat.objects.get(forum__slug="samarbejdsforum", organisation__short_name=short_name)


def test_samarbejdsforums_housing_seats_are_refused_to_a_person_of_an_administration(
    forums, secretariat_user
):
    official = PersonFactory(organisation=org("TMF"), level=Level.DIRECTOR)
    errors = refusal(secretariat_user, sf_seat("BL 1. kreds"), official)
    assert errors["person"] == [
        "Pladsen kræver en person fra Boligselskabernes Landsforening, 1. kreds."
    ]
    errors = refusal(secretariat_user, sf_seat("LLO"), official)
    assert errors["person"] == ["Pladsen kræver en person fra Lejernes Landsorganisation."]


def test_samarbejdsforums_llo_seat_is_refused_to_a_person_of_bl_1_kreds(forums, secretariat_user):
    assert "person" in refusal(
        secretariat_user, sf_seat("LLO"), PersonFactory(organisation=org("BL 1. kreds"))
    )


def test_samarbejdsforums_housing_seats_are_held_by_people_of_bl_1_kreds_and_llo(
    forums, secretariat_user
):
    member_org = OrganisationFactory(name="FSB", parent=org("BL 1. kreds"))
    kreds = PersonFactory(organisation=org("BL 1. kreds"))
    housing = PersonFactory(organisation=member_org)
    tenants = PersonFactory(organisation=org("LLO"))
    appoint(secretariat_user, sf_seat("BL 1. kreds"), kreds)
    appoint(secretariat_user, sf_seat("BL 1. kreds"), housing)
    appoint(secretariat_user, sf_seat("LLO"), tenants)
    assert Membership.objects.filter(forum=forums["samarbejdsforum"]).count() == 3


def mayor_seat(title: str) -> Seat:
    return Seat.objects.get(forum__slug="borgmesterforum", title=title)


def test_a_mayors_seat_is_refused_to_anyone_but_the_mayor_of_that_office(forums, secretariat_user):
    director = PersonFactory(organisation=org("ØKF"), level=Level.DIRECTOR)
    errors = refusal(secretariat_user, mayor_seat("Overborgmester"), director)
    assert errors["person"] == ["Pladsen kræver borgmesteren for Økonomiforvaltningen."]
    other_mayor = PersonFactory(organisation=org("TMF"), level=Level.MAYOR)
    assert "person" in refusal(secretariat_user, mayor_seat("Overborgmester"), other_mayor)


def test_a_mayors_seat_is_held_by_the_mayor_of_that_office(forums, secretariat_user):
    mayor = PersonFactory(organisation=org("ØKF"), level=Level.MAYOR)
    appoint(secretariat_user, mayor_seat("Overborgmester"), mayor, Membership.Role.CO_CHAIR)
    assert Membership.objects.get(person=mayor).role == "co_chair"


def test_replacing_a_holder_with_a_person_the_seat_is_not_for_is_refused_and_keeps_the_holder(
    forums, secretariat_user
):
    current = MembershipFactory(
        forum=forums["tvaerkommunal-styregruppe"], seat=styregruppe_seat("BUF")
    )
    newcomer = PersonFactory(organisation=org("BUF"), level=Level.EMPLOYEE)
    with translation.override("da"), pytest.raises(ValidationError) as caught:
        services.membership_replace_holder(
            actor=secretariat_user, membership=current, person=newcomer, starts_on=date(2026, 1, 1)
        )
    assert "kontorchefniveau" in caught.value.message_dict["person"][0]
    current.refresh_from_db()
    assert current.ends_on is None
    assert not Membership.objects.filter(person=newcomer).exists()
    assert not AuditEntry.objects.exists()


def test_the_membership_page_names_the_seats_requirement_at_the_person_field_and_keeps_the_input(
    forums, secretariat_client
):
    employee = PersonFactory(organisation=org("BUF"), level=Level.EMPLOYEE)
    seat = styregruppe_seat("BUF")
    response = secretariat_client.post(
        reverse("secretariat:membership_new"),
        {
            "person": employee.pk,
            "forum": seat.forum_id,
            "seat": seat.pk,
            "role": "member",
            "starts_on": "2026-01-01",
            "note": "Udpeget af direktionen",
        },
        HTTP_ACCEPT_LANGUAGE="da",
    )
    assert response.status_code == 200
    assert response.context["form"].errors["person"] == [
        "Pladsen kræver en person fra Børne- og Ungdomsforvaltningen på kontorchefniveau "
        "eller højere."
    ]
    assert "Udpeget af direktionen" in response.content.decode()
    assert not Membership.objects.filter(person=employee).exists()


# --- The chair ------------------------------------------------------------------------------


def test_the_shared_chair_is_the_overborgmester_and_the_teknik_og_miljoeborgmester(
    forums, secretariat_user
):
    over = PersonFactory(organisation=org("ØKF"), level=Level.MAYOR)
    tmf = PersonFactory(organisation=org("TMF"), level=Level.MAYOR)
    appoint(secretariat_user, mayor_seat("Overborgmester"), over, Membership.Role.CHAIR)
    appoint(secretariat_user, mayor_seat("Teknik- og miljøborgmester"), tmf, Membership.Role.CHAIR)
    assert set(Membership.objects.filter(role="chair").values_list("person", flat=True)) == {
        over.pk,
        tmf.pk,
    }


@pytest.mark.parametrize("role", [Membership.Role.CHAIR, Membership.Role.CO_CHAIR])
def test_the_role_chair_on_any_other_seat_is_refused(forums, secretariat_user, role):
    with translation.override("da"):
        expected_role = Membership(role=role).get_role_display()
    kultur = PersonFactory(organisation=org("KFF"), level=Level.MAYOR)
    errors = refusal(secretariat_user, mayor_seat("Kultur- og fritidsborgmester"), kultur, role)
    assert errors["role"] == [
        f"Kun indehaverne af formandspladserne (Overborgmester, Teknik- og miljøborgmester) "
        f"kan have rollen »{expected_role}«; »Kultur- og fritidsborgmester« er ikke en af dem."
    ]
    head = PersonFactory(organisation=org("TMF"), level=Level.HEAD_OF_OFFICE)
    assert "role" in refusal(secretariat_user, styregruppe_seat("TMF"), head, role)
    housing = PersonFactory(organisation=org("BL 1. kreds"))
    assert "role" in refusal(
        secretariat_user, Seat.objects.get(forum__slug="partnerskabsforum"), housing, role
    )


def test_a_holder_appointed_before_the_rule_can_still_be_ended_and_replaced(
    forums, secretariat_user
):
    old = MembershipFactory(
        person=PersonFactory(name="Gammel Holder"),  # no organisation, no level
        forum=forums["tvaerkommunal-styregruppe"],
        seat=styregruppe_seat("BUF"),
    )
    successor = services.membership_replace_holder(
        actor=secretariat_user,
        membership=old,
        person=PersonFactory(organisation=org("BUF"), level=Level.HEAD_OF_OFFICE),
        starts_on=date(2026, 1, 1),
    )
    old.refresh_from_db()
    assert old.ends_on == date(2025, 12, 31)
    assert successor.replaces == old
    assert AuditEntry.objects.filter(action="membership.replace").count() == 1


def test_each_seat_states_the_requirement_of_the_terms_of_reference(forums):
    def rule(seat: Seat) -> tuple:
        return (seat.holder_of_organisation, seat.holder_min_level)

    assert {rule(s) for s in Seat.objects.filter(forum__slug="borgmesterforum")} == {
        (True, Level.MAYOR)
    }
    assert {rule(s) for s in Seat.objects.filter(forum__slug="tvaerkommunal-styregruppe")} == {
        (True, Level.HEAD_OF_OFFICE)
    }
    assert {rule(s) for s in Seat.objects.filter(forum__slug="samarbejdsforum")} == {(True, None)}


def test_the_demo_data_hold_every_seat_with_the_person_it_is_for(forums, settings, tmp_path):
    import io

    import time_machine
    from django.core.management import call_command

    from forums.rules import chair_role_error, seat_holder_error
    from meetings.deadlines import TZ

    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    with time_machine.travel(datetime(2026, 11, 29, 12, 0, tzinfo=TZ), tick=False):
        call_command("seed_demo", stdout=io.StringIO())
    holders = Membership.objects.filter(role__in=Membership.HOLDER_ROLES).select_related(
        "person__organisation", "seat__organisation"
    )
    assert holders.count() >= 12
    assert [str(m) for m in holders if seat_holder_error(m.seat, m.person)] == []
    assert [str(m) for m in holders if chair_role_error(m)] == []
    assert set(
        holders.filter(role__in=["chair", "co_chair"]).values_list("seat__title", flat=True)
    ) == {
        "Overborgmester",
        "Teknik- og miljøborgmester",
    }
