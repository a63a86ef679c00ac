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
    held = seat(slug)  # both are BL 1. kreds seats: a person of BL 1. kreds holds them
    person = PersonFactory(
        name=user.full_name, email=email, user=user, organisation=held.organisation
    )
    MembershipFactory(person=person, forum=forum(slug), seat=held)
    return user


@pytest.fixture
def member_user(forums):
    """A member of Samarbejdsforum (a BL 1. kreds seat)."""
    return _member_user("medlem.sf@example.org", "samarbejdsforum")


@pytest.fixture
def other_member_user(forums):
    """A member of Partnerskabsforum only."""
    return _member_user("medlem.pf@example.org", "partnerskabsforum")


# --- The second factor --------------------------------------------------------------------
# The secretariat, staff and members who opted in must verify a second factor before any
# page opens (accounts/middleware.py). A test that signs someone in with `force_login` means
# "a fully signed-in user", so here force_login also verifies the session with a TOTP device
# the way django_otp.login() does. Tests of the second step itself sign in with
# `force_login_password_only` (the password step alone).
force_login_password_only = Client.force_login


def verify_second_factor(client: Client, user) -> None:
    """Mark `client`'s session as verified by a TOTP device of `user` (created if need be)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Testapp", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def _force_login_verified(self: Client, user, backend=None) -> None:
    from accounts import second_factor

    force_login_password_only(self, user, backend)
    if second_factor.is_required(user):
        verify_second_factor(self, user)


@pytest.fixture(autouse=True)
def _signed_in_means_second_factor_verified(monkeypatch):
    monkeypatch.setattr(Client, "force_login", _force_login_verified)


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


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache (public page copies, stamps)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
