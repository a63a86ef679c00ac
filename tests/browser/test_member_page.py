"""The member's own page on a 390×844 phone (issue 14 §5): reached in one click from the
header (the folded menu's »Min side«), the proposal form one click further; every section
fits the screen without sideways scrolling and passes axe."""

from datetime import date, datetime

import pytest
import time_machine
from playwright.sync_api import expect

from forums.models import Organisation, Person
from meetings.deadlines import TZ
from meetings.models import Attendance, Meeting, Proposal
from members.tests.test_member_page import NOW, action, meeting, sent_minutes
from tests.browser.test_accessibility import open_page
from tests.browser.test_accessibility_meetings import assert_no_sideways_scrolling

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LONG = "Boligsocial anvisning og fleksibel udlejning i Mjølnerparken og Tingbjerg-Utterslevhuse"


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


def test_a_member_reaches_their_page_and_the_proposal_form_in_two_clicks_on_a_phone(
    clock, forums, member_user, site_context, assert_accessible
):
    bif = Organisation.objects.get(short_name="BIF")
    Person.objects.filter(user=member_user).update(organisation=bif)
    march = meeting("samarbejdsforum", date(2027, 3, 10), LONG)
    Attendance.objects.create(meeting=march, person=member_user.person, status="attending")
    Proposal.objects.create(
        meeting=march, proposer=member_user, title=LONG, description="…", treatment="discussion"
    )
    past = meeting("samarbejdsforum", date(2027, 1, 20), status=Meeting.Status.HELD)
    sent_minutes(past, closes=datetime(2027, 2, 10, 23, 59, tzinfo=TZ))
    action(past, LONG, bif, due_on=date(2027, 4, 1))

    page = site_context(user=member_user, viewport=PHONE).new_page()
    open_page(page, "/")
    page.locator("header summary").click()
    page.locator("header").get_by_role("link", name="Min side").click()
    expect(page).to_have_url("/konto/")
    for heading in [
        "Kommende møder",
        "Åbne forslagsfrister",
        "Referater til kommentering",
        "Mine forslag",
        "Opfølgningshandlinger for min organisation",
        "Kalenderadresse",
    ]:
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    assert_no_sideways_scrolling(page, "/konto/")
    assert_accessible(page, "the member's page on a phone")

    page.get_by_role("link", name="Stil forslag").click()
    expect(page).to_have_url(f"/moeder/{march.pk}/forslag/ny/")
    expect(page.locator("main form[method=post]")).to_be_visible()
