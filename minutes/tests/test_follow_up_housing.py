"""Issue 10 §3: »Follow-up actions may be assigned to a housing organisation as well as to
an administration (the agreements of both forums bind both sides); the organisation's
members see and update them as the administrations' do.«"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.models import AuditEntry
from forums.models import Organisation
from forums.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    forum,
    seat,
)
from meetings.tests.factories import at
from minutes import services
from minutes.models import FollowUpAction
from minutes.tests.test_register import _set_status, listed, minutes_with_actions, travel

pytestmark = pytest.mark.django_db

TRYG = "Tryghedsvandring i afdelingen"


@pytest.fixture
def fsb(forums):
    """A housing organisation in BL 1. kreds (so its people hold BL 1. kreds' seats)."""
    return OrganisationFactory(
        name="fsb", short_name="fsb", parent=Organisation.objects.get(short_name="BL 1. kreds")
    )


def housing_member(email: str, organisation: Organisation):
    """A member of Samarbejdsforum in BL 1. kreds' seat whose Person belongs to `organisation`."""
    user = UserFactory(email=email)
    person = PersonFactory(name=user.full_name, email=email, user=user, organisation=organisation)
    MembershipFactory(person=person, forum=forum("samarbejdsforum"), seat=seat("samarbejdsforum"))
    return user


@pytest.fixture
def housing_action(forums, secretariat_user, fsb, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    minutes_with_actions(
        "samarbejdsforum",
        date(2027, 3, 10),
        secretariat_user,
        "Boligorganisationen og forvaltningen følger op.",
        [(TRYG, "fsb", date(2027, 8, 1), FollowUpAction.Status.OPEN)],
    )
    return FollowUpAction.objects.get(what=TRYG)


def test_a_follow_up_action_is_assigned_to_a_housing_organisation(housing_action, fsb):
    assert housing_action.responsible == fsb
    assert AuditEntry.objects.filter(action="action.add", object_id=str(housing_action.pk)).exists()


def test_a_follow_up_action_is_not_assigned_to_a_political_body_or_a_federation(
    forums, secretariat_user, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    day = date(2027, 3, 10)
    minutes = minutes_with_actions(
        "samarbejdsforum", day, secretariat_user, "Besluttet.", [], send=False
    )
    item = minutes.items.get(title="Fleksibel udlejning")
    for short_name in ("BR", "BL 1. kreds"):
        with (
            travel(at(day, 18)),
            translation.override("da"),
            pytest.raises(ValidationError) as caught,
        ):
            services.action_add(
                actor=secretariat_user,
                item=item,
                what="Noget andet",
                responsible=Organisation.objects.get(short_name=short_name),
            )
        assert caught.value.message_dict["responsible"] == [
            "En opfølgningshandling placeres hos en forvaltning eller en boligorganisation."
        ]
    assert not FollowUpAction.objects.filter(item__minutes=minutes).exists()
    assert not AuditEntry.objects.filter(action="action.add").exists()


def test_the_housing_organisations_member_sees_and_updates_its_action(housing_action, fsb, client):
    member = housing_member("fsb@example.org", fsb)
    actions, _decisions, html = listed(client, member)
    assert TRYG in actions
    assert f'action="/beslutninger/handlinger/{housing_action.pk}/status/"' in html
    assert _set_status(client, member, TRYG, "in_progress").status_code == 302
    housing_action.refresh_from_db()
    assert housing_action.status == "in_progress" and housing_action.updated_by == member
    entry = AuditEntry.objects.filter(action="action.status").latest("id")
    assert (entry.actor, entry.data) == (member, {"status": "in_progress"})


def test_a_member_of_another_housing_organisation_cannot_update_it(housing_action, client):
    other = OrganisationFactory(name="AKB", short_name="AKB")
    outsider = housing_member("akb@example.org", other)
    assert _set_status(client, outsider, TRYG, "done").status_code == 404
    housing_action.refresh_from_db()
    assert housing_action.status == "open"
    assert not AuditEntry.objects.filter(action="action.status").exists()
