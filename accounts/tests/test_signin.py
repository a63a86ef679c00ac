"""The lock-out counts one account whatever the letter case, per client address, and the
client address is the real one behind the deployment's reverse proxy."""

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ImproperlyConfigured

from accounts.models import User
from config.proxies import ipware_settings
from forums.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "en-lang-adgangskode"


@pytest.fixture
def frank(forums):
    return UserFactory(email="frank.jensen@example.org", password=PASSWORD)


def sign_in(client, username: str, password: str, **headers):
    return client.post("/konto/log-ind/", {"username": username, "password": password}, **headers)


def use_proxies(settings, count: int) -> None:
    for name, value in ipware_settings(count).items():
        setattr(settings, name, value)


def test_five_failures_in_any_letter_case_lock_the_one_account(client, frank):
    variants = ["FRANK.JENSEN@EXAMPLE.ORG", "Frank.Jensen@example.org"] * 2
    for variant in variants:
        assert sign_in(client, variant, "forkert").status_code == 200
    assert sign_in(client, "frank.jensen@EXAMPLE.org", "forkert").status_code == 429
    assert list(AccessAttempt.objects.values_list("username", "failures_since_start")) == [
        ("frank.jensen@example.org", 5)
    ]
    locked = sign_in(client, "frank.jensen@example.org", PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock_and_a_success_clears_them(client, frank):
    for _ in range(4):
        sign_in(client, "FRANK.JENSEN@example.org", "forkert")
    assert sign_in(client, "Frank.Jensen@Example.org", PASSWORD).status_code == 302
    assert AccessAttempt.objects.count() == 0
    assert client.session["_auth_user_id"] == str(frank.pk)


def test_the_lock_lifts_fifteen_minutes_after_the_last_attempt(client, frank, time_machine):
    time_machine.move_to("2026-03-02 10:00:00+01:00", tick=False)
    for _ in range(5):
        sign_in(client, "frank.jensen@example.org", "forkert")
    time_machine.move_to("2026-03-02 10:14:00+01:00", tick=False)
    assert sign_in(client, "frank.jensen@example.org", PASSWORD).status_code == 429
    time_machine.move_to("2026-03-02 10:28:59+01:00", tick=False)
    assert sign_in(client, "frank.jensen@example.org", PASSWORD).status_code == 429
    time_machine.move_to("2026-03-02 10:44:00+01:00", tick=False)
    assert sign_in(client, "frank.jensen@example.org", PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(frank.pk)


def test_without_a_proxy_a_forged_forwarded_header_does_not_escape_the_lock(
    client, frank, settings
):
    use_proxies(settings, 0)
    for n in range(5):
        sign_in(
            client,
            "frank.jensen@example.org",
            "forkert",
            REMOTE_ADDR="198.51.100.66",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    escaped = sign_in(
        client,
        "frank.jensen@example.org",
        PASSWORD,
        REMOTE_ADDR="198.51.100.66",
        HTTP_X_FORWARDED_FOR="192.0.2.99",
    )
    assert escaped.status_code == 429
    assert AccessAttempt.objects.get().ip_address == "198.51.100.66"


def test_behind_one_proxy_an_attacker_cannot_lock_out_a_colleague_elsewhere(
    client, frank, settings
):
    use_proxies(settings, 1)
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(5):
        sign_in(
            client, "frank.jensen@example.org", "forkert", HTTP_X_FORWARDED_FOR="81.7.0.66", **proxy
        )
    assert AccessAttempt.objects.get().ip_address == "81.7.0.66"
    attacker = sign_in(
        client, "frank.jensen@example.org", PASSWORD, HTTP_X_FORWARDED_FOR="81.7.0.66", **proxy
    )
    assert attacker.status_code == 429
    colleague = sign_in(
        client, "frank.jensen@example.org", PASSWORD, HTTP_X_FORWARDED_FOR="93.1.0.7", **proxy
    )
    assert colleague.status_code == 302


def test_behind_one_proxy_only_the_address_the_proxy_appended_counts(client, frank, settings):
    """The attacker puts a colleague's address in front; the proxy appends the real one."""
    use_proxies(settings, 1)
    for _ in range(5):
        sign_in(
            client,
            "frank.jensen@example.org",
            "forkert",
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="93.1.0.7, 81.7.0.66",
        )
    assert AccessAttempt.objects.get().ip_address == "81.7.0.66"
    colleague = sign_in(
        client,
        "frank.jensen@example.org",
        PASSWORD,
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="93.1.0.7",
    )
    assert colleague.status_code == 302


def test_the_stored_address_is_lower_case_whatever_was_typed():
    user = User.objects.create_user(email="Frank.Jensen@EXAMPLE.org", password=PASSWORD)
    assert User.objects.get(pk=user.pk).email == "frank.jensen@example.org"


def test_a_proxy_count_reads_the_forwarded_header_first_and_none_ignores_it():
    assert ipware_settings(1)["AXES_IPWARE_META_PRECEDENCE_ORDER"][0] == "HTTP_X_FORWARDED_FOR"
    assert ipware_settings(2)["AXES_IPWARE_PROXY_COUNT"] == 1
    assert ipware_settings(0)["AXES_IPWARE_META_PRECEDENCE_ORDER"] == ("REMOTE_ADDR",)
    with pytest.raises(ImproperlyConfigured, match="AXES_PROXY_COUNT"):
        ipware_settings(-1)
