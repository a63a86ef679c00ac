"""A theme group's page with its reports' trail, and the report form, on a 390×844 phone:
axe passes and nothing scrolls sideways; the secretariat submits a report in the browser
and reads where it went (issue 14 §6)."""

from datetime import date

import pytest
import time_machine
from playwright.sync_api import expect

from forums.tests.factories import ThemeGroupFactory
from members.tests.test_member_page import NOW, meeting
from tests.browser.test_accessibility import open_page
from tests.browser.test_accessibility_meetings import assert_no_sideways_scrolling
from theme_reports import services
from theme_reports.models import ThemeGroupReport

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


def test_the_secretariat_submits_a_report_and_reads_its_trail_on_a_phone(
    clock, forums, secretariat_user, site_context, assert_accessible
):
    group = ThemeGroupFactory(
        name="Temagruppen om tryghed og trivsel i de almene boligområder",
        first_report_on=date(2026, 12, 15),
        report_every_months=3,
    )
    meeting("samarbejdsforum", date(2027, 2, 17), "Lukket for forslag")
    services.theme_group_report_submit(
        actor=secretariat_user, theme_group=group, title="Rapport uden møde", text="Tekst."
    )
    march = meeting("samarbejdsforum", date(2027, 3, 10))

    page = site_context(user=secretariat_user, viewport=PHONE).new_page()
    open_page(page, f"/sekretariat/temagrupper/{group.pk}/rapporter/ny/?frist=2026-12-15")
    assert_no_sideways_scrolling(page, "the report form")
    assert_accessible(page, "the report form")
    page.locator("main input[name=title]").fill("Status på trivselsindsatsen")
    page.locator("main textarea[name=text]").fill("Gruppen anbefaler at fortsætte indsatsen.")
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(f"/sekretariat/temagrupper/{group.pk}/")
    expect(page.locator(".alert-success")).to_contain_text("10. marts 2027")
    expect(page.get_by_text("Afventer næste møde")).to_be_visible()
    report = ThemeGroupReport.objects.get(title="Status på trivselsindsatsen")
    assert report.due_on == date(2026, 12, 15) and report.proposal.meeting == march
    assert_no_sideways_scrolling(page, "the theme group's page")
    assert_accessible(page, "the theme group's page with its reports")
