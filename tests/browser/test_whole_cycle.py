"""Issue 13's "Done means": one Partnerskabsforum meeting through its whole cycle in
Chromium, as the people who run it would, with axe-core on every page it touches.

The clerk (desktop, second factor) schedules the meeting (a time the clocks skip is refused
at the field), calls it through the confirmation page, finds the standard items, adds an
item with an attachment and a closed item, and moves an item with »Flyt til nummer«. A
member on a 390×844 phone proposes an item with a file (a validation error keeps the text
and says the file must be chosen again) and posts it twice (one proposal). The clerk sends
the agenda, undoes it within the grace period and sends it again. A citizen reads the
public agenda and its PDF without the closed item. After the meeting the clerk records
attendance, writes the minutes and sends them next to unsaved text through the empty-items
second confirmation; the member comments on the phone; the clerk disposes of the comment;
the sweep approves the minutes; the citizen reads them with the recorded attendance.

The server's clock is fixed by time_machine (ticking), so nothing depends on the day the
test runs; the browser only sees it through cookies' Max-Age, which Chromium prefers to
their Expires date."""

import io
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from core.models import AuditEntry
from forums.models import Organisation, Seat
from forums.tests.factories import MembershipFactory, PersonFactory
from meetings import services as meeting_services
from meetings.deadlines import TZ, local_day
from meetings.models import AgendaItem, AgendaVersion, Meeting, Presence, Proposal
from meetings.tests.factories import at
from meetings.tests.test_public import pdf_text
from minutes.models import Comment, Minutes, MinutesVersion
from notifications.models import OutboxMessage
from tests.browser.conftest import PASSWORD, PDF, partnerskabsforum_day, sign_in_by_form
from tests.browser.test_accessibility import open_page

pytestmark = pytest.mark.browser

# Monday 30 November 2026, 10:00 in Copenhagen: the day the clerk plans the spring meeting.
START = datetime(2026, 11, 30, 10, 0, tzinfo=TZ)
# The next time Copenhagen's clocks skip an hour after START: 02:30 does not exist that day.
SPRING_SWITCH = date(2027, 3, 28)
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
CONFIRM = "main form[method=post]:has(input[name=confirm]) button[type=submit]"

MAYOR = "Anne Vang"  # a Borgmesterforum member (so in Partnerskabsforum) without e-mail
REQUIRED = [
    "Status på elementerne i hovedaftalen og beslutning om justering af hovedaftalens "
    "politiske prioriteringer",
    "De områdebaserede indsatser i relation til de almene boligområder",
]
ITEM = "Fælles mål for de almene boligområder"
CLOSED = "Personsag om udpegning af formand"
PROPOSAL = "Tryghed i opgangene"
PROPOSAL_TEXT = "Forslag om en fælles indsats for tryghed i opgangene."
SUMMARY = "Forummet drøftede målene for de almene boligområder."
DECISION = "Forummet godkendte målene."
COMMENT = "Det bør fremgå, at målene gælder frem til 2028."


@pytest.fixture
def clock():
    """The server's clock starts at START and ticks (it must, for the browser's timeouts);
    started before the other fixtures, so that memberships begin on the fixed day too."""
    with time_machine.travel(START, tick=True) as traveller:
        yield traveller


@pytest.fixture
def mayor_without_email(forums):
    seat = Seat.objects.filter(forum__slug="borgmesterforum").order_by("position").first()
    return MembershipFactory(
        person=PersonFactory(name=MAYOR, email=""), forum=forums["borgmesterforum"], seat=seat
    ).person


def run_sweep(now: datetime) -> None:
    call_command("run_deadlines", "--now", now.isoformat(), stdout=io.StringIO())


def test_a_meeting_cycle_from_scheduling_to_public_approved_minutes(
    clock,
    forums,
    secretariat_user,
    other_member_user,
    mayor_without_email,
    settings,
    private_media,
    site_context,
    assert_accessible,
):
    settings.SEND_GRACE_MINUTES = 5
    forum = forums["partnerskabsforum"]
    member = other_member_user.person
    tmf = Organisation.objects.get(short_name="TMF")
    day = partnerskabsforum_day(START.date())
    assert day == date(2027, 5, 18)

    # Every request of every page (icons, PDFs included) answers without an error.
    failures = []

    def watched(page):
        page.on(
            "response",
            lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )
        return page

    def visit(page, path: str, what: str):
        open_page(page, path)
        assert_accessible(page, what)

    def fits_the_phone(page) -> None:
        width, visible = page.evaluate(
            "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
        )
        assert width <= visible + 1, f"{page.url} scrolls sideways on a phone: {width}px"

    def audited(action: str, actor) -> bool:
        return AuditEntry.objects.filter(action=action, actor=actor).exists()

    # === 1. The clerk schedules the meeting through the form ================================
    clerk = watched(site_context(viewport=DESKTOP).new_page())
    assert sign_in_by_form(clerk, secretariat_user.email, PASSWORD).ok
    # The secretariat passed the second step (the authenticator app's code).
    assert not clerk.url.split("?")[0].endswith("/konto/totrin/")
    assert TOTPDevice.objects.filter(user=secretariat_user, confirmed=True).exists()
    visit(clerk, "/sekretariat/moeder/ny/", "the schedule form")
    form = clerk.locator("main form[method=post]")
    form.get_by_label("Forum").select_option(label="Partnerskabsforum")
    form.get_by_label("Titel").fill("Partnerskabsforum forår")
    form.get_by_label("Dato").fill(SPRING_SWITCH.isoformat())
    form.get_by_label("Starttidspunkt").fill("02:30")
    form.get_by_label("Sluttidspunkt").fill("04:00")
    form.get_by_label("Mødested").fill("Rådhuset, Udvalgsværelse 1")
    form.get_by_role("button", name="Gem").click()

    # 02:30 on 28 March 2027 does not exist in Copenhagen: refused at the field, nothing lost.
    expect(form).to_contain_text("Kl. 02:30 findes ikke den 28. marts 2027")
    expect(form.get_by_label("Titel")).to_have_value("Partnerskabsforum forår")
    expect(form.get_by_label("Mødested")).to_have_value("Rådhuset, Udvalgsværelse 1")
    assert_accessible(clerk, "the schedule form refusing 02:30 on 28 March 2027")
    assert not Meeting.objects.exists()

    form.get_by_label("Dato").fill(day.isoformat())
    form.get_by_label("Starttidspunkt").fill("14:00")
    form.get_by_label("Sluttidspunkt").fill("16:00")
    form.get_by_role("button", name="Gem").click()

    # The confirmation page: whom the invitation reaches, and who has no e-mail address.
    expect(clerk.get_by_role("heading", level=1)).to_have_text("Indkald til mødet")
    recipients = clerk.locator("main .confirm-recipients")
    expect(recipients.get_by_role("listitem")).to_have_count(2)
    expect(recipients).to_contain_text(member.name)
    expect(recipients.get_by_role("listitem").filter(has_text=MAYOR)).to_contain_text(
        "ingen e-mailadresse"
    )
    expect(clerk.locator("main .reach-warning")).to_contain_text(
        "1 af de 2 medlemmer har ingen e-mailadresse"
    )
    assert_accessible(clerk, "confirmation of calling the meeting")
    assert not Meeting.objects.exists()
    clerk.get_by_role("button", name="Indkald til mødet").click()

    meeting = Meeting.objects.get(forum=forum)
    workspace = f"/sekretariat/moeder/{meeting.pk}/"
    expect(clerk).to_have_url(workspace)
    # Someone is left out (the mayor has no address): a warning, never a green success;
    # the call's e-mails wait in their grace period.
    called_status = clerk.locator("main .alert-warning:not(.reach-warning)")
    expect(called_status).to_contain_text("1 af 2")
    expect(called_status).to_contain_text(MAYOR)
    expect(called_status).to_contain_text("kan fortrydes indtil da")
    assert meeting.day == day and meeting.status == Meeting.Status.PLANNED
    local_start = meeting.starts_at.astimezone(TZ)
    assert (local_start.hour, local_start.minute, local_start.tzname()) == (14, 0, "CEST")
    called = OutboxMessage.objects.filter(kind="meeting_called")
    assert list(called.values_list("recipient", flat=True)) == [other_member_user.email]
    assert AuditEntry.objects.get(action="meeting.schedule").actor == secretariat_user

    # The standard items, the two the terms of reference require among them.
    titles = list(meeting.items.order_by("position").values_list("title", flat=True))
    assert titles == [*REQUIRED, "Eventuelt"], titles
    agenda = clerk.locator("main ol.list-group")
    for title in titles:
        expect(agenda.get_by_role("listitem").filter(has_text=title)).to_have_count(1)
    assert_accessible(clerk, "the workspace of the new meeting")

    # The member's own answer beforehand (the record later must not print it).
    meeting_services.attendance_register(
        actor=other_member_user,
        meeting=meeting,
        person=member,
        status="attending",
        note="kommer 13:15",
    )

    # === 2. The clerk adds an item with an attachment, and a closed item ===================
    def add_item(title: str, *, closed: bool, attachment: str = "") -> AgendaItem:
        clerk.get_by_role("link", name="Nyt dagsordenspunkt").click()
        expect(clerk).to_have_url(f"/sekretariat/moeder/{meeting.pk}/punkter/ny/")
        assert_accessible(clerk, "the new agenda item form")
        form = clerk.locator("main form[method=post]")
        form.get_by_label("Titel").fill(title)
        form.get_by_label("Sagsfremstilling").fill("Oplæg til drøftelse.")
        form.get_by_label("Indstilling").fill("Det indstilles, at forummet godkender målene.")
        form.get_by_label("Behandling").select_option("decision")
        form.get_by_label("Ansvarlig forvaltning").select_option(str(tmf.pk))
        if closed:
            form.get_by_label("Lukket punkt").check()
        if attachment:
            form.get_by_label("Bilag").set_input_files(
                {"name": attachment, "mimeType": "application/pdf", "buffer": PDF}
            )
        form.get_by_role("button", name="Gem").click()
        item = AgendaItem.objects.get(meeting=meeting, title=title)
        expect(clerk).to_have_url(f"{workspace}#item-{item.pk}")
        expect(clerk.locator("main .alert-success")).to_be_visible()
        return item

    item = add_item(ITEM, closed=False, attachment="notat-om-maal.pdf")
    assert [a.name for a in item.attachments.all()] == ["notat-om-maal.pdf"]
    assert not item.is_closed
    closed = add_item(CLOSED, closed=True)
    assert closed.is_closed
    titles = list(meeting.items.order_by("position").values_list("title", flat=True))
    assert titles == [*REQUIRED, ITEM, CLOSED, "Eventuelt"], titles

    # »Flyt til nummer 1« moves the item to the top and returns to it.
    row = clerk.locator(f"main li#item-{item.pk}")
    row.get_by_label(f"Flyt til nummer ({ITEM})").fill("1")
    row.get_by_role("button", name=f"Flyt {ITEM}", exact=True).click()
    expect(clerk).to_have_url(f"{workspace}#item-{item.pk}")
    expect(clerk.locator("main .alert-success")).to_be_visible()
    titles = list(meeting.items.order_by("position").values_list("title", flat=True))
    assert titles == [ITEM, *REQUIRED, CLOSED, "Eventuelt"], titles
    assert audited("agenda_item.move", secretariat_user)
    expect(clerk.locator("main ol.list-group > li strong").first).to_have_text(f"1. {ITEM}")
    assert_accessible(clerk, "the workspace after moving an item")

    # === 3. A member on a phone proposes an item with a file ================================
    phone = watched(site_context(viewport=PHONE).new_page())
    assert sign_in_by_form(phone, other_member_user.email, PASSWORD).ok
    visit(phone, f"/moeder/{meeting.pk}/medlem/", "the members' page on a phone")
    fits_the_phone(phone)
    phone.get_by_role("link", name="Stil forslag til dagsordenen").click()
    expect(phone).to_have_url(f"/moeder/{meeting.pk}/forslag/ny/")
    assert_accessible(phone, "the proposal form on a phone")
    fits_the_phone(phone)
    form = phone.locator("main form[method=post]")
    form.get_by_label("Beskrivelse").fill(PROPOSAL_TEXT)
    form.get_by_label("Ønsket behandling").select_option("discussion")
    form.get_by_label("Ansvarlig forvaltning").select_option(str(tmf.pk))
    files = form.get_by_label("Bilag")
    file = {"name": "forslag.pdf", "mimeType": "application/pdf", "buffer": PDF}
    files.set_input_files(file)
    form.get_by_role("button", name="Indsend").click()  # without a title

    # Refused at the field; the text stays; the page says plainly to choose the file again.
    expect(form.get_by_label("Titel")).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_label("Beskrivelse")).to_have_value(PROPOSAL_TEXT)
    expect(form).to_contain_text("Vælg filen igen: filer gemmes ikke")
    assert_accessible(phone, "the proposal form with errors on a phone")
    assert not Proposal.objects.exists()

    # Posted twice: the first answer never reaches the phone (a dropped connection; the
    # server stored the proposal), so the member presses »Indsend« again.
    form.get_by_label("Titel").fill(PROPOSAL)
    files.set_input_files(file)
    lost = []

    def drop_the_answer(route):
        if route.request.method != "POST" or lost:
            route.continue_()
            return
        lost.append(route.fetch(max_redirects=0))  # the server handles it ...
        route.fulfill(status=204)  # ... and the page stays as it was

    phone.route(f"**/moeder/{meeting.pk}/forslag/ny/", drop_the_answer)
    with phone.expect_response(lambda r: r.request.method == "POST"):
        form.get_by_role("button", name="Indsend").click()
    assert lost and lost[0].status == 302
    assert Proposal.objects.count() == 1
    phone.unroute(f"**/moeder/{meeting.pk}/forslag/ny/")
    form.get_by_role("button", name="Indsend").click()
    expect(phone).to_have_url(f"/moeder/{meeting.pk}/medlem/")
    expect(phone.locator("main")).to_contain_text(
        "Formularen var allerede sendt; indholdet er gemt én gang."
    )
    proposal = Proposal.objects.get()
    assert (proposal.title, proposal.description, proposal.proposer) == (
        PROPOSAL,
        PROPOSAL_TEXT,
        other_member_user,
    )
    assert [a.name for a in proposal.attachments.all()] == ["forslag.pdf"]
    assert AuditEntry.objects.filter(action="proposal.submit").count() == 1
    assert_accessible(phone, "the members' page after proposing, on a phone")

    # === 4. The clerk puts it on the agenda, sends, undoes, sends again ====================
    visit(clerk, workspace, "the workspace with a proposal")
    clerk.get_by_role("button", name=f"Sæt på dagsordenen {PROPOSAL}").click()
    expect(clerk.locator("main .alert-success")).to_be_visible()
    assert_accessible(clerk, "the workspace after accepting the proposal")
    assert AgendaItem.objects.get(from_proposal=proposal).title == PROPOSAL
    told = OutboxMessage.objects.filter(kind="proposal_decided")
    assert list(told.values_list("recipient", flat=True)) == [other_member_user.email]

    def confirm_sending_the_agenda():
        clerk.locator("main").get_by_role(
            "button", name="Udsend dagsordenen til medlemmerne"
        ).click()
        expect(clerk.get_by_role("heading", level=1)).to_have_text("Udsend dagsordenen")
        recipients = clerk.locator("main .confirm-recipients")
        expect(recipients).to_contain_text(member.name)
        expect(recipients.get_by_role("listitem").filter(has_text=MAYOR)).to_contain_text(
            "ingen e-mailadresse"
        )
        expect(clerk.locator("main .confirm-subject")).to_contain_text("Partnerskabsforum")
        expect(clerk.locator("main .confirm-subject")).to_contain_text("18. maj 2027")
        expect(clerk.locator("main .confirm-warning")).to_contain_text("lukker det for forslag")
        preview = clerk.get_by_role("link", name="Se den PDF, der bliver sendt")
        answer = clerk.request.get(preview.get_attribute("href"))
        assert answer.ok and answer.body().startswith(b"%PDF")
        assert_accessible(clerk, "confirmation of sending the agenda")
        clerk.locator(CONFIRM).click()
        expect(clerk).to_have_url(workspace)

    confirm_sending_the_agenda()
    grace = clerk.locator("main .send-grace")
    expect(grace.get_by_role("button", name="Fortryd udsendelse")).to_be_visible()
    assert_accessible(clerk, "the workspace during the grace period")
    version = AgendaVersion.objects.get(meeting=meeting)
    assert version.send_after and not version.distributed_at
    assert not OutboxMessage.objects.filter(kind="agenda_sent").exists()

    grace.get_by_role("button", name="Fortryd udsendelse").click()
    expect(clerk.locator("main .alert-success")).to_be_visible()
    expect(clerk.locator("main .send-grace")).to_have_count(0)
    assert_accessible(clerk, "the workspace after undoing the send")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED and meeting.agenda_sent_at is None
    assert not AgendaVersion.objects.exists()
    assert AuditEntry.objects.filter(action="agenda.send_undo", actor=secretariat_user).exists()

    confirm_sending_the_agenda()
    version = AgendaVersion.objects.get(meeting=meeting)
    assert version.number == 1 and not version.distributed_at
    # The grace period ends; the sweep (the backstop of the queued task) sends it.
    clock.move_to(version.send_after + timedelta(minutes=1))
    run_sweep(version.send_after + timedelta(minutes=1))
    version.refresh_from_db()
    assert version.distributed_at and version.pdf and version.public_pdf
    sent = OutboxMessage.objects.filter(kind="agenda_sent")
    assert list(sent.values_list("recipient", flat=True)) == [other_member_user.email]
    visit(clerk, workspace, "the workspace after the agenda went out")
    expect(clerk.locator("main .sent-status")).to_have_text(
        f"sendt til 1 af 2 — 1 uden e-mail: {MAYOR}"
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.AGENDA_SENT
    assert meeting.agenda_sent_at == version.send_after

    # === 5. A citizen reads the public agenda and its PDF, without the closed item =========
    citizen = watched(site_context(viewport=DESKTOP).new_page())
    visit(citizen, f"/moeder/{meeting.pk}/", "the public agenda")
    public_agenda = citizen.locator("main section[aria-labelledby=agenda-heading]")
    for title in (ITEM, PROPOSAL, *REQUIRED):
        expect(public_agenda).to_contain_text(title)
    expect(citizen.locator("body")).not_to_contain_text(CLOSED)
    pdf_link = public_agenda.locator(f'a[href="/moeder/{meeting.pk}/dagsorden.pdf"]')
    answer = citizen.request.get(pdf_link.get_attribute("href"))
    assert answer.ok and answer.headers["content-type"] == "application/pdf"
    text = pdf_text(answer.body())
    assert ITEM in text and PROPOSAL in text
    assert CLOSED not in text

    # === 6. After the meeting: attendance, then the minutes =================================
    clock.move_to(at(day, 16, 30))
    run_sweep(at(day, 16, 30))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    # Half a year later the sessions have ended: the clerk signs in again.
    clerk = watched(site_context(viewport=DESKTOP).new_page())
    assert sign_in_by_form(clerk, secretariat_user.email, PASSWORD).ok
    visit(clerk, workspace, "the workspace after the meeting")
    clerk.get_by_role("link", name="Registrér fremmøde").click()
    assert_accessible(clerk, "the attendance form")
    clerk.get_by_label(f"Fremmøde for {MAYOR}").select_option(label="Til stede")
    clerk.get_by_label(f"Fremmøde for {member.name}").select_option(label="Afbud")
    clerk.get_by_role("button", name="Gem fremmødet").click()
    expect(clerk.locator("main .alert-success")).to_contain_text("Fremmødet er registreret.")
    recorded = {p.person.name: p.status for p in Presence.objects.filter(meeting=meeting)}
    assert recorded == {MAYOR: "present", member.name: "excused"}
    assert audited("presence.record", secretariat_user)
    assert_accessible(clerk, "the workspace after recording attendance")

    editor = f"/sekretariat/moeder/{meeting.pk}/referat/"
    visit(clerk, editor, "the minutes before they are started")
    clerk.get_by_role("button", name="Start referatet ud fra dagsordenen").click()
    expect(clerk).to_have_url(editor)
    minutes = Minutes.objects.get(meeting=meeting)
    items = list(minutes.items.order_by("position"))
    assert [i.title for i in items] == [ITEM, *REQUIRED, CLOSED, PROPOSAL, "Eventuelt"]
    assert_accessible(clerk, "the minutes editor")
    fieldset = clerk.locator(f"main fieldset#item-{items[0].pk}")
    fieldset.get_by_label("Resumé").fill(SUMMARY)
    fieldset.get_by_label("Beslutning").fill(DECISION)
    # Straight to »send« with the text unsaved: it goes along, and the empty items are named.
    clerk.get_by_role("button", name="Udsend referatet til medlemmerne").click()
    expect(clerk.get_by_role("heading", level=1)).to_have_text("Udsend referatet")
    expect(clerk.locator("main .confirm-warning")).to_contain_text("Punkt 2, 3, 4, 5 og 6 er tomme")
    expect(clerk.locator("main .confirm-recipients")).to_contain_text(MAYOR)
    assert_accessible(clerk, "confirmation of sending the minutes")
    first = minutes.items.get(pk=items[0].pk)
    assert (first.summary, first.decision) == (SUMMARY, DECISION)

    # Without the tick the minutes stay a draft.
    clerk.locator(CONFIRM).click()
    second = clerk.get_by_label("Udsend referatet, selv om disse punkter er tomme")
    expect(clerk.locator("main")).to_contain_text(
        "Sæt flueben for at udsende referatet med tomme punkter."
    )
    assert_accessible(clerk, "confirmation of sending the minutes, not ticked")
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.DRAFT
    assert not OutboxMessage.objects.filter(kind="minutes_sent").exists()

    second.check()
    clerk.locator(CONFIRM).click()
    expect(clerk).to_have_url(editor)
    expect(clerk.locator("main .alert-warning:not(.reach-warning)")).to_contain_text("1 af 2")
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.SENT
    sent_day = local_day(minutes.sent_at)
    assert sent_day == day
    version_1 = MinutesVersion.objects.get(minutes=minutes, number=1)
    assert version_1.snapshot["items"][0]["summary"] == SUMMARY
    sent = OutboxMessage.objects.filter(kind="minutes_sent")
    assert list(sent.values_list("recipient", flat=True)) == [other_member_user.email]
    assert audited("minutes.send", secretariat_user)
    assert_accessible(clerk, "the minutes editor after sending")
    # The members see the draft once its grace period has ended.
    clock.move_to(version_1.send_after + timedelta(minutes=1))
    run_sweep(version_1.send_after + timedelta(minutes=1))

    # === 7. The member comments on the draft minutes on the phone ===========================
    phone = watched(site_context(viewport=PHONE).new_page())
    assert sign_in_by_form(phone, other_member_user.email, PASSWORD).ok
    visit(phone, f"/moeder/{meeting.pk}/referat/", "the draft minutes on a phone")
    fits_the_phone(phone)
    expect(phone.locator("main #referat-1")).to_contain_text(SUMMARY)
    form = phone.locator(f'main form[action="/moeder/{meeting.pk}/referat/kommentar/"]')
    form.get_by_label("Vedrører").select_option(str(items[0].pk))
    form.get_by_label("Bemærkning").fill(COMMENT)
    form.get_by_role("button", name="Gem bemærkning").click()
    expect(phone.locator("main .alert-success")).to_be_visible()
    comment = Comment.objects.get(minutes=minutes)
    assert (comment.body, comment.item_id, comment.author.user) == (
        COMMENT,
        items[0].pk,
        other_member_user,
    )
    expect(phone.locator(f"main article#comment-{comment.pk}")).to_contain_text(COMMENT)
    assert_accessible(phone, "the draft minutes with the comment, on a phone")
    assert audited("comment.add", other_member_user)

    # === 8. The clerk disposes of the comment; the sweep approves the minutes ==============
    visit(clerk, f"{editor}kommentarer/", "the comments and dispositions")
    card = clerk.locator(f"main article#comment-{comment.pk}")
    card.get_by_label("Behandling").select_option("incorporated")
    card.get_by_label("Begrundelse eller svar").fill("Indarbejdet i punkt 1.")
    card.get_by_role("button", name="Gem").click()
    expect(clerk.locator("main .alert-success")).to_be_visible()
    comment.refresh_from_db()
    assert (comment.disposition, comment.disposed_by) == ("incorporated", secretariat_user)
    assert audited("comment.dispose", secretariat_user)
    assert_accessible(clerk, "the comments after the disposition")

    run_sweep(datetime.combine(sent_day + timedelta(days=15), time(6), TZ))
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED
    assert minutes.approved_at == minutes.comments_close_at
    final = MinutesVersion.objects.get(minutes=minutes, is_final=True)
    assert final.snapshot["undisposed_comments"] == []
    approved = OutboxMessage.objects.filter(kind="minutes_approved")
    assert list(approved.values_list("recipient", flat=True)) == [other_member_user.email]
    assert AuditEntry.objects.filter(action="minutes.approve").count() == 1

    # === 9. The citizen reads the approved minutes: the recorded attendance, no RSVP =======
    visit(citizen, f"/moeder/{meeting.pk}/referat/offentligt/", "the public approved minutes")
    public = citizen.locator("main")
    expect(public).to_contain_text(SUMMARY)
    expect(public).to_contain_text(DECISION)
    expect(public.get_by_role("listitem").filter(has_text=MAYOR)).to_contain_text("Til stede")
    expect(public.get_by_role("listitem").filter(has_text=member.name)).to_contain_text("Afbud")
    expect(public).not_to_contain_text("kommer 13:15")
    expect(citizen.locator("body")).not_to_contain_text(CLOSED)
    expect(public).not_to_contain_text(COMMENT)
    pdf_link = public.locator(f'a[href="/moeder/{meeting.pk}/referat.pdf"]')
    answer = citizen.request.get(pdf_link.get_attribute("href"))
    assert answer.ok and answer.headers["content-type"] == "application/pdf"
    text = pdf_text(answer.body())
    assert SUMMARY in text and MAYOR in text
    assert CLOSED not in text and "kommer 13:15" not in text
    assert failures == []
