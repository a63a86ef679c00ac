"""axe-core (WCAG 2.0 and 2.1, levels A and AA) on the meeting pages: public, members' and
the secretariat's, forms with and without errors; no sideways scrolling on a phone-sized
screen; and the header menu reachable without JavaScript."""

import re
from datetime import date
from itertools import pairwise

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from forums.models import Membership, Organisation, Person, ThemeGroup
from forums.tests.factories import MembershipFactory, PersonFactory, seat
from meetings import services
from meetings.models import AgendaItem, Proposal
from meetings.tests.factories import at
from tests.browser.conftest import PDF, partnerskabsforum_day
from tests.browser.test_accessibility import open_page

pytestmark = pytest.mark.browser

SLUG = "partnerskabsforum"
ACCEPTED = "Fælles mål for de almene boligområder"
WAITING = "Tryghed i Tingbjerg"
CLOSED = "Personsag om udpegning"
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def planned_meeting(forums, secretariat_user, other_member_user, private_media):
    """A Partnerskabsforum meeting whose agenda is being built: the member's proposals (one
    on the agenda, one waiting, both with a PDF), a closed item, and the member's
    attendance with a substitute in their place."""
    forum = forums[SLUG]
    day = partnerskabsforum_day()
    meeting = services.meeting_schedule(
        actor=secretariat_user,
        forum=forum,
        starts_at=at(day, 14),
        ends_at=at(day, 16),
        title="Partnerskabsforum forår",
    )
    tmf = Organisation.objects.get(short_name="TMF")
    for title in (ACCEPTED, WAITING):
        services.proposal_submit(
            actor=other_member_user,
            meeting=meeting,
            title=title,
            description="Oplæg til drøftelse.\nMed to afsnit.",
            treatment="discussion",
            responsible=tmf,
            files=[SimpleUploadedFile("notat.pdf", PDF, content_type="application/pdf")],
        )
    services.proposal_accept(
        actor=secretariat_user, proposal=Proposal.objects.get(meeting=meeting, title=ACCEPTED)
    )
    services.agenda_item_save(
        actor=secretariat_user,
        item=AgendaItem(meeting=meeting),
        title=CLOSED,
        presentation="Fortroligt.",
        recommendation="Det indstilles, at forummet udpeger en formand.",
        treatment="decision",
        responsible=None,
        is_closed=True,
    )
    person = Person.objects.get(user=other_member_user)
    substitute = MembershipFactory(
        forum=forum,
        seat=seat(SLUG),
        role=Membership.Role.SUBSTITUTE,
        person=PersonFactory(name="Sara Suppleant"),
    ).person
    services.attendance_register(
        actor=other_member_user,
        meeting=meeting,
        person=person,
        status="absent",
        substitute=substitute,
        note="Ferie",
    )
    return meeting


@pytest.fixture
def sent_meeting(planned_meeting, secretariat_user):
    """The same meeting with its agenda sent (the PDFs are rendered at once: Celery is eager)."""
    services.agenda_send(actor=secretariat_user, meeting=planned_meeting)
    planned_meeting.refresh_from_db()
    assert planned_meeting.versions.get().public_pdf
    return planned_meeting


def _waiting_proposal(meeting) -> int:
    return Proposal.objects.get(meeting=meeting, title=WAITING).pk


# name: (meeting fixture, who, path)
PAGES = {
    "home": ("planned_meeting", None, lambda m: "/"),
    "meeting-list": ("planned_meeting", None, lambda m: "/moeder/"),
    "public-before-agenda": ("planned_meeting", None, lambda m: f"/moeder/{m.pk}/"),
    "public-with-agenda": ("sent_meeting", None, lambda m: f"/moeder/{m.pk}/"),
    "member": ("planned_meeting", "member", lambda m: f"/moeder/{m.pk}/medlem/"),
    "member-with-agenda": ("sent_meeting", "member", lambda m: f"/moeder/{m.pk}/medlem/"),
    "agenda-version": ("sent_meeting", "member", lambda m: f"/moeder/{m.pk}/dagsorden/1/"),
    "proposal-form": ("planned_meeting", "member", lambda m: f"/moeder/{m.pk}/forslag/ny/"),
    "proposal-edit": (
        "planned_meeting",
        "member",
        lambda m: f"/forslag/{_waiting_proposal(m)}/rediger/",
    ),
    "secretariat-list": (
        "planned_meeting",
        "secretariat",
        lambda m: f"/sekretariat/moeder/?aar={m.day.year}",
    ),
    "schedule-form": ("planned_meeting", "secretariat", lambda m: "/sekretariat/moeder/ny/"),
    "workspace": ("planned_meeting", "secretariat", lambda m: f"/sekretariat/moeder/{m.pk}/"),
    "workspace-sent": ("sent_meeting", "secretariat", lambda m: f"/sekretariat/moeder/{m.pk}/"),
    "item-form": (
        "planned_meeting",
        "secretariat",
        lambda m: f"/sekretariat/moeder/{m.pk}/punkter/ny/",
    ),
    "decline-form": (
        "planned_meeting",
        "secretariat",
        lambda m: f"/sekretariat/forslag/{_waiting_proposal(m)}/afvis/",
    ),
}


@pytest.mark.parametrize("name", PAGES)
def test_meeting_page_is_accessible(name, open_as, assert_accessible):
    page = open_as(name)
    assert_accessible(page, name)


@pytest.mark.parametrize("name", PAGES)
def test_meeting_page_fits_a_phone_screen(name, open_as):
    page = open_as(name, viewport=PHONE)
    assert_no_sideways_scrolling(page, name)


def test_pages_show_what_the_checks_are_about(open_as):
    """The states the checks above rely on are really on the pages."""
    page = open_as("member")
    expect(page.locator("main input[name=status]")).to_have_count(2)
    expect(page.locator("main select[name=substitute]")).to_be_visible()
    expect(page.locator("main .list-group-item", has_text=WAITING)).to_have_count(1)

    page = open_as("workspace")
    expect(page.locator("main article", has_text=WAITING)).to_have_count(1)
    expect(page.locator("main li[id^=item-]", has_text=CLOSED)).to_have_count(1)

    page = open_as("public-with-agenda")
    expect(page.locator("main section[aria-labelledby=agenda-heading]")).to_contain_text(ACCEPTED)
    expect(page.locator("main")).not_to_contain_text(CLOSED)

    page = open_as("home")
    expect(page.locator("main section[aria-labelledby=meetings-heading] li")).to_have_count(1)


def test_proposal_form_with_errors_is_accessible(open_as, assert_accessible):
    page = open_as("proposal-form")
    form = page.locator("main form[method=post]")
    # No title, description or treatment, and a file that is not of an allowed kind.
    form.locator("input[name=files]").set_input_files(
        {"name": "noter.txt", "mimeType": "text/plain", "buffer": b"bare tekst"}
    )
    form.locator("button[type=submit]").click()
    expect(form.locator(".invalid-feedback")).to_have_count(4)
    for field in ["input[name=title]", "textarea[name=description]", "select[name=treatment]"]:
        expect(form.locator(field)).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "proposal form with errors")
    assert Proposal.objects.filter(title="").count() == 0


def test_schedule_form_with_errors_is_accessible(open_as, forums, assert_accessible):
    page = open_as("schedule-form")
    form = page.locator("main form[method=post]")
    form.locator("select[name=forum]").select_option(str(forums[SLUG].pk))
    # Outside the forum's quarter, and ending before it starts.
    form.locator("input[name=day]").fill(date(partnerskabsforum_day().year, 9, 14).isoformat())
    form.locator("input[name=starts]").fill("16:00")
    form.locator("input[name=ends]").fill("14:00")
    form.locator("button[type=submit]").click()
    expect(form.locator("input[name=ends]")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "schedule form with errors")

    # With the times right, the forum's rules (its quarter) answer at the date field.
    form.locator("input[name=starts]").fill("14:00")
    form.locator("input[name=ends]").fill("16:00")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url("/sekretariat/moeder/ny/")
    expect(form.locator("input[name=day]")).to_have_attribute("aria-invalid", "true")
    expect(form.locator("input[name=ends]")).not_to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "schedule form with the forum's rules broken")


# --- Task A of the review: phone screens and no JavaScript -------------------------------


def assert_no_sideways_scrolling(page, what: str) -> None:
    sizes = page.evaluate(
        "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
    )
    assert sizes[0] <= sizes[1] + 1, f"{what} scrolls sideways at {PHONE['width']}px: {sizes}"


def _theme_group(_):
    return f"/sekretariat/temagrupper/{ThemeGroup.objects.first().pk}/"


def _person(_):
    return f"/sekretariat/personer/{Person.objects.get(name='Karen Kontorchef').pk}/"


SECRETARIAT_TABLES = {
    "home": lambda _: "/sekretariat/",
    "people": lambda _: "/sekretariat/personer/",
    "person": _person,
    "organisations": lambda _: "/sekretariat/organisationer/",
    "theme-groups": lambda _: "/sekretariat/temagrupper/",
    "theme-group": _theme_group,
    "memberships": lambda _: "/sekretariat/medlemskaber/?forum=samarbejdsforum",
    "outbox": lambda _: "/sekretariat/udbakke/",
}


@pytest.mark.parametrize("name", SECRETARIAT_TABLES)
def test_secretariat_table_fits_a_phone_screen(name, demo_data, secretariat_user, site_context):
    page = site_context(user=secretariat_user, viewport=PHONE).new_page()
    open_page(page, SECRETARIAT_TABLES[name](None))
    expect(page.locator("main table").first).to_be_visible()
    assert_no_sideways_scrolling(page, name)
    # Each table scrolls in a box of its own instead.
    for table in page.locator("main table").all():
        expect(table.locator("xpath=..")).to_have_class(re.compile(r"\btable-responsive\b"))


def test_header_menu_works_on_a_phone_without_javascript(demo_data, site_context):
    page = site_context(java_script_enabled=False, viewport=PHONE).new_page()
    open_page(page, "/")
    header = page.locator("header")
    # Folded behind »Menu« (a <details>: no JavaScript needed, no Bootstrap toggler).
    expect(header.locator("button.navbar-toggler")).to_have_count(0)
    expect(header.locator('a[href="/fora/"]')).to_be_hidden()
    header.locator("details.site-menu > summary").click()
    for href in ["/fora/", "/moeder/", "/konto/log-ind/"]:
        expect(header.locator(f'a[href="{href}"]')).to_be_visible()

    header.locator('a[href="/konto/log-ind/"]').click()
    expect(page).to_have_url("/konto/log-ind/")
    expect(page.locator("main input[name=username]")).to_be_visible()
    assert_no_sideways_scrolling(page, "the sign-in page without JavaScript")


def test_header_menu_of_the_secretariat_on_a_phone_without_javascript(
    demo_data, secretariat_user, site_context
):
    page = site_context(user=secretariat_user, java_script_enabled=False, viewport=PHONE)
    page = page.new_page()
    open_page(page, "/fora/")
    header = page.locator("header")
    header.locator("details.site-menu > summary").click()
    for href in ["/fora/", "/moeder/", "/konto/", "/sekretariat/"]:
        expect(header.locator(f'a[href="{href}"]')).to_be_visible()
    expect(header.locator('form[action="/konto/log-ud/"] button')).to_be_visible()
    assert_no_sideways_scrolling(page, "the header of the secretariat")


@pytest.mark.parametrize("width", [375, 1280])
def test_header_stays_compact(width, demo_data, secretariat_user, site_context):
    """On a desktop the menu is one row beside the site name; on a phone a few short rows."""
    page = site_context(user=secretariat_user, viewport={"width": width, "height": 800})
    page = page.new_page()
    open_page(page, "/")
    header = page.locator("header").bounding_box()
    # one row on a desktop (the search box is the tallest thing in it); checked below
    assert header["height"] <= (96 if width >= 992 else 240), header
    if width >= 992:
        brand = page.locator("header .navbar-brand").bounding_box()
        sign_out = page.locator('header form[action="/konto/log-ud/"] button').bounding_box()
        assert abs(brand["y"] - sign_out["y"]) < 20, (brand, sign_out)


def test_forum_cards_follow_the_page_heading(demo_data, page):
    open_page(page, "/fora/")
    levels = page.evaluate(
        "() => [...document.querySelectorAll('main h1, main h2, main h3, main h4')]"
        ".map(h => Number(h.tagName[1]))"
    )
    assert levels[0] == 1 and all(b - a <= 1 for a, b in pairwise(levels)), levels
    expect(page.locator("main .forum-card h2")).to_have_count(4)


def test_favicon_is_linked_and_served(forums, page):
    response = page.goto("/")
    assert response.status == 200
    href = page.locator('link[rel="icon"]').get_attribute("href")
    icon = page.request.get(href)
    assert icon.status == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in icon.body()


# The contrast with the white page of each form control's edge (axe does not check 1.4.11).
BORDER_CONTRAST = """() => {
  const channel = v => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  const luminance = colour => {
    const [r, g, b] = colour.match(/[\\d.]+/g).slice(0, 3).map(Number).map(channel);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  return [...document.querySelectorAll(
    'main .form-control, main .form-select, main .form-check-input')]
    .filter(el => !el.checked && el !== document.activeElement)
    .map(el => [el.name, 1.05 / (luminance(getComputedStyle(el).borderTopColor) + 0.05)]);
}"""


@pytest.mark.parametrize("name", ["member", "proposal-form", "schedule-form"])
def test_form_controls_have_visible_edges(name, open_as):
    page = open_as(name)
    contrasts = page.evaluate(BORDER_CONTRAST)
    assert contrasts, "the page has form controls"
    assert all(ratio >= 3 for _, ratio in contrasts), contrasts
