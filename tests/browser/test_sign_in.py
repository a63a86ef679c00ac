"""Signing in: a wrong password is answered at the form; five in a row lock the address out."""

import pytest
from playwright.sync_api import expect

from forums.tests.factories import UserFactory
from tests.browser.conftest import PASSWORD, sign_in_by_form

pytestmark = pytest.mark.browser

LIMIT = 5  # settings.AXES_FAILURE_LIMIT


@pytest.fixture
def account(forums):
    return UserFactory(email="laila.login@example.org", password=PASSWORD)


def test_wrong_password_shows_a_message_at_the_form(account, page):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    response = sign_in_by_form(page, account.email, "forkert-adgangskode")

    assert response.status == 200
    expect(page).to_have_url("/konto/log-ind/")
    form = page.locator("main form[method=post]")
    expect(form.locator(".alert-danger")).to_be_visible()
    # The form is there to try again, with the e-mail address kept and the password not.
    expect(form.locator("input[name=username]")).to_have_value(account.email)
    expect(form.locator("input[name=password]")).to_have_value("")
    assert errors == []


def test_five_wrong_passwords_lock_the_address_out(account, page):
    statuses = [sign_in_by_form(page, account.email, f"forkert-{n}").status for n in range(LIMIT)]

    # The first four answer at the form; the fifth is refused with the lockout page.
    assert statuses[: LIMIT - 1] == [200] * (LIMIT - 1), statuses
    assert statuses[-1] == 429, statuses
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator("main input[name=password]")).to_have_count(0)
    expect(page.locator('main a[href="/konto/nulstil-adgangskode/"]')).to_be_visible()

    # While locked out, even the right password does not sign in.
    response = sign_in_by_form(page, account.email, PASSWORD)
    assert response.status == 429
    page.goto("/konto/")
    expect(page).to_have_url("/konto/log-ind/?next=/konto/")
