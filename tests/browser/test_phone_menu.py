"""On a phone (390×844) the header menu folds behind a »Menu« button that works without
JavaScript (a <details>), by keyboard, with a focus ring as visible as a content link's; on
a desktop the menu is shown without it. axe checks the header closed and open."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import open_page
from tests.browser.test_print_and_focus import OUTLINE

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LINKS = ["/fora/", "/moeder/", "/hovedaftale/", "/konto/log-ind/"]


def test_the_menu_folds_behind_a_menu_button_on_a_phone_without_javascript(forums, site_context):
    page = site_context(java_script_enabled=False, viewport=PHONE).new_page()
    open_page(page, "/")
    header = page.locator("header")
    menu = header.locator("details.site-menu > summary")
    expect(menu).to_be_visible()
    expect(menu).to_have_text("Menu")
    for href in LINKS:
        expect(header.locator(f'a[href="{href}"]')).to_be_hidden()
    # Folded, the header is one row: the site name and the button side by side.
    assert header.bounding_box()["height"] <= 80
    brand, button = header.locator(".navbar-brand").bounding_box(), menu.bounding_box()
    assert abs(brand["y"] - button["y"]) < 20 and button["x"] > brand["x"] + brand["width"]

    menu.click()
    for href in LINKS:
        expect(header.locator(f'a[href="{href}"]')).to_be_visible()
    header.locator('a[href="/moeder/"]').click()
    expect(page).to_have_url("/moeder/")
    expect(page.locator("header a[href='/fora/']")).to_be_hidden()  # folded on the next page


def test_the_phone_header_passes_axe_folded_and_open(forums, site_context, assert_accessible):
    page = site_context(viewport=PHONE).new_page()
    open_page(page, "/")
    assert_accessible(page, "the phone header, folded")
    page.locator("header summary").focus()
    page.keyboard.press("Enter")
    expect(page.locator("header a[href='/fora/']")).to_be_visible()
    page.wait_for_timeout(400)  # the button's colour transition (Bootstrap) has ended
    assert_accessible(page, "the phone header, open")


def test_the_menu_button_works_by_keyboard_with_a_visible_focus_ring(forums, site_context):
    page = site_context(viewport=PHONE).new_page()
    open_page(page, "/")
    # Tab order: the skip link, the site name, then the menu button.
    for _ in range(3):
        page.keyboard.press("Tab")
    focused = page.evaluate_handle("() => document.activeElement")
    assert page.evaluate("el => el.matches('header summary')", focused)
    summary_ring = page.evaluate(OUTLINE, focused)
    assert summary_ring[:2] == ["solid", "3px"]
    assert page.locator("header summary").get_attribute("aria-expanded") in (None, "false")

    page.keyboard.press("Enter")
    expect(page.locator("header details")).to_have_attribute("open", "")
    page.keyboard.press("Tab")
    first_link = page.evaluate_handle("() => document.activeElement")
    assert page.evaluate("el => el.matches('header .nav-link')", first_link)
    assert page.evaluate(OUTLINE, first_link) == summary_ring
    expect(page.locator("header a[href='/fora/']")).to_be_visible()

    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")  # folds again
    expect(page.locator("header a[href='/fora/']")).to_be_hidden()


@pytest.mark.parametrize("javascript", [True, False])
def test_on_a_desktop_the_menu_is_shown_without_the_button(forums, site_context, javascript):
    page = site_context(java_script_enabled=javascript, viewport={"width": 1280, "height": 800})
    page = page.new_page()
    open_page(page, "/")
    header = page.locator("header")
    expect(header.locator("summary")).to_be_hidden()
    for href in LINKS:
        expect(header.locator(f'a[href="{href}"]')).to_be_visible()
    assert header.bounding_box()["height"] <= 80
