"""The secretariat opens a year's steering dialogue and adds an area through the real
pages; both pages pass axe-core, and a refused area keeps what was typed."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dialogue.models import DialogueArea, DialogueRound
from forums.tests.factories import OrganisationFactory
from meetings.models import Meeting

pytestmark = pytest.mark.browser


def test_secretariat_opens_a_year_and_adds_an_area_chosen_by_partnerskabsforum(
    forums, site_context, secretariat_user, assert_accessible
):
    fsb = OrganisationFactory(name="fsb", short_name="fsb")
    # The areas are chosen by a Partnerskabsforum meeting already held (of the round's year).
    held = timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0) - timedelta(
        days=7
    )
    day = held.date()
    pf = Meeting.objects.create(
        forum=forums["partnerskabsforum"],
        title="Partnerskabsforum",
        starts_at=held,
        ends_at=held + timedelta(hours=2),
        place="Rådhuset",
    )
    page = site_context(user=secretariat_user).new_page()
    page.goto("/sekretariat/styringsdialog/")
    assert_accessible(page, "the steering dialogue list")
    page.locator("input[name=year]").fill(str(day.year))
    page.get_by_role("button", name="Åbn runden").click()
    expect(page).to_have_url(f"/sekretariat/styringsdialog/{day.year}/")
    assert_accessible(page, "a year's round")

    page.get_by_role("link", name="Tilføj et område").click()
    form = page.locator("main form[method=post]")
    form.get_by_label("Område eller kvarter").fill("Nørrebro")
    form.get_by_label("Valgt på mødet i Partnerskabsforum").select_option(str(pf.pk))
    form.get_by_label("Boligorganisationer").select_option(str(fsb.pk))
    assert_accessible(page, "the area form")
    form.get_by_role("button", name="Gem").click()
    expect(page).to_have_url(f"/sekretariat/styringsdialog/{day.year}/")
    expect(page.locator("main")).to_contain_text("Nørrebro")
    area = DialogueArea.objects.get()
    assert (area.round, area.chosen_at, list(area.organisations.all())) == (
        DialogueRound.objects.get(year=day.year),
        pf,
        [fsb],
    )
