"""The member's choice of calendar reminders on /konto/: accessible (axe, which needs
JavaScript to run) before and after an answer, and saved without JavaScript too."""

import pytest
from playwright.sync_api import expect

from core.models import AuditEntry

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False])
def test_a_member_chooses_reminders_on_konto_and_the_page_stays_accessible(
    javascript, site_context, member_user, assert_accessible
):
    page = site_context(user=member_user, java_script_enabled=javascript).new_page()
    page.goto("/konto/")
    form = page.locator('main form[action="/konto/kalender/paamindelser/"]')
    expect(form.locator("input[name=calendar_reminders]")).to_have_count(4)
    if javascript:
        assert_accessible(page, "/konto/ with the reminders form")

    form.get_by_label("1 dag før", exact=True).check()
    form.locator("button[type=submit]").click()

    expect(page).to_have_url("/konto/")
    expect(page.get_by_text("Dine påmindelser i kalenderen er gemt.")).to_be_visible()
    expect(form.get_by_label("1 dag før", exact=True)).to_be_checked()
    if javascript:
        assert_accessible(page, "/konto/ after saving the reminders")
    member_user.refresh_from_db()
    assert member_user.calendar_reminders == "day"
    assert AuditEntry.objects.filter(action="calendar.reminders").count() == 1
