"""The public pages are plain HTML: they work with JavaScript switched off."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_forum_page_shows_its_members_without_javascript(member_user, site_context):
    page = site_context(java_script_enabled=False).new_page()

    response = page.goto("/fora/samarbejdsforum/")

    assert response.status == 200
    expect(page.locator("main h1")).to_be_visible()
    table = page.locator("main table.members-table")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).not_to_have_count(0)
    expect(table).to_contain_text(member_user.full_name)


def test_forum_list_leads_to_a_forum_without_javascript(forums, site_context):
    page = site_context(java_script_enabled=False).new_page()
    page.goto("/fora/")

    page.locator('main a[href="/fora/samarbejdsforum/"]').click()

    expect(page).to_have_url("/fora/samarbejdsforum/")
    expect(page.locator("main table.members-table")).to_be_visible()
