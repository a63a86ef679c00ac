"""The API's documentation page (/api/v1/docs/) works in Chromium under the site's Content
Security Policy, with every file from this site; the embeddable snippet passes axe."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_api_docs_page_renders_swagger_ui_from_this_site_without_a_csp_violation(
    forums, page, live_server
):
    violations: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: requests.append(r.url))

    response = page.goto("/api/v1/docs/")

    assert response.status == 200
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Fællesindgangs API")
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/events/").first).to_be_visible()
    assert violations == []
    assert all(url.startswith(live_server.url) for url in requests), requests


@pytest.mark.parametrize(
    "path", ["/fora/partnerskabsforum/indlejr/", "/fora/partnerskabsforum/indlejr/vejledning/"]
)
def test_the_snippet_and_its_help_page_are_accessible(path, demo_data, page, assert_accessible):
    response = page.goto(path)

    assert response.status == 200
    assert_accessible(page)
