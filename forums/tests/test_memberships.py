"""People change, seats stay: the rules of seats, memberships and their history."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEntry
from forums import services
from forums.models import Membership
from forums.selectors import forum_memberships, forum_seat_groups, forums_for_user
from forums.tests.factories import MembershipFactory, PersonFactory, holder_for, seat

pytestmark = pytest.mark.django_db


def add(actor=None, **fields) -> Membership:
    return services.membership_save(actor=actor, membership=Membership(), **fields)


def test_a_seat_for_one_cannot_have_two_holders_on_the_same_day(forums, secretariat_user):
    styregruppe = forums["tvaerkommunal-styregruppe"]
    tmf_seat = seat("tvaerkommunal-styregruppe", organisation__short_name="TMF")
    add(
        person=holder_for(tmf_seat),
        forum=styregruppe,
        seat=tmf_seat,
        role="member",
        starts_on=date(2024, 1, 1),
    )
    with pytest.raises(ValidationError) as exc:
        add(
            person=holder_for(tmf_seat),
            forum=styregruppe,
            seat=tmf_seat,
            role="member",
            starts_on=date(2024, 6, 1),
        )
    assert "seat" in exc.value.message_dict
    assert Membership.objects.filter(seat=tmf_seat).count() == 1


def test_a_seat_for_one_can_have_a_new_holder_after_the_first_left(forums):
    styregruppe = forums["tvaerkommunal-styregruppe"]
    tmf_seat = seat("tvaerkommunal-styregruppe", organisation__short_name="TMF")
    add(
        person=holder_for(tmf_seat),
        forum=styregruppe,
        seat=tmf_seat,
        role="member",
        starts_on=date(2024, 1, 1),
        ends_on=date(2024, 5, 31),
    )
    add(
        person=holder_for(tmf_seat),
        forum=styregruppe,
        seat=tmf_seat,
        role="member",
        starts_on=date(2024, 6, 1),
    )
    assert Membership.objects.filter(seat=tmf_seat).count() == 2


def test_bl_may_appoint_up_to_eight_in_samarbejdsforum_but_not_nine(forums):
    sf = forums["samarbejdsforum"]
    bl = seat("samarbejdsforum", organisation__short_name="BL 1. kreds")
    for _ in range(8):
        add(person=holder_for(bl), forum=sf, seat=bl, role="member", starts_on=date(2024, 1, 1))
    with pytest.raises(ValidationError) as exc:
        add(person=holder_for(bl), forum=sf, seat=bl, role="member", starts_on=date(2025, 1, 1))
    assert "8" in exc.value.message_dict["seat"][0]
    assert Membership.objects.filter(seat=bl).count() == 8


def test_capacity_is_checked_on_every_day_of_the_period_not_only_the_first(forums):
    styregruppe = forums["tvaerkommunal-styregruppe"]
    tmf_seat = seat("tvaerkommunal-styregruppe", organisation__short_name="TMF")
    add(
        person=holder_for(tmf_seat),
        forum=styregruppe,
        seat=tmf_seat,
        role="member",
        starts_on=date(2025, 1, 1),
    )
    with pytest.raises(ValidationError):
        add(
            person=holder_for(tmf_seat),
            forum=styregruppe,
            seat=tmf_seat,
            role="member",
            starts_on=date(2024, 1, 1),
            ends_on=date(2025, 3, 1),
        )


def test_the_end_cannot_come_before_the_start(forums):
    with pytest.raises(ValidationError) as exc:
        add(
            person=PersonFactory(),
            forum=forums["samarbejdsforum"],
            seat=seat("samarbejdsforum"),
            role="member",
            starts_on=date(2024, 5, 1),
            ends_on=date(2024, 4, 30),
        )
    assert "ends_on" in exc.value.message_dict
    assert Membership.objects.count() == 0


def test_one_person_cannot_hold_the_same_role_twice_at_once_in_a_forum(forums):
    person = holder_for(seat("samarbejdsforum"))
    sf = forums["samarbejdsforum"]
    add(
        person=person,
        forum=sf,
        seat=seat("samarbejdsforum"),
        role="member",
        starts_on=date(2024, 1, 1),
    )
    with pytest.raises(ValidationError) as exc:
        add(
            person=person,
            forum=sf,
            seat=seat("samarbejdsforum", organisation__short_name="LLO"),
            role="member",
            starts_on=date(2024, 3, 1),
        )
    assert "starts_on" in exc.value.message_dict


def test_substitutes_only_where_the_seat_has_them(forums):
    bmf_seat = seat("borgmesterforum")
    with pytest.raises(ValidationError) as exc:
        add(
            person=PersonFactory(),
            forum=forums["borgmesterforum"],
            seat=bmf_seat,
            role="substitute",
            starts_on=date(2024, 1, 1),
        )
    assert "seat" in exc.value.message_dict
    llo = seat("samarbejdsforum", organisation__short_name="LLO")
    add(
        person=PersonFactory(),
        forum=forums["samarbejdsforum"],
        seat=llo,
        role="substitute",
        starts_on=date(2024, 1, 1),
    )
    add(
        person=holder_for(llo),
        forum=forums["samarbejdsforum"],
        seat=llo,
        role="member",
        starts_on=date(2024, 1, 1),
    )


def test_a_seat_of_another_forum_is_refused(forums):
    with pytest.raises(ValidationError) as exc:
        add(
            person=PersonFactory(),
            forum=forums["samarbejdsforum"],
            seat=seat("borgmesterforum"),
            role="member",
            starts_on=date(2024, 1, 1),
        )
    assert "seat" in exc.value.message_dict


def test_the_secretariat_holds_no_seat(forums):
    add(
        person=PersonFactory(),
        forum=forums["samarbejdsforum"],
        seat=None,
        role="secretariat",
        starts_on=date(2024, 1, 1),
    )
    with pytest.raises(ValidationError):
        add(
            person=PersonFactory(),
            forum=forums["samarbejdsforum"],
            seat=None,
            role="member",
            starts_on=date(2024, 1, 1),
        )


def test_replacing_a_holder_ends_one_membership_and_starts_another_keeping_history(
    forums, secretariat_user
):
    old = MembershipFactory(
        forum=forums["borgmesterforum"],
        seat=seat("borgmesterforum"),
        role="co_chair",
        starts_on=date(2010, 9, 1),
    )
    newcomer = holder_for(seat("borgmesterforum"), name="Ny Borgmester")
    successor = services.membership_replace_holder(
        actor=secretariat_user, membership=old, person=newcomer, starts_on=date(2026, 1, 1)
    )
    old.refresh_from_db()
    assert old.ends_on == date(2025, 12, 31)
    assert (successor.person, successor.seat, successor.role, successor.starts_on) == (
        newcomer,
        old.seat,
        "co_chair",
        date(2026, 1, 1),
    )
    assert successor.replaces == old
    assert list(
        AuditEntry.objects.filter(actor=secretariat_user).values_list("action", flat=True)
    ) == [
        "membership.replace",
        "membership.end",
    ]
    holders_2025 = [
        m.person for m in forum_memberships(forums["borgmesterforum"], on=date(2025, 6, 1))
    ]
    holders_2026 = [
        m.person for m in forum_memberships(forums["borgmesterforum"], on=date(2026, 6, 1))
    ]
    assert holders_2025 == [old.person] and holders_2026 == [newcomer]
    assert old.history.count() == 2  # created, then ended: simple-history keeps each version


def test_a_replacement_must_start_after_the_current_holder_started(forums, secretariat_user):
    old = MembershipFactory(
        forum=forums["borgmesterforum"], seat=seat("borgmesterforum"), starts_on=date(2024, 1, 1)
    )
    with pytest.raises(ValidationError) as exc:
        services.membership_replace_holder(
            actor=secretariat_user,
            membership=old,
            person=PersonFactory(),
            starts_on=date(2024, 1, 1),
        )
    assert "starts_on" in exc.value.message_dict
    old.refresh_from_db()
    assert old.ends_on is None and Membership.objects.count() == 1


def test_partnerskabsforum_includes_the_current_members_of_borgmesterforum(forums):
    mayor = MembershipFactory(forum=forums["borgmesterforum"], seat=seat("borgmesterforum"))
    bl = MembershipFactory(forum=forums["partnerskabsforum"], seat=seat("partnerskabsforum"))
    former = MembershipFactory(
        forum=forums["borgmesterforum"],
        seat=seat("borgmesterforum", title="Socialborgmester"),
        starts_on=date(2010, 9, 1),
        ends_on=date(2013, 12, 31),
    )
    members = forum_memberships(forums["partnerskabsforum"])
    assert {m.pk for m in members} == {mayor.pk, bl.pk}
    assert former.pk not in {m.pk for m in members}
    groups = forum_seat_groups(forums["partnerskabsforum"])
    assert [g.included_from for g in groups if g.memberships == [mayor]] == [
        forums["borgmesterforum"]
    ]


def test_a_styregruppe_member_is_a_member_of_samarbejdsforum_too(forums):
    from forums.tests.factories import UserFactory

    user = UserFactory()
    person = PersonFactory(user=user)
    MembershipFactory(
        person=person,
        forum=forums["tvaerkommunal-styregruppe"],
        seat=seat("tvaerkommunal-styregruppe"),
    )
    assert {f.slug for f in forums_for_user(user)} == {
        "tvaerkommunal-styregruppe",
        "samarbejdsforum",
    }


def test_a_former_member_no_longer_sees_the_forum(forums):
    from forums.tests.factories import UserFactory

    user = UserFactory()
    MembershipFactory(
        person=PersonFactory(user=user),
        forum=forums["samarbejdsforum"],
        seat=seat("samarbejdsforum"),
        starts_on=date(2020, 1, 1),
        ends_on=date(2021, 1, 1),
    )
    assert forums_for_user(user) == []


def test_duplicate_organisations_are_refused_whatever_the_case(forums):
    from forums.models import Organisation

    with pytest.raises(ValidationError) as exc:
        services.organisation_save(
            actor=None,
            organisation=Organisation(),
            name="lejernes landsorganisation",
            short_name="LLO2",
            kind="tenants_organisation",
        )
    assert "name" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.organisation_save(
            actor=None,
            organisation=Organisation(),
            name="Ny organisation",
            short_name="llo",
            kind="tenants_organisation",
        )
    assert "short_name" in exc.value.message_dict
