"""The standard people of every test: a secretariat user, a member of Samarbejdsforum,
a member of another forum (Partnerskabsforum, which includes no one from Samarbejdsforum)
and an anonymous visitor."""

import pytest
from django.apps import apps as django_apps
from django.test import Client

from forums.seed import seed_forums
from forums.tests.factories import MembershipFactory, PersonFactory, UserFactory, forum, seat


@pytest.fixture
def forums(db):
    """The four forums as the data migration makes them (again, after a flush)."""
    seed_forums(django_apps)
    return {
        f: forum(f)
        for f in (
            "borgmesterforum",
            "partnerskabsforum",
            "tvaerkommunal-styregruppe",
            "samarbejdsforum",
        )
    }


@pytest.fixture
def secretariat_user(forums):
    return UserFactory(
        email="sekretaer@example.org", full_name="Sekretær Sørensen", secretariat=True
    )


def _member_user(email: str, slug: str):
    user = UserFactory(email=email)
    person = PersonFactory(name=user.full_name, email=email, user=user)
    MembershipFactory(person=person, forum=forum(slug), seat=seat(slug))
    return user


@pytest.fixture
def member_user(forums):
    """A member of Samarbejdsforum (a BL 1. kreds seat)."""
    return _member_user("medlem.sf@example.org", "samarbejdsforum")


@pytest.fixture
def other_member_user(forums):
    """A member of Partnerskabsforum only."""
    return _member_user("medlem.pf@example.org", "partnerskabsforum")


def _client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def anonymous_client() -> Client:
    return Client()


@pytest.fixture
def secretariat_client(secretariat_user) -> Client:
    return _client_for(secretariat_user)


@pytest.fixture
def member_client(member_user) -> Client:
    return _client_for(member_user)


@pytest.fixture
def other_member_client(other_member_user) -> Client:
    return _client_for(other_member_user)
