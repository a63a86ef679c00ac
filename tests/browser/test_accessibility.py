"""axe-core (WCAG 2.0 and 2.1, levels A and AA) on every public page, on the secretariat's
pages and on a members' page; and no sideways scrolling on a phone-sized screen."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forums.models import Membership, Person
from notifications.models import OutboxMessage
from tests.browser.conftest import FORUM_SLUGS

pytestmark = pytest.mark.browser

PUBLIC_PAGES = [
    "/",
    "/fora/",
    *[f"/fora/{slug}/" for slug in FORUM_SLUGS],
    "/tilgaengelighed/",
    "/konto/log-ind/",
    "/konto/nulstil-adgangskode/",
]


@pytest.fixture
def outbox(demo_data):
    """One message in each state, so that every status badge is on the outbox page."""
    for status in OutboxMessage.Status.values:
        OutboxMessage.objects.create(
            key=f"browser-test-{status}",
            kind="test",
            recipient=f"{status}@example.org",
            subject=f"Prøvebesked ({status})",
            body_text="Hej.",
            status=status,
            last_error="SMTP 451" if status == OutboxMessage.Status.FAILED else "",
        )
    # A message waiting for an hour: the pages show the mail backlog's warning too.
    OutboxMessage.objects.filter(key="browser-test-queued").update(
        created_at=timezone.now() - timedelta(hours=1)
    )


def open_page(page, path: str, status: int = 200):
    response = page.goto(path)
    assert response.status == status, f"{path}: HTTP {response.status}"
    # Every stylesheet has loaded: otherwise axe would check colours visitors never see.
    rules = page.evaluate(
        "() => [...document.querySelectorAll('link[rel=stylesheet]')]"
        ".map(link => (link.sheet ? link.sheet.cssRules.length : 0))"
    )
    assert rules and all(rules), f"{path}: a stylesheet did not load ({rules})"
    return response


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_is_accessible(path, demo_data, page, assert_accessible):
    open_page(page, path)
    assert_accessible(page)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_fits_a_phone_screen(path, demo_data, site_context):
    page = site_context(viewport={"width": 375, "height": 740}).new_page()
    open_page(page, path)
    sizes = page.evaluate(
        "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
    )
    assert sizes[0] <= sizes[1] + 1, f"{path} scrolls sideways at 375px: {sizes}"


def test_sign_in_form_with_errors_is_accessible(demo_data, page, assert_accessible):
    page.goto("/konto/log-ind/")
    form = page.locator("main form[method=post]")
    form.locator("input[name=username]").fill("ingen@example.org")
    form.locator("input[name=password]").fill("forkert-adgangskode")
    form.locator("button[type=submit]").click()
    expect(form.locator(".alert-danger")).to_be_visible()
    assert_accessible(page, "sign-in form with an error")


def _replace_url(_person: Person) -> str:
    membership = Membership.objects.filter(forum__slug="tvaerkommunal-styregruppe").current()
    return f"/sekretariat/medlemskaber/{membership.first().pk}/erstat/"


SECRETARIAT_PAGES = {
    "home": lambda person: "/sekretariat/",
    "memberships": lambda person: "/sekretariat/medlemskaber/?forum=tvaerkommunal-styregruppe",
    "replace-holder": _replace_url,
    "people": lambda person: "/sekretariat/personer/",
    "person": lambda person: f"/sekretariat/personer/{person.pk}/",
    "new-organisation": lambda person: "/sekretariat/organisationer/ny/",
    "theme-groups": lambda person: "/sekretariat/temagrupper/",
    "standard-items": lambda person: "/sekretariat/fora/partnerskabsforum/standardpunkter/",
    "outbox": lambda person: "/sekretariat/udbakke/",
}


@pytest.fixture
def secretariat_page(secretariat_user, outbox, site_context):
    return site_context(user=secretariat_user).new_page()


@pytest.fixture
def karen():
    """A person with a seat, a theme group and an account-less profile (from the demo)."""
    return Person.objects.get(name="Karen Kontorchef")


@pytest.mark.parametrize("name", SECRETARIAT_PAGES)
def test_secretariat_page_is_accessible(name, secretariat_page, karen, assert_accessible):
    open_page(secretariat_page, SECRETARIAT_PAGES[name](karen))
    assert_accessible(secretariat_page)


def test_replace_form_with_errors_is_accessible(secretariat_page, karen, assert_accessible):
    open_page(secretariat_page, _replace_url(karen))
    form = secretariat_page.locator("main form[method=post]")
    # No new holder, and no date: both fields answer with an error.
    form.locator("input[name=starts_on]").fill("")
    form.locator("button[type=submit]").click()
    expect(form.locator(".invalid-feedback")).to_have_count(2)
    expect(form.locator("select[name=person]")).to_have_attribute("aria-invalid", "true")
    assert_accessible(secretariat_page, "replace form with errors")


def test_members_page_is_accessible(demo_data, member_user, site_context, assert_accessible):
    page = site_context(user=member_user).new_page()
    open_page(page, "/fora/samarbejdsforum/medlemmer/")
    assert_accessible(page)
