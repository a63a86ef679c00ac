"""The public pools table on a 390 px phone (QA, issue 10): headers and amounts stay whole
(never »B el ø b« or »1. 00 0. 00 0, 00 kr.«); the table scrolls in its own named, focusable
region; at 320 px the page itself does not scroll sideways."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from pools import services

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

LINES = """el => {
  const range = document.createRange();
  range.selectNodeContents(el);
  return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
}"""


@pytest.fixture
def public_pool(forums, secretariat_user):
    return services.pool_save(
        actor=secretariat_user,
        name="Pulje til tryghed i boligområderne",
        slug="tryghed",
        purpose="Tryghedsskabende indsatser.",
        amount=Decimal("1000000.00"),
        authorised_on=date(2026, 12, 10),
        authorisation_reference="BR 512/2026",
        period_start=date(2027, 1, 1),
        period_end=date(2027, 12, 31),
        is_public=True,
    )


def test_on_a_phone_the_pools_amounts_and_headers_stay_whole(public_pool, site_context):
    page = site_context().new_page()
    page.set_viewport_size(PHONE)
    page.goto("/puljer/")
    region = page.get_by_role("region", name="Puljer")
    expect(region).to_have_attribute("tabindex", "0")
    table = region.get_by_role("table")
    expect(table).to_contain_text("1.000.000,00 kr.")
    for cell in table.locator("th, td").all():
        text = cell.inner_text().strip()
        if " " not in text:  # a single word or a number never breaks
            assert cell.evaluate(LINES) == 1, text
    for amount in table.locator("td.amount").all():
        assert amount.evaluate(LINES) == 1, amount.inner_text()
    page.set_viewport_size({"width": 320, "height": 700})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
