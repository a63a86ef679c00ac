"""The second step in Chromium: an authenticator app's code at sign-in, and a full passkey
(WebAuthn) ceremony with Chromium's virtual authenticator (Chrome DevTools Protocol)."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, enter_totp_code

pytestmark = pytest.mark.browser


def sign_in_with_password(page, email: str, next_url: str) -> None:
    page.goto(f"/konto/log-ind/?next={next_url}")
    form = page.locator("main form[method=post]")
    form.locator("input[name=username]").fill(email)
    form.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def test_the_secretariat_types_the_code_from_its_app_and_reaches_its_page(
    site_context, secretariat_user, assert_accessible
):
    device = TOTPDevice.objects.create(user=secretariat_user, name="Telefon", confirmed=True)
    page = site_context().new_page()

    sign_in_with_password(page, secretariat_user.email, "/sekretariat/")
    expect(page).to_have_url("/konto/totrin/?next=/sekretariat/")
    assert_accessible(page, "the second step")
    form = page.locator("#second-step-form")
    form.locator("input[name=code]").fill("000000")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("#id_code")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("main")).to_contain_text("Koden er forkert.")
    page.wait_for_timeout(1100)  # django-otp's throttle: one wrong code costs a second
    response = enter_totp_code(page, device)

    assert response.ok
    expect(page).to_have_url("/sekretariat/")


def test_a_passkey_is_registered_at_setup_and_then_passes_the_second_step(
    site_context, secretariat_user, live_server, settings, assert_accessible
):
    # The relying party is the live server (WebAuthn accepts http only on localhost).
    assert live_server.url.startswith("http://localhost:")
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    context = site_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )

    # A secretariat without a device is sent from its page to set one up.
    sign_in_with_password(page, secretariat_user.email, "/sekretariat/")
    expect(page).to_have_url("/konto/totrin/opsaet/?next=/sekretariat/")
    assert_accessible(page, "setting up the second factor")
    with page.expect_navigation():
        page.locator("#passkey-register-button").click()
    expect(page.locator("main")).to_contain_text("tilføjet")
    credential = WebAuthnCredential.objects.get(user=secretariat_user)
    assert credential.confirmed
    stored = cdp.send(
        "WebAuthn.getCredentials", {"authenticatorId": authenticator["authenticatorId"]}
    )
    assert len(stored["credentials"]) == 1

    # Signed out and in again: the passkey is the second step.
    page.goto("/konto/totrin/")  # a verified session goes on to the dashboard
    page.locator("form[action='/konto/log-ud/'] button[type=submit]").first.click()
    page.wait_for_load_state()
    sign_in_with_password(page, secretariat_user.email, "/sekretariat/")
    expect(page).to_have_url("/konto/totrin/?next=/sekretariat/")
    page.locator("#passkey-verification-button").click()

    expect(page).to_have_url("/sekretariat/")
    credential.refresh_from_db()
    assert credential.sign_count >= 1 or credential.last_used_at is not None


def test_the_secretariat_sets_up_an_app_from_the_key_on_the_page(
    site_context, secretariat_user, assert_accessible
):
    from base64 import b32decode

    from django_otp.oath import TOTP

    page = site_context().new_page()
    sign_in_with_password(page, secretariat_user.email, "/sekretariat/")
    expect(page).to_have_url("/konto/totrin/opsaet/?next=/sekretariat/")
    expect(page.locator("main figure svg")).to_be_visible()

    # The key as a person types it into the app (the QR code holds the same).
    secret = page.locator("#totp-secret code").inner_text().replace(" ", "")
    code = f"{TOTP(b32decode(secret)).token():06d}"
    form = page.locator("main form[method=post]").first
    form.locator("input[name=token]").fill(code)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()

    expect(page.locator("main h1")).to_have_text("Dine gendannelseskoder")
    expect(page.locator("main ul li")).to_have_count(10)
    assert_accessible(page, "the recovery codes")
    page.get_by_role("link", name="Jeg har gemt dem – fortsæt").click()
    expect(page).to_have_url("/sekretariat/")
    assert TOTPDevice.objects.get(user=secretariat_user).confirmed
