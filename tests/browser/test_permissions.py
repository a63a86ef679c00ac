"""What a signed-in member (not the secretariat) gets when they open pages not theirs."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def member_page(member_user, site_context):
    """A member of Samarbejdsforum, signed in."""
    return site_context(user=member_user).new_page()


def test_member_gets_403_at_the_secretariat(member_page):
    for path in ["/sekretariat/", "/sekretariat/medlemskaber/", "/sekretariat/udbakke/"]:
        response = member_page.goto(path)
        assert response.status == 403, path
        expect(member_page).to_have_url(path)


def test_member_gets_404_for_another_forums_members_page(member_page):
    response = member_page.goto("/fora/partnerskabsforum/medlemmer/")
    assert response.status == 404

    # Their own forum's members' page opens, and shows the contact list.
    response = member_page.goto("/fora/samarbejdsforum/medlemmer/")
    assert response.status == 200
    expect(member_page.locator("main table")).not_to_have_count(0)


def test_anonymous_visitor_is_sent_to_sign_in(page):
    for path in ["/sekretariat/", "/fora/samarbejdsforum/medlemmer/"]:
        response = page.goto(path)
        assert response.status == 200, path
        expect(page).to_have_url(f"/konto/log-ind/?next={path}")
        expect(page.locator("main input[name=username]")).to_be_visible()
