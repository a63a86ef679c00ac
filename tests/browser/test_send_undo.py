"""Nothing leaves by accident, and a mistake can be recalled (issue 13 §2), in Chromium:
the clerk presses "send", reads on the confirmation page whom the agenda goes to (and who
has no address), its subject and its PDF, confirms, and then takes it back with
»Fortryd udsendelse« within the grace period: no e-mail was written, the version is gone,
the meeting is planned again, the audit log says who undid it. Axe checks every page."""

import pytest
from playwright.sync_api import expect

from core.models import AuditEntry
from forums.models import Membership, Organisation
from forums.tests.factories import MembershipFactory, PersonFactory, forum, seat
from meetings import services
from meetings.models import AgendaItem, AgendaVersion, Meeting
from meetings.tests.factories import schedule
from notifications.models import OutboxMessage

pytestmark = pytest.mark.browser

CONFIRM = "main form[method=post]:has(input[name=confirm]) button[type=submit]"


def test_the_clerk_confirms_the_agenda_and_undoes_it_before_any_email_leaves(
    forums, secretariat_user, member_user, settings, private_media, site_context, assert_accessible
):
    settings.SEND_GRACE_MINUTES = 5
    MembershipFactory(
        person=PersonFactory(name="Uden Adresse", email=""),
        forum=forum("samarbejdsforum"),
        seat=seat("samarbejdsforum"),
        role=Membership.Role.MEMBER,
    )
    meeting = schedule(forums["samarbejdsforum"], days_ahead=40, actor=secretariat_user)
    services.agenda_item_save(
        actor=secretariat_user,
        item=AgendaItem(meeting=meeting),
        title="Fleksibel udlejning",
        treatment="discussion",
        responsible=Organisation.objects.get(short_name="TMF"),
    )
    workspace = f"/sekretariat/moeder/{meeting.pk}/"
    clerk = site_context(user=secretariat_user).new_page()
    assert clerk.goto(workspace).ok

    # 1. "Send" leads to the confirmation page: nothing is sent yet.
    clerk.locator('main form[action$="/send/"] button[type=submit]').click()
    expect(clerk.locator("main h1")).to_have_text("Udsend dagsordenen")
    expect(clerk.locator("main .confirm-subject")).to_contain_text("Samarbejdsforum")
    recipients = clerk.locator("main .confirm-recipients")
    expect(recipients).to_contain_text(member_user.full_name)
    expect(recipients.locator("li", has_text="Uden Adresse")).to_contain_text("ingen e-mailadresse")
    expect(clerk.locator("main .confirm-warning")).to_contain_text("lukker det for forslag")
    preview = clerk.locator("main a.confirm-preview").get_attribute("href")
    answer = clerk.request.get(preview)
    assert answer.ok and answer.body().startswith(b"%PDF")
    assert_accessible(clerk, "confirmation of sending the agenda")
    assert not AgendaVersion.objects.exists()

    # 2. The button says what it does; the e-mails wait for the grace period.
    button = clerk.locator(CONFIRM)
    expect(button).to_have_text("Udsend dagsordenen til medlemmerne")
    button.click()
    expect(clerk).to_have_url(workspace)
    # Uden Adresse is left out: a warning, with the one sentence of the grace period.
    expect(clerk.locator("main .alert-warning").first).to_contain_text("— kan fortrydes indtil da")
    grace = clerk.locator("main .send-grace")
    expect(grace).to_contain_text("Dagsordenen, version 1: Udsendes kl.")
    assert_accessible(clerk, "workspace during the grace period")
    version = AgendaVersion.objects.get(meeting=meeting)
    assert version.send_after and not version.distributed_at
    assert not OutboxMessage.objects.filter(kind="agenda_sent").exists()

    # 3. »Fortryd udsendelse« withdraws the version before any e-mail leaves.
    grace.get_by_role("button", name="Fortryd udsendelse").click()
    expect(clerk).to_have_url(workspace)
    expect(clerk.locator("main .alert-success")).to_contain_text("Udsendelsen er fortrudt")
    expect(clerk.locator("main .send-grace")).to_have_count(0)
    expect(clerk.locator('main form[action$="/send/"] button[type=submit]')).to_be_visible()
    assert_accessible(clerk, "workspace after undoing the send")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED and meeting.agenda_sent_at is None
    assert not AgendaVersion.objects.exists()
    assert not OutboxMessage.objects.filter(kind="agenda_sent").exists()
    assert AuditEntry.objects.filter(action="agenda.send_undo", actor=secretariat_user).exists()
