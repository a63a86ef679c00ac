"""The framework agreement through the real pages: the secretariat edits a theme and records
the adjustment Partnerskabsforum decided; a visitor finds version 2 and compares it with
version 1 word by word. axe-core (WCAG 2.0/2.1 A and AA) on the agreement pages, the
registers and the secretariat's page."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from agreements import services
from agreements.models import FrameworkAgreement, Initiative, SubAgreement, Theme
from core.models import AuditEntry
from forums.models import Organisation
from forums.tests.factories import OrganisationFactory
from meetings import services as meeting_services
from meetings.deadlines import TZ
from meetings.models import Meeting
from meetings.tests.factories import at
from minutes.models import Minutes, MinutesItem
from notifications.models import OutboxMessage
from tests.browser.conftest import PASSWORD, PDF, sign_in_by_form
from tests.browser.test_accessibility import open_page

pytestmark = pytest.mark.browser

OLD_PRIORITIES = "Indsats i udsatte områder."
NEW_PRIORITIES = "Indsats i alle udsatte boligområder."


def held_pf_day() -> date:
    """The latest Tuesday in May that has passed: Partnerskabsforum meets in April–June."""
    today = timezone.localdate()
    year = today.year if today >= date(today.year, 6, 1) else today.year - 1
    day = date(year, 5, 19)
    while day.weekday() != 1:
        day -= timedelta(days=1)
    return day


@pytest.fixture
def held_pf_meeting(forums):
    """A Partnerskabsforum meeting scheduled in time (not an archive entry) and since held."""
    day = held_pf_day()
    meeting = meeting_services.meeting_schedule(
        actor=None,
        forum=forums["partnerskabsforum"],
        starts_at=at(day, 14),
        ends_at=at(day, 16),
        now=datetime.combine(day - timedelta(days=180), time(10), tzinfo=TZ),
    )
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def agreement_in_force(secretariat_user, held_pf_meeting, forums, private_media):
    """In force since 1 January of the year before the held meeting, with one version:
    negotiated in Partnerskabsforum the May before (an archive entry), approved in the
    autumn."""
    year = held_pf_meeting.day.year
    negotiated = meeting_services.meeting_schedule(
        actor=None,
        forum=forums["partnerskabsforum"],
        starts_at=at(date(year - 2, 5, 20), 14),
        ends_at=at(date(year - 2, 5, 20), 16),
        is_archive=True,
    )
    agreement = services.agreement_save(
        actor=secretariat_user,
        agreement=FrameworkAgreement(),
        title="Hovedaftale for de almene boligområder",
        period_start=date(year - 1, 1, 1),
        period_end=date(year + 2, 12, 31),
        introduction="Aftalen mellem Borgerrepræsentationen og BL 1. kreds.",
    )
    services.theme_save(
        actor=secretariat_user,
        theme=Theme(agreement=agreement),
        position=1,
        title="Tryghed og trivsel",
        goals="Flere trygge boligområder.",
        priorities=OLD_PRIORITIES,
    )
    services.theme_save(
        actor=secretariat_user,
        theme=Theme(agreement=agreement),
        position=2,
        title="Fleksibel udlejning",
        goals="Flere boliger udlejes fleksibelt.",
        priorities="Fortrinsret for uddannelsessøgende.",
    )
    services.agreement_mark_negotiated(
        actor=secretariat_user, agreement=agreement, meeting=negotiated
    )
    approved = date(year - 2, 11, 3)
    services.agreement_record_br_approval(
        actor=secretariat_user,
        agreement=agreement,
        approved_on=approved,
        case_reference="2026-0123",
    )
    services.agreement_record_housing_approval(
        actor=secretariat_user, agreement=agreement, approved_on=approved + timedelta(days=7)
    )
    agreement.refresh_from_db()
    assert agreement.status == FrameworkAgreement.Status.IN_FORCE
    assert agreement.in_force_since == date(year - 1, 1, 1)
    assert agreement.versions.get().number == 1
    return agreement


def test_the_secretariat_records_an_adjustment_and_a_visitor_compares_the_versions(
    agreement_in_force, held_pf_meeting, secretariat_user, other_member_user, site_context
):
    agreement = agreement_in_force
    theme = agreement.themes.get(title="Tryghed og trivsel")
    failures = []

    def watched(page):
        page.on(
            "response",
            lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )
        return page

    # 1. The secretariat signs in through the form and edits the theme's priorities.
    clerk = watched(site_context().new_page())
    assert sign_in_by_form(clerk, secretariat_user.email, PASSWORD).ok
    clerk.goto(f"/sekretariat/temaer/{theme.pk}/rediger/")
    form = clerk.locator("main form[method=post]")
    expect(form.locator("textarea[name=priorities]")).to_have_value(OLD_PRIORITIES)
    form.locator("textarea[name=priorities]").fill(NEW_PRIORITIES)
    form.locator("button[type=submit]").click()
    expect(clerk).to_have_url(f"/sekretariat/hovedaftaler/{agreement.pk}/")
    expect(clerk.locator("main .alert-success")).to_be_visible()
    theme.refresh_from_db()
    assert theme.priorities == NEW_PRIORITIES
    # The working text is not published before the adjustment is recorded.
    assert agreement.versions.count() == 1

    # 2. It records the adjustment Partnerskabsforum decided at the held meeting.
    adjusted_on = held_pf_meeting.day
    form = clerk.locator(f'main form[action="/sekretariat/hovedaftaler/{agreement.pk}/justering/"]')
    form.locator("select[name=meeting]").select_option(str(held_pf_meeting.pk))
    form.locator("input[name=adopted_on]").fill(adjusted_on.isoformat())
    form.locator("textarea[name=decision]").fill("Prioriteringerne justeres som foreslået.")
    form.locator("textarea[name=change_note]").fill("Indsatsen udvides til alle udsatte områder.")
    form.locator("button[type=submit]").click()
    expect(clerk).to_have_url(f"/sekretariat/hovedaftaler/{agreement.pk}/")
    expect(clerk.locator("main .alert-success")).to_be_visible()
    expect(clerk.locator("main .alert-danger")).to_have_count(0)

    version = agreement.versions.get(number=2)
    assert version.meeting == held_pf_meeting and version.adopted_on == adjusted_on
    assert version.decision == "Prioriteringerne justeres som foreslået."
    assert version.change_note == "Indsatsen udvides til alle udsatte områder."
    assert version.snapshot["themes"][0]["priorities"] == NEW_PRIORITIES
    assert version.created_by == secretariat_user
    assert version.pdf.name  # rendered after the commit
    assert (
        OutboxMessage.objects.filter(
            kind="agreement_version", key__startswith=f"agreement-version:{version.pk}:"
        )
        .values_list("recipient", flat=True)
        .get()
        == other_member_user.email
    )
    entry = AuditEntry.objects.get(action="agreement.adjust")
    assert (entry.actor, entry.data) == (secretariat_user, {"version": 2})

    # 3. An anonymous visitor finds version 2 in the history and compares it with version 1.
    visitor = watched(site_context().new_page())
    visitor.goto("/hovedaftale/")
    main = visitor.locator("main")
    expect(main.locator("h1")).to_have_text(agreement.title)
    expect(main.locator(f'a[href="/hovedaftale/{agreement.pk}/version/2/"]')).to_be_visible()
    expect(main.locator(f'a[href="/hovedaftale/{agreement.pk}/version/1/"]')).to_be_visible()
    expect(main).to_contain_text(NEW_PRIORITIES)
    expect(main).to_contain_text("Indsatsen udvides til alle udsatte områder.")
    main.locator(f'a[href="/hovedaftale/{agreement.pk}/sammenlign/?fra=1&til=2"]').click()
    expect(visitor).to_have_url(f"/hovedaftale/{agreement.pk}/sammenlign/?fra=1&til=2")
    inserted = [t.strip() for t in visitor.locator("main ins").all_inner_texts()]
    deleted = [t.strip() for t in visitor.locator("main del").all_inner_texts()]
    assert "alle" in inserted and "boligområder." in inserted, inserted
    assert deleted == ["områder."], deleted
    expect(visitor.locator("main")).to_contain_text("Fortrinsret for uddannelsessøgende.")

    # The PDF of version 2 downloads for the visitor.
    response = visitor.request.get(f"/hovedaftale/{agreement.pk}/version/2.pdf")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
    assert not failures, failures


# --- Accessibility ----------------------------------------------------------------------------


@pytest.fixture
def agreement_pages(agreement_in_force, held_pf_meeting, secretariat_user, forums):
    """Version 2 of the agreement, a published sub-agreement with a document, and an
    initiative with a meeting and a decision: every agreement page has content."""
    agreement = agreement_in_force
    theme = agreement.themes.get(title="Tryghed og trivsel")
    services.theme_save(actor=secretariat_user, theme=theme, priorities=NEW_PRIORITIES)
    services.agreement_adjust(
        actor=secretariat_user,
        agreement=agreement,
        meeting=held_pf_meeting,
        adopted_on=held_pf_meeting.day,
        decision="Prioriteringerne justeres.",
        change_note="Indsatsen udvides til alle udsatte områder.",
    )
    tmf = Organisation.objects.get(short_name="TMF")
    sub = services.sub_agreement_save(
        actor=secretariat_user,
        sub_agreement=SubAgreement(),
        goals=[theme],
        title="Fleksibel udlejning i Tingbjerg",
        theme="Fleksibel udlejning",
        administration=tmf,
        housing_organisation=OrganisationFactory(name="fsb", short_name="fsb"),
        summary="Rammer for fleksibel udlejning.",
        period_start=agreement.period_start,
        period_end=agreement.period_end,
        status=SubAgreement.Status.SIGNED,
        is_published=True,
        files=[SimpleUploadedFile("delaftale.pdf", PDF, content_type="application/pdf")],
    )
    initiative = Initiative.objects.create(
        name="Områdefornyelse Tingbjerg",
        area="Tingbjerg",
        kind=Initiative.Kind.AREA_RENEWAL,
        description="Fysiske og sociale indsatser i kvarteret.",
        period_start=date(2025, 1, 1),
        period_end=date(2029, 12, 31),
        status=Initiative.Status.ACTIVE,
        responsible=tmf,
    )
    minutes = Minutes.objects.create(meeting=held_pf_meeting)
    decision = MinutesItem.objects.create(
        minutes=minutes,
        position=1,
        title=initiative.name,
        decision="Status tages til efterretning.",
    )
    moment = at(held_pf_meeting.day + timedelta(days=14), 12)
    Minutes.objects.filter(pk=minutes.pk).update(
        status=Minutes.Status.APPROVED, sent_at=moment, comments_close_at=moment, approved_at=moment
    )
    initiative.meetings.set([held_pf_meeting])
    initiative.decisions.set([decision])
    return {"agreement": agreement, "sub": sub, "initiative": initiative}


PUBLIC_PAGES = {
    "agreement": lambda d: "/hovedaftale/",
    "version": lambda d: f"/hovedaftale/{d['agreement'].pk}/version/2/",
    "comparison": lambda d: f"/hovedaftale/{d['agreement'].pk}/sammenlign/?fra=1&til=2",
    "sub-agreements": lambda d: "/delaftaler/",
    "sub-agreement": lambda d: f"/delaftaler/{d['sub'].pk}/",
    "initiatives": lambda d: "/indsatser/",
    "initiative": lambda d: f"/indsatser/{d['initiative'].pk}/",
}


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_agreement_page_is_accessible(name, agreement_pages, page, assert_accessible):
    open_page(page, PUBLIC_PAGES[name](agreement_pages))
    assert_accessible(page, name)


SECRETARIAT_PAGES = {
    "manage": lambda d: f"/sekretariat/hovedaftaler/{d['agreement'].pk}/",
    "sub-agreements (secretariat)": lambda d: "/delaftaler/",
    "sub-agreement (secretariat)": lambda d: f"/delaftaler/{d['sub'].pk}/",
    "sub-agreement form": lambda d: f"/sekretariat/delaftaler/{d['sub'].pk}/rediger/",
    "theme form": lambda d: f"/sekretariat/temaer/{d['agreement'].themes.first().pk}/rediger/",
    "agreements (secretariat)": lambda d: "/sekretariat/hovedaftaler/",
}


@pytest.mark.parametrize("name", SECRETARIAT_PAGES)
def test_secretariat_agreement_page_is_accessible(
    name, agreement_pages, secretariat_user, site_context, assert_accessible
):
    page = site_context(user=secretariat_user).new_page()
    open_page(page, SECRETARIAT_PAGES[name](agreement_pages))
    assert_accessible(page, name)


@pytest.mark.parametrize("stage", ["draft", "negotiated"])
def test_the_manage_page_is_accessible_at_each_stage(
    stage, held_pf_meeting, secretariat_user, site_context, assert_accessible
):
    """The life-cycle forms of the earlier stages (negotiation, the two approvals)."""
    agreement = services.agreement_save(
        actor=secretariat_user,
        agreement=FrameworkAgreement(),
        title="Hovedaftale (udkast)",
        period_start=date(2031, 1, 1),
        period_end=date(2034, 12, 31),
    )
    services.theme_save(
        actor=secretariat_user, theme=Theme(agreement=agreement), title="Tryghed og trivsel"
    )
    if stage == "negotiated":
        services.agreement_mark_negotiated(
            actor=secretariat_user, agreement=agreement, meeting=held_pf_meeting
        )
    page = site_context(user=secretariat_user).new_page()
    open_page(page, f"/sekretariat/hovedaftaler/{agreement.pk}/")
    expect(page.locator("main form[method=post]").first).to_be_visible()
    assert_accessible(page, f"manage page ({stage})")
