"""The second factor (ASVS 4.0 level 2): an authenticator app (TOTP), recovery codes and
passkeys; required for the secretariat and staff, optional for members."""

import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services import recovery_codes_generate
from conftest import force_login_password_only
from core.models import AuditEntry
from forums.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "korrekt-hest-batteri"  # forums.tests.factories.UserFactory

NOW = datetime(2026, 3, 10, 9, 0, 0, tzinfo=UTC)


def code_for(device: TOTPDevice, at: datetime) -> str:
    """The 6 digits the app shows at `at` (RFC 6238)."""
    clock = TOTP(device.bin_key, device.step, device.t0, device.digits)
    clock.time = at.timestamp()
    return f"{clock.token():06d}"


def password_only(user) -> Client:
    """A client past the password step only (no second factor yet)."""
    client = Client()
    force_login_password_only(client, user)
    return client


@pytest.fixture
def app(secretariat_user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=secretariat_user, name="Telefon", confirmed=True)


# --- Enforcement ------------------------------------------------------------------------------


def test_the_secretariat_without_a_device_is_sent_to_set_one_up_and_back(secretariat_user):
    client = password_only(secretariat_user)

    response = client.get("/sekretariat/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/totrin/?next=/sekretariat/"
    response = client.get(response["Location"])
    assert response["Location"] == "/konto/totrin/opsaet/?next=/sekretariat/"
    assert client.get(response["Location"]).status_code == 200


def test_the_secretariat_with_a_device_is_asked_for_it_before_any_page(secretariat_user, app):
    client = password_only(secretariat_user)

    for path in ("/sekretariat/", "/konto/", "/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/konto/totrin/?next="), path
    # Setting up another device needs the one there is first (a password is not enough).
    response = client.get("/konto/totrin/opsaet/")
    assert response["Location"] == "/konto/totrin/?next=/konto/totrin/opsaet/"
    assert client.post("/konto/totrin/gendannelseskoder/").status_code == 302
    assert not StaticDevice.objects.filter(user=secretariat_user).exists()


def test_staff_are_asked_for_the_second_factor_before_the_admin_opens(forums):
    staff = UserFactory(email="drift@example.org", is_staff=True)

    response = password_only(staff).get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/konto/totrin/?next=/admin/"


def test_a_member_without_a_device_signs_in_with_the_password_alone(client, member_user):
    client.post(
        "/konto/log-ind/", {"username": member_user.email, "password": "korrekt-hest-batteri"}
    )

    assert client.get("/konto/").status_code == 200


def test_a_member_who_opted_in_is_asked_for_the_code_at_sign_in(client, member_user):
    device = TOTPDevice.objects.create(user=member_user, name="Telefon", confirmed=True)
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            "/konto/log-ind/",
            {"username": member_user.email, "password": "korrekt-hest-batteri", "next": "/fora/"},
        )
        assert response["Location"] == "/fora/"
        response = client.get("/fora/")
        assert response["Location"] == "/konto/totrin/?next=/fora/"

        response = client.post("/konto/totrin/", {"code": code_for(device, NOW), "next": "/fora/"})

        # (inside the travel: the session, made anew at verification, expires from then)
        assert response.status_code == 302 and response["Location"] == "/fora/"
        assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
        assert client.get("/fora/").status_code == 200


def test_the_demo_accounts_listed_as_exempt_are_not_asked(settings, secretariat_user):
    settings.SECOND_FACTOR_EXEMPT_EMAILS = [secretariat_user.email]

    assert password_only(secretariat_user).get("/sekretariat/").status_code == 200


def test_the_production_settings_refuse_exempt_accounts():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_DEBUG": "false",
        "SECRET_KEY": "x" * 60,
        "ACCESSIBILITY_CONTACT_EMAIL": "tilgaengelighed@kk.dk",
        "SECOND_FACTOR_EXEMPT_EMAILS": "sekretariat@example.org",
    }
    code = "import django; django.setup()"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=settings.BASE_DIR
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECOND_FACTOR_EXEMPT_EMAILS" in result.stderr
    env["SECOND_FACTOR_EXEMPT_EMAILS"] = ""
    ok = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=settings.BASE_DIR
    )
    assert ok.returncode == 0, ok.stderr


# --- Authenticator app ------------------------------------------------------------------------


def test_setting_up_the_app_verifies_the_session_and_shows_ten_recovery_codes(secretariat_user):
    client = password_only(secretariat_user)
    with time_machine.travel(NOW, tick=False):
        page = client.get("/konto/totrin/opsaet/?next=/sekretariat/")
        html = page.content.decode()
        assert "<svg" in html and "otpauth" not in html  # a QR code, not a link to it
        key = client.session["second_factor_totp_key"]
        secret = re.search(r"<code[^>]*>([A-Z2-7 ]+)</code>", html).group(1).replace(" ", "")
        pending = TOTPDevice(key=key, user=secretariat_user)
        assert secret == pending.config_url.split("secret=")[1].split("&")[0]

        response = client.post(
            "/konto/totrin/opsaet/", {"token": code_for(pending, NOW), "next": "/sekretariat/"}
        )

        assert response.status_code == 200
        codes = response.context["codes"]
        assert len(codes) == 10 and len(set(codes)) == 10
        assert "no-store" in response["Cache-Control"]
        assert client.get("/sekretariat/").status_code == 200
    device = TOTPDevice.objects.get(user=secretariat_user)
    assert device.confirmed and device.key == key
    tokens = StaticToken.objects.filter(device__user=secretariat_user)
    assert sorted(tokens.values_list("token", flat=True)) == sorted(codes)
    actions = set(
        AuditEntry.objects.filter(actor=secretariat_user).values_list("action", flat=True)
    )
    assert {"second_factor.totp_added", "second_factor.recovery_codes"} <= actions


def test_a_wrong_setup_code_is_refused_at_the_field_and_adds_no_device(secretariat_user):
    client = password_only(secretariat_user)
    with time_machine.travel(NOW, tick=False):
        client.get("/konto/totrin/opsaet/")
        pending = TOTPDevice(key=client.session["second_factor_totp_key"], user=secretariat_user)
        stale = code_for(pending, NOW - timedelta(minutes=5))

        response = client.post("/konto/totrin/opsaet/", {"token": stale})

    assert response.status_code == 200
    assert response.context["form"].errors["token"] == [
        "Koden er forkert. Skriv de 6 cifre, som appen viser lige nu."
    ]
    assert not TOTPDevice.objects.filter(user=secretariat_user).exists()
    assert client.get("/sekretariat/").status_code == 302


def test_the_code_from_the_app_opens_the_secretariat_with_a_new_session_key(secretariat_user, app):
    client = password_only(secretariat_user)
    before = client.session.session_key
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            "/konto/totrin/", {"code": code_for(app, NOW), "next": "/sekretariat/"}
        )

        assert response["Location"] == "/sekretariat/"
        assert client.get("/sekretariat/").status_code == 200
        assert client.session.session_key != before
    app.refresh_from_db()
    assert app.last_t == int(NOW.timestamp()) // 30


def test_a_wrong_code_is_answered_at_the_field_and_opens_nothing(secretariat_user, app):
    client = password_only(secretariat_user)
    with time_machine.travel(NOW, tick=False):
        wrong = code_for(app, NOW + timedelta(minutes=10))
        response = client.post("/konto/totrin/", {"code": wrong, "next": "/sekretariat/"})

    assert response.status_code == 200
    assert response.context["form"].errors["code"] == ["Koden er forkert."]
    assert response.context["form"]["code"].value() == wrong
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert client.get("/sekretariat/").status_code == 302


def test_wrong_codes_make_the_next_try_wait(secretariat_user, app):
    """django-otp's throttling: after n wrong codes the next try waits 2^(n-1) seconds."""
    client = password_only(secretariat_user)
    with time_machine.travel(NOW, tick=False) as clock:
        for wait in (0, 1, 2):  # three wrong codes, each after the wait the last one asks
            clock.shift(timedelta(seconds=wait))
            assert client.post("/konto/totrin/", {"code": "000000"}).status_code == 200
        clock.shift(timedelta(seconds=1))  # 1 of the 4 seconds the third failure asks
        response = client.post("/konto/totrin/", {"code": code_for(app, NOW)})
        assert response.context["form"].errors["code"] == [
            "For mange forkerte koder. Vent 3 sekunder, og prøv igen."
        ]
        clock.shift(timedelta(seconds=3))
        response = client.post("/konto/totrin/", {"code": code_for(app, NOW)})

    assert response.status_code == 302
    app.refresh_from_db()
    assert app.throttling_failure_count == 0


# --- Recovery codes ---------------------------------------------------------------------------


def test_a_recovery_code_works_once_only(secretariat_user, app):
    codes = recovery_codes_generate(user=secretariat_user)
    first = password_only(secretariat_user)
    assert first.post("/konto/totrin/", {"code": codes[0].upper()}).status_code == 302
    assert first.get("/sekretariat/").status_code == 200

    again = password_only(secretariat_user).post("/konto/totrin/", {"code": codes[0]})

    assert again.status_code == 200
    assert again.context["form"].errors["code"] == ["Koden er forkert."]
    assert StaticToken.objects.filter(device__user=secretariat_user).count() == 9
    used = AuditEntry.objects.get(action="second_factor.recovery_code_used")
    assert used.actor == secretariat_user and used.data == {"left": 9}


def test_new_recovery_codes_replace_the_old_ones(secretariat_client, secretariat_user):
    old = recovery_codes_generate(user=secretariat_user)

    response = secretariat_client.post("/konto/totrin/gendannelseskoder/")

    new = response.context["codes"]
    assert len(new) == 10
    tokens = set(
        StaticToken.objects.filter(device__user=secretariat_user).values_list("token", flat=True)
    )
    assert tokens == set(new) and not tokens & set(old)
    assert AuditEntry.objects.filter(action="second_factor.recovery_codes").count() == 2


# --- Opting in and out ------------------------------------------------------------------------


def test_a_member_opts_in_from_the_dashboard_and_can_turn_it_off(member_client, member_user):
    assert "/konto/totrin/opsaet/" in member_client.get("/konto/").content.decode()
    with time_machine.travel(NOW, tick=False):
        member_client.get("/konto/totrin/opsaet/")
        pending = TOTPDevice(key=member_client.session["second_factor_totp_key"], user=member_user)
        member_client.post("/konto/totrin/opsaet/", {"token": code_for(pending, NOW)})
        assert TOTPDevice.objects.filter(user=member_user, confirmed=True).count() == 1

        wrong = member_client.post("/konto/totrin/slaa-fra/", {"password": "forkert"}, follow=True)
        assert "Adgangskoden er forkert." in wrong.content.decode()
        assert TOTPDevice.objects.filter(user=member_user).exists()

        response = member_client.post("/konto/totrin/slaa-fra/", {"password": PASSWORD})

    assert response["Location"] == "/konto/"
    assert not TOTPDevice.objects.filter(user=member_user).exists()
    assert not StaticDevice.objects.filter(user=member_user).exists()
    assert AuditEntry.objects.filter(action="second_factor.turned_off", actor=member_user).exists()


def test_the_secretariat_cannot_turn_the_second_factor_off(secretariat_client, secretariat_user):
    response = secretariat_client.post(
        "/konto/totrin/slaa-fra/", {"password": "korrekt-hest-batteri"}, follow=True
    )

    assert TOTPDevice.objects.filter(user=secretariat_user).exists()
    assert "Sekretariatet og administratorer kan ikke slå totrinslogin fra." in (
        response.content.decode()
    )
    assert not AuditEntry.objects.filter(action="second_factor.turned_off").exists()


# --- Passkeys (the ceremony itself runs in Chromium: tests/browser/test_second_factor.py) ----


def test_passkey_registration_begins_for_the_secretariat_setting_up(secretariat_user):
    client = password_only(secretariat_user)

    response = client.post("/konto/totrin/passkey/registration/begin/")

    assert response.status_code == 200
    options = response.json()
    assert options["rp"] == {"id": "localhost", "name": "Fællesindgang"}
    assert "otp_webauthn_register_state" in client.session


def test_a_password_alone_cannot_add_a_passkey_once_a_device_exists(secretariat_user, app):
    client = password_only(secretariat_user)

    response = client.post("/konto/totrin/passkey/registration/begin/")

    assert response.status_code == 403
    assert "otp_webauthn_register_state" not in client.session


def test_passkey_verification_can_begin_at_the_second_step(secretariat_user, app):
    response = password_only(secretariat_user).post("/konto/totrin/passkey/authentication/begin/")

    assert response.status_code == 200 and "challenge" in response.json()


def test_the_passkey_scripts_speak_danish(secretariat_user):
    client = password_only(secretariat_user)
    page = client.get("/konto/totrin/opsaet/").content.decode()
    assert '<script src="/konto/totrin/passkey-tekster.js">' in page

    catalog = client.get("/konto/totrin/passkey-tekster.js").content.decode()

    assert '"Register a Passkey": "Tilf\\u00f8j en adgangsn\\u00f8gle"' in catalog


def test_a_code_from_the_app_opens_one_session_only(secretariat_user):
    """RFC 6238 §5.2: a code is accepted once, the code that confirmed the setup included."""
    setup = password_only(secretariat_user)
    with time_machine.travel(NOW, tick=False):
        setup.get("/konto/totrin/opsaet/")
        pending = TOTPDevice(key=setup.session["second_factor_totp_key"], user=secretariat_user)
        code = code_for(pending, NOW)
        setup.post("/konto/totrin/opsaet/", {"token": code})

        replay = password_only(secretariat_user).post("/konto/totrin/", {"code": code})

        assert replay.status_code == 200
        assert replay.context["form"].errors["code"] == ["Koden er forkert."]
        assert password_only(secretariat_user).get("/sekretariat/").status_code == 302
