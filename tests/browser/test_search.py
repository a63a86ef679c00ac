"""The search box in the header, as a citizen and as a member (Danish stemming, the
permission filter), with axe on the results page. The demo data of `make run` is the
ground: seed_demo writes through the services, which index what they write."""

import pytest
from playwright.sync_api import expect

from conftest import _member_user

pytestmark = pytest.mark.browser

# The Styregruppe meeting's minutes (sent, members only) have the follow-up action
# "Udarbejd notat om anvisning"; the published sub-agreement says "Udlejning og anvisning".
MEMBERS_ONLY = "Udarbejd notat om anvisning"
PUBLIC_TEXT = "Demo: Rammeaftale om fleksibel udlejning"


def search_from_header(page, words: str) -> None:
    page.goto("/")
    page.get_by_role("search").first.get_by_label("Søg i dagsordener, referater og aftaler").fill(
        words
    )
    page.get_by_role("search").first.get_by_role("button", name="Søg").click()
    page.wait_for_url("**/soeg/?q=*")


def test_a_citizen_searches_in_danish_and_sees_only_public_texts(
    demo_data, page, assert_accessible
):
    search_from_header(page, "anvisningen")  # stemmed: finds "anvisning"

    expect(page.locator("#search-count")).to_contain_text("for »anvisningen«")
    results = page.locator(".search-results")
    expect(results).to_contain_text(PUBLIC_TEXT)
    expect(results.locator("mark").first).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(MEMBERS_ONLY)
    assert_accessible(page, "search results (citizen)")


def test_a_member_also_finds_their_forums_minutes(demo_data, site_context, assert_accessible):
    member = _member_user("styregruppe.medlem@example.org", "tvaerkommunal-styregruppe")
    page = site_context(user=member).new_page()

    search_from_header(page, "anvisningen")

    results = page.locator(".search-results")
    expect(results).to_contain_text(MEMBERS_ONLY)
    expect(results).to_contain_text(PUBLIC_TEXT)
    page.get_by_label("Type", exact=True).select_option(label="Opfølgningspunkter")
    page.get_by_role("button", name="Søg", exact=True).last.click()
    expect(page.locator("#search-count")).to_contain_text("1 resultat for »anvisningen«")
    assert_accessible(page, "search results (member)")
