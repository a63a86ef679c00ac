"""The secretariat replaces a seat holder through the real pages, and the public forum page
shows the new holder at once."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forums.models import Membership
from forums.tests.factories import (
    MembershipFactory,
    PersonFactory,
    UserFactory,
    forum,
    holder_for,
    seat,
)
from tests.browser.conftest import PASSWORD, sign_in_by_form

pytestmark = pytest.mark.browser

SLUG = "tvaerkommunal-styregruppe"


def test_secretariat_replaces_seat_holder_and_public_page_shows_it(forums, site_context):
    clerk = UserFactory(email="clerk@example.org", password=PASSWORD, secretariat=True)
    the_seat = seat(SLUG)
    old = MembershipFactory(
        forum=forum(SLUG),
        seat=the_seat,
        person=PersonFactory(name="Gunnar Gammelholder", title="Kontorchef"),
    )
    # A person the seat is for: of its administration, at kontorchef level or higher.
    successor = holder_for(the_seat, name="Nanna Nyholder", title="Vicedirektør")
    today = timezone.localdate()

    page = site_context().new_page()
    response = sign_in_by_form(page, clerk.email, PASSWORD)
    assert response.ok
    expect(page).to_have_url("/konto/")

    # The membership list of the forum, and its "Replace holder" link for this membership.
    page.goto(f"/sekretariat/medlemskaber/?forum={SLUG}")
    row = page.locator("main tbody tr", has_text="Gunnar Gammelholder")
    expect(row).to_have_count(1)
    row.locator(f'a[href="/sekretariat/medlemskaber/{old.pk}/erstat/"]').click()
    expect(page).to_have_url(f"/sekretariat/medlemskaber/{old.pk}/erstat/")

    form = page.locator("main form[method=post]")
    form.locator("select[name=person]").select_option(str(successor.pk))
    form.locator("input[name=starts_on]").fill(today.isoformat())
    form.locator("input[name=note]").fill("Skiftet i browsertesten")
    form.locator("button[type=submit]").click()

    # Back on the forum's membership list, with the success message naming both people.
    expect(page).to_have_url(f"/sekretariat/medlemskaber/?forum={SLUG}")
    success = page.locator("main .alert-success")
    expect(success).to_contain_text("Nanna Nyholder")
    expect(success).to_contain_text("Gunnar Gammelholder")

    # An anonymous visitor (a context of their own, no cookies) sees the new holder only.
    visitor = site_context().new_page()
    response = visitor.goto(f"/fora/{SLUG}/")
    assert response.status == 200
    members = visitor.locator("main table.members-table")
    expect(members).to_contain_text("Nanna Nyholder")
    expect(members).not_to_contain_text("Gunnar Gammelholder")

    # The database: the old membership ended the day before, the new one replaces it.
    old.refresh_from_db()
    assert old.ends_on == today - timedelta(days=1)
    new = Membership.objects.get(person=successor, seat=the_seat)
    assert new.replaces_id == old.pk
    assert new.starts_on == today
    assert new.ends_on is None
    assert new.role == old.role
    assert new.note == "Skiftet i browsertesten"
