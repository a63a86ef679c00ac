"""The public archive on /moeder/ and a forum page, read by a citizen (axe), and by a member
who follows it to their forum's members' page of a past meeting."""

import pytest
from playwright.sync_api import expect

from conftest import _member_user

pytestmark = pytest.mark.browser


def test_a_citizen_finds_the_approved_minutes_of_a_past_meeting_in_the_archive(
    demo_data, page, assert_accessible
):
    page.goto("/moeder/")
    archive = page.locator("#arkiv")
    expect(archive.get_by_role("heading", name="Arkiv: afholdte møder")).to_be_visible()
    row = archive.locator("li", has_text="Demo: Partnerskabsforum (afholdt)")
    expect(row).to_contain_text("Afholdt")
    expect(archive.locator("li", has_text="Demo: Borgmesterforum (afholdt)")).not_to_contain_text(
        "Godkendt referat"
    )
    assert_accessible(page, "/moeder/ with the archive")

    row.get_by_role("link", name="Godkendt referat").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Partnerskabsforum")
    expect(page.locator("main")).to_contain_text("Udlejning af almene boliger")


def test_a_member_reads_the_archive_of_a_forum_page(demo_data, site_context, assert_accessible):
    member = _member_user("bf.medlem@example.org", "partnerskabsforum")
    page = site_context(user=member).new_page()

    page.goto("/fora/borgmesterforum/")
    archive = page.locator("#arkiv .archive-list")
    expect(archive.locator("li")).to_have_count(1)
    expect(archive).to_contain_text("Demo: Borgmesterforum (afholdt)")
    expect(archive.get_by_role("link", name="Medlemsside")).to_have_count(0)  # not their forum

    page.goto("/fora/partnerskabsforum/")
    archive = page.locator("#arkiv .archive-list")
    expect(archive.locator("li")).to_have_count(1)
    assert_accessible(page, "forum page with the archive (member)")
    archive.get_by_role("link", name="Medlemsside").click()
    expect(page.locator("main")).to_contain_text("Udlejning af almene boliger")
