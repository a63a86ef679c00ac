"""In Chromium, as the secretariat: sending Partnerskabsforum's agenda when 7 of its 9
members (the mayors) have no e-mail address says »sendt til 2 af 9 — 7 uden e-mail: …«,
before, at and after the send; and a time that exists twice is asked about in the form."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from forums.models import Membership, Seat
from forums.tests.factories import MembershipFactory, PersonFactory, seat
from meetings import services
from meetings.deadlines import TZ
from meetings.models import AgendaVersion, Meeting
from meetings.tests.factories import at
from notifications.models import OutboxMessage
from tests.browser.conftest import partnerskabsforum_day

pytestmark = pytest.mark.browser

MAYORS = [
    "Anne Vang",
    "Bo Asmus Kjeldgaard",
    "Frank Jensen",
    "Klaus Bondam",
    "Mikkel Warming",
    "Ninna Thomsen",
    "Pia Allerslev",
]
SUMMARY = "sendt til 2 af 9 — 7 uden e-mail: " + ", ".join(MAYORS)


@pytest.fixture
def mayors_without_email(forums):
    seats = Seat.objects.filter(forum__slug="borgmesterforum").order_by("position")
    for name, mayor_seat in zip(MAYORS, seats, strict=True):
        MembershipFactory(
            person=PersonFactory(name=name, email=""),
            forum=forums["borgmesterforum"],
            seat=mayor_seat,
        )
    for name, email in [("Bente Boligsen", "bente@bl.example"), ("Carl Kreds", "carl@bl.example")]:
        MembershipFactory(
            person=PersonFactory(name=name, email=email),
            forum=forums["partnerskabsforum"],
            seat=seat("partnerskabsforum"),
        )
    MembershipFactory(
        person=PersonFactory(name="Sekretær Sigrid", email="sigrid@kk.example"),
        forum=forums["partnerskabsforum"],
        seat=None,
        role=Membership.Role.SECRETARIAT,
    )


def test_the_secretariat_sees_sent_to_2_of_9_with_the_names_before_at_and_after_sending(
    forums, secretariat_user, mayors_without_email, private_media, site_context, assert_accessible
):
    day = partnerskabsforum_day()
    meeting = services.meeting_schedule(
        actor=secretariat_user,
        forum=forums["partnerskabsforum"],
        starts_at=at(day, 14),
        ends_at=at(day, 16),
        place="Rådhuset",
    )
    clerk = site_context(user=secretariat_user).new_page()
    assert clerk.goto(f"/sekretariat/moeder/{meeting.pk}/").ok

    warning = clerk.locator("main .reach-warning")
    expect(warning).to_contain_text("7 af de 9 medlemmer har ingen e-mailadresse")
    expect(warning).to_contain_text(", ".join(MAYORS))
    assert_accessible(clerk, "workspace before sending")

    clerk.locator('main form[action$="/send/"] button[type=submit]').click()
    confirm = clerk.locator("main .reach-warning")
    expect(confirm).to_contain_text("7 af de 9 medlemmer har ingen e-mailadresse")
    expect(clerk.locator("main .confirm-recipients li")).to_have_count(9)
    assert_accessible(clerk, "confirmation of sending the agenda")
    clerk.locator("main form[method=post]:has(input[name=confirm]) button[type=submit]").click()
    expect(clerk).to_have_url(f"/sekretariat/moeder/{meeting.pk}/")
    expect(clerk.locator("main .alert-warning").first).to_have_text(f"Dagsordenen er {SUMMARY}.")
    expect(clerk.locator("main .sent-status")).to_have_text(SUMMARY)
    assert_accessible(clerk, "workspace after sending")

    assert AgendaVersion.objects.get(meeting=meeting).distributed_at
    recipients = OutboxMessage.objects.filter(kind="agenda_sent").values_list(
        "recipient", flat=True
    )
    assert sorted(recipients) == ["bente@bl.example", "carl@bl.example"]

    # The forum's page flags the seven for the secretariat.
    clerk.goto("/fora/partnerskabsforum/")
    expect(clerk.locator("main .members-table .no-email")).to_have_count(7)
    assert_accessible(clerk, "forum page as the secretariat")


def _next_autumn_switch() -> date:
    """The next day (after today) on which Copenhagen's clocks go back, found with zoneinfo."""
    day = timezone.localdate() + timedelta(days=1)
    while True:
        before = datetime.combine(day, time(0), tzinfo=TZ).utcoffset()
        after = datetime.combine(day, time(12), tzinfo=TZ).utcoffset()
        if after < before:
            return day
        day += timedelta(days=1)


def test_a_time_that_exists_twice_is_asked_about_and_nothing_typed_is_lost(
    forums, secretariat_user, site_context, assert_accessible
):
    switch = _next_autumn_switch()
    with translation.override("da"):
        label = date_format(switch, "j. F Y")
    clerk = site_context(user=secretariat_user).new_page()
    clerk.goto("/sekretariat/moeder/ny/")
    form = clerk.locator("main form[method=post]")
    form.locator("select[name=forum]").select_option(str(forums["samarbejdsforum"].pk))
    form.locator("input[name=title]").fill("Natmøde")
    form.locator("input[name=day]").fill(switch.isoformat())
    form.locator("input[name=starts]").fill("02:30")
    form.locator("input[name=ends]").fill("16:00")
    form.locator("input[name=place]").fill("Njalsgade 13")
    form.locator("button[type=submit]").click()

    form = clerk.locator("main form[method=post]")
    expect(form.locator("input[name=title]")).to_have_value("Natmøde")
    expect(form.locator("input[name=place]")).to_have_value("Njalsgade 13")
    expect(form).to_contain_text(f"Kl. 02:30 findes to gange den {label}")
    assert_accessible(clerk, "schedule form asking which 02:30")
    assert not Meeting.objects.exists()

    form.get_by_label("vintertid (CET)").check()
    form.locator("button[type=submit]").click()
    clerk.locator(
        "main form[method=post]:has(input[name=confirm]) button[type=submit]"
    ).click()  # the confirmation page
    expect(clerk.locator("main .alert-info").first).to_be_visible()  # no members yet
    meeting = Meeting.objects.get()
    expect(clerk).to_have_url(f"/sekretariat/moeder/{meeting.pk}/")
    local = meeting.starts_at.astimezone(TZ)
    assert (local.date(), local.hour, local.minute, local.tzname()) == (
        switch,
        2,
        30,
        "CET",
    )
