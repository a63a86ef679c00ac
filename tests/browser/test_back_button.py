"""The back button after a post (issue 13 §1): the form page comes back with a fresh
one-time key, so posting the same content again used to store a second row. Now it lands
on the first, with a calm message — for a member's proposal and the secretariat's item."""

import pytest
from playwright.sync_api import expect

from core.models import AuditEntry
from forums.models import Organisation
from meetings.models import AgendaItem, Proposal
from meetings.tests.factories import schedule

pytestmark = pytest.mark.browser


def fill_proposal(page) -> None:
    form = page.locator("main form[method=post]")
    form.locator("input[name=title]").fill("Tryghed i Tingbjerg")
    form.locator("textarea[name=description]").fill("Drøftelse af trygheden.")
    form.locator("select[name=treatment]").select_option("discussion")
    form.locator("button[type=submit]").click()


def test_a_proposal_posted_again_after_the_back_button_is_stored_once(
    forums, member_user, private_media, site_context, assert_accessible
):
    meeting = schedule(forums["samarbejdsforum"], days_ahead=60)
    member = site_context(user=member_user).new_page()
    member.goto(f"/moeder/{meeting.pk}/forslag/ny/")
    fill_proposal(member)
    expect(member).to_have_url(f"/moeder/{meeting.pk}/medlem/")
    expect(member.locator("main .alert-success")).to_be_visible()

    member.go_back()
    expect(member).to_have_url(f"/moeder/{meeting.pk}/forslag/ny/")
    fill_proposal(member)

    expect(member).to_have_url(f"/moeder/{meeting.pk}/medlem/")
    expect(member.locator("main .alert-info")).to_have_text("Dit forslag var allerede indsendt.")
    assert_accessible(member, "members' page after a repeated proposal")
    assert Proposal.objects.filter(meeting=meeting).count() == 1
    assert AuditEntry.objects.filter(action="proposal.submit").count() == 1


def fill_item(page) -> None:
    form = page.locator("main form[method=post]")
    form.locator("input[name=title]").fill("Boligsociale helhedsplaner")
    form.locator("textarea[name=presentation]").fill("Status på planerne.")
    form.locator("select[name=treatment]").select_option("discussion")
    tmf = Organisation.objects.get(short_name="TMF")
    form.locator("select[name=responsible]").select_option(str(tmf.pk))
    form.locator("button[type=submit]").click()


def test_an_agenda_item_saved_again_after_the_back_button_is_created_once(
    forums, secretariat_user, private_media, site_context
):
    meeting = schedule(forums["samarbejdsforum"], days_ahead=60)
    before = AgendaItem.objects.filter(meeting=meeting).count()
    clerk = site_context(user=secretariat_user).new_page()
    clerk.goto(f"/sekretariat/moeder/{meeting.pk}/punkter/ny/")
    fill_item(clerk)
    expect(clerk.locator("main .alert-success")).to_be_visible()

    clerk.go_back()
    fill_item(clerk)

    expect(clerk.locator("main .alert-info")).to_have_text("Punktet var allerede gemt.")
    assert AgendaItem.objects.filter(meeting=meeting).count() == before + 1
