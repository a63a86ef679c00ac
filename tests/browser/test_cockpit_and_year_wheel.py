"""The secretariat's cockpit (»Hvad skal jeg nå?«) and the year wheel in Chromium: axe on
each page, the forum filter by a plain GET, and on a 390×844 phone a cockpit table that
wraps into labelled lines instead of scrolling sideways."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from meetings.tests.factories import at, schedule

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def due_things(forums):
    """An overdue deadline (Styregruppen met 10 days ago; its minutes were due 3 days ago)
    and a coming one (Samarbejdsforum in 30 days: its agenda is due in 16 days)."""
    today = timezone.localdate()
    with time_machine.travel(at(today - timedelta(days=40), 9), tick=False):
        held = schedule(forums["tvaerkommunal-styregruppe"], day=today - timedelta(days=10))
    coming = schedule(forums["samarbejdsforum"], day=today + timedelta(days=30))
    return {"held": held, "coming": coming}


def test_the_secretariat_reads_what_is_due_filters_by_forum_and_passes_axe(
    due_things, site_context, secretariat_user, assert_accessible
):
    page = site_context(user=secretariat_user).new_page()
    page.goto("/sekretariat/")
    expect(page.get_by_role("heading", level=2).first).to_have_text("Hvad skal jeg nå?")
    overdue = page.get_by_role("table", name="Overskredet")
    expect(overdue.locator("tbody tr")).to_have_count(1)
    expect(overdue).to_contain_text("Overskredet")
    expect(overdue).to_contain_text("Den Tværkommunale Styregruppe")
    coming = page.get_by_role("table", name="De næste 8 uger")
    expect(coming).to_contain_text("Samarbejdsforum")
    assert_accessible(page, "/sekretariat/ with the cockpit")

    page.get_by_label("Forum", exact=True).select_option("samarbejdsforum")
    page.get_by_role("button", name="Vis").click()
    expect(page).to_have_url(f"{page.url.split('?')[0]}?forum=samarbejdsforum")
    expect(page.get_by_text("Intet er overskredet.")).to_be_visible()
    expect(page.get_by_role("table", name="De næste 8 uger")).to_contain_text("Samarbejdsforum")

    agenda_row = page.get_by_role("table", name="De næste 8 uger").locator(
        "tr", has_text="Dagsorden senest"
    )
    agenda_row.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/sekretariat/moeder/{due_things['coming'].pk}/send/$"))


def test_on_a_phone_the_cockpit_table_wraps_instead_of_scrolling_sideways(
    due_things, site_context, secretariat_user, assert_accessible
):
    page = site_context(user=secretariat_user, viewport=PHONE).new_page()
    page.goto("/sekretariat/")
    table = page.get_by_role("table", name="Overskredet")
    expect(table).to_be_visible()
    widths = page.evaluate(
        """() => ({
            page: document.documentElement.scrollWidth,
            view: document.documentElement.clientWidth,
            tables: [...document.querySelectorAll('.due-table')].map(
                t => [t.scrollWidth, t.parentElement.clientWidth]),
        })"""
    )
    assert widths["page"] <= widths["view"], widths
    for table_width, room in widths["tables"]:
        assert table_width <= room, widths
    # Each cell carries its column's name on the phone.
    label = table.locator("td").first.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Dato: "'
    assert_accessible(page, "/sekretariat/ on a phone")


def test_the_year_wheel_and_its_public_version_pass_axe(
    due_things, site_context, secretariat_user, assert_accessible
):
    year = timezone.localdate().year
    page = site_context(user=secretariat_user).new_page()
    page.goto(f"/sekretariat/aarshjul/{year}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Årshjul {year}")
    expect(page.get_by_role("heading", name="Tjek af kommissoriet")).to_be_visible()
    assert_accessible(page, "the year wheel")
    page.get_by_role("link", name=f"Næste år ({year + 1})").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Årshjul {year + 1}")

    public = site_context().new_page()
    public.goto(f"/aarshjul/{year}/")
    expect(public.get_by_role("heading", level=1)).to_have_text(f"Foraenes møder i {year}")
    expect(public.locator("main")).not_to_contain_text("Dagsorden senest")
    assert_accessible(public, "the public year wheel")
