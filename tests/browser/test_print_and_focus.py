"""The main menu's focus ring is as visible as a content link's (WCAG 2.4.7), and a page
prints its content only: no menu or buttons, and the decisions register fits A4 with all
its columns."""

from datetime import timedelta

import pytest

from forums.models import Organisation
from meetings.tests.factories import schedule
from minutes import services as minutes_services

pytestmark = pytest.mark.browser

# A4 (210 mm) less the print stylesheet's 12 mm margins, at the CSS 96 px per inch.
A4_CONTENT_WIDTH = round((210 - 2 * 12) / 25.4 * 96)

OUTLINE = """el => { const s = getComputedStyle(el);
  return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }"""


def tab_to(page, selector: str) -> None:
    """Give the first element matching `selector` the keyboard focus: one Tab puts the page
    in keyboard mode (so :focus-visible applies, as for a keyboard user), then the focus
    moves to the element itself, however many links stand before it."""
    page.keyboard.press("Tab")
    page.locator(selector).first.focus()
    assert page.evaluate(f"() => document.activeElement.matches({selector!r})"), selector


def test_the_nav_focus_ring_is_as_visible_as_a_content_links(page, forums):
    """/fora/ lists the forums (seeded here: a flushed database has none to link to)."""
    page.goto("/fora/")
    tab_to(page, ".site-header .nav-link")
    nav = page.evaluate_handle("() => document.activeElement")
    nav_ring = page.evaluate(OUTLINE, nav)
    tab_to(page, "main a")
    content_ring = page.evaluate(OUTLINE, page.evaluate_handle("() => document.activeElement"))
    assert content_ring[0] == "solid" and content_ring[1] == "3px"
    assert nav_ring == content_ring


@pytest.fixture
def register_with_an_action(forums, secretariat_user):
    meeting = schedule(forums["samarbejdsforum"], days_ahead=30)
    after = meeting.starts_at + timedelta(hours=3)
    minutes = minutes_services.minutes_start(actor=secretariat_user, meeting=meeting, now=after)
    minutes_services.action_add(
        actor=secretariat_user,
        item=minutes.items.get(),
        what="Udarbejde et samlet overblik over ventelister i alle afdelinger " * 3,
        responsible=Organisation.objects.get(short_name="TMF"),
    )
    minutes_services.minutes_send(actor=secretariat_user, minutes=minutes, now=after)


def test_the_decisions_register_prints_every_column_on_a4_without_menu_or_buttons(
    site_context, secretariat_user, register_with_an_action
):
    page = site_context(user=secretariat_user).new_page()
    page.set_viewport_size({"width": A4_CONTENT_WIDTH, "height": 1100})
    page.goto("/beslutninger/")
    assert page.locator(".site-header").is_visible()
    page.emulate_media(media="print")

    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".site-footer").is_visible()
    assert page.locator("main button:visible, main .btn:visible").count() == 0
    assert not page.locator("main form[method=get]").is_visible()
    headers = page.locator("main table thead th")
    assert headers.count() == 6
    for i in range(6):
        box = headers.nth(i).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= A4_CONTENT_WIDTH + 1
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= A4_CONTENT_WIDTH
    assert "Udarbejde et samlet overblik" in page.locator("main table").inner_text()
