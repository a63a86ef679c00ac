"""After a server-side error the error summary has the focus and the title says so (WCAG
3.3.1), with or without JavaScript; a success message is announced through the live region
(4.1.3); after an action the focus is back on the row acted on (2.4.3)."""

import pytest
from playwright.sync_api import expect

from core.audit import audit_trail
from forums.models import Organisation
from minutes.models import FollowUpAction
from tests.browser.test_print_and_focus import register_with_an_action  # noqa: F401

pytestmark = pytest.mark.browser

# Counts the message nodes put into the live region after the page has loaded: only those
# are read out by screen readers.
WATCH_LIVE_REGION = """
window.__announced = 0;
document.addEventListener("DOMContentLoaded", () => {
  const region = document.getElementById("messages");
  new MutationObserver((changes) => {
    for (const change of changes) window.__announced += change.addedNodes.length;
  }).observe(region, {childList: true});
});
"""


def test_after_saving_an_actions_status_its_row_has_the_focus_and_the_message_is_announced(
    site_context,
    secretariat_user,
    register_with_an_action,  # noqa: F811
):
    action = FollowUpAction.objects.get()
    page = site_context(user=secretariat_user).new_page()
    page.add_init_script(WATCH_LIVE_REGION)
    page.goto("/beslutninger/")
    status = page.get_by_label("Status for handlingen »Udarbejde et samlet overblik", exact=False)
    status.select_option("done")
    with page.expect_navigation():
        page.get_by_role("button", name="Gem status for »Udarbejde et samlet").click()

    expect(page.locator("#messages .alert-success")).to_have_text("Status er opdateret.")
    page.wait_for_function("() => window.__announced > 0")
    assert page.evaluate("() => document.activeElement.id") == f"action-{action.pk}"
    action.refresh_from_db()
    assert action.status == "done"
    assert audit_trail(action).filter(actor=secretariat_user).exists()


def test_a_form_sent_back_with_errors_focuses_its_summary_whose_link_leads_to_the_field(
    site_context, secretariat_user, forums
):
    count = Organisation.objects.count()
    page = site_context(user=secretariat_user).new_page()
    page.goto("/sekretariat/organisationer/ny/")
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").click()

    assert page.title().startswith("Fejl: ")
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link").first.click()
    expect(page.locator("#id_name")).to_be_focused()
    assert Organisation.objects.count() == count


def test_without_javascript_the_error_summary_has_the_focus_too(site_context, forums):
    page = site_context(java_script_enabled=False).new_page()
    page.goto("/konto/nulstil-adgangskode/")
    page.locator("main form input[name=email]").fill("ikke-en-adresse")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    assert page.title() == "Fejl: Glemt din adgangskode? – Fællesindgang"
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("main form input[name=email]")).to_have_value("ikke-en-adresse")
