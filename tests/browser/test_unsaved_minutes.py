"""Nothing typed in the minutes editor is lost (issue 13 §1), in a real browser: the send
button next to unsaved text sends that text (it used to send empty minutes), adding a
follow-up action keeps the unsaved text (it used to wipe it), and leaving the page with
unsaved text asks first."""

import pytest
from playwright.sync_api import expect

from forums.models import Organisation
from minutes.models import FollowUpAction, Minutes, MinutesVersion
from tests.browser.test_minutes_flow import held_meeting

pytestmark = pytest.mark.browser

SLUG = "partnerskabsforum"
SUMMARY = "Forummet drøftede målene, skrevet og aldrig gemt."
DECISION = "Forummet godkendte målene."


def started_minutes(forums, secretariat_user):
    from minutes import services

    meeting, _item = held_meeting(forums[SLUG], secretariat_user)
    minutes = services.minutes_start(actor=secretariat_user, meeting=meeting)
    return meeting, minutes, minutes.items.get()


def test_sending_next_to_unsaved_text_sends_that_text_not_empty_minutes(
    forums, secretariat_user, private_media, site_context
):
    meeting, minutes, item = started_minutes(forums, secretariat_user)
    editor_url = f"/sekretariat/moeder/{meeting.pk}/referat/"
    clerk = site_context(user=secretariat_user).new_page()
    assert clerk.goto(editor_url).status == 200
    clerk.locator(f"textarea[name=summary_{item.pk}]").fill(SUMMARY)
    clerk.locator(f"textarea[name=decision_{item.pk}]").fill(DECISION)
    # Straight to the send button, without "Gem referatet".
    clerk.locator(f'button[formaction="{editor_url}send/"]').click()
    # The text went along and is saved; the confirmation page's own button sends.
    expect(clerk.locator("main .confirm-recipients")).to_be_visible()
    clerk.locator("main form[method=post]:has(input[name=confirm]) button[type=submit]").click()
    expect(clerk).to_have_url(editor_url)
    # The forum has no members here: the send says so (an info, not a success).
    expect(clerk.locator("main .messages .alert").last).to_contain_text("Referatet er sendt til")
    minutes.refresh_from_db()
    item.refresh_from_db()
    assert minutes.status == Minutes.Status.SENT
    assert (item.summary, item.decision) == (SUMMARY, DECISION)
    snapshot = str(MinutesVersion.objects.get(minutes=minutes, number=1).snapshot)
    assert SUMMARY in snapshot and DECISION in snapshot


def test_adding_a_follow_up_action_keeps_the_unsaved_minutes_text(
    forums, secretariat_user, private_media, site_context
):
    meeting, minutes, item = started_minutes(forums, secretariat_user)
    editor_url = f"/sekretariat/moeder/{meeting.pk}/referat/"
    clerk = site_context(user=secretariat_user).new_page()
    assert clerk.goto(editor_url).status == 200
    clerk.locator(f"textarea[name=summary_{item.pk}]").fill(SUMMARY)
    tmf = Organisation.objects.get(short_name="TMF")
    details = clerk.locator(f"details#add-action-{item.pk}")
    details.locator("summary").click()
    details.locator(f"textarea[name=action{item.pk}-what]").fill("Udarbejd notat om målene")
    details.locator(f"select[name=action{item.pk}-responsible]").select_option(str(tmf.pk))
    details.locator("button[formaction]").click()
    expect(clerk.locator(f"textarea[name=summary_{item.pk}]")).to_have_value(SUMMARY)
    item.refresh_from_db()
    assert item.summary == SUMMARY
    assert FollowUpAction.objects.get(item=item).what == "Udarbejd notat om målene"
    assert Minutes.objects.get(pk=minutes.pk).status == Minutes.Status.DRAFT


def test_leaving_the_editor_with_unsaved_text_asks_first(
    forums, secretariat_user, private_media, site_context
):
    meeting, _minutes, item = started_minutes(forums, secretariat_user)
    clerk = site_context(user=secretariat_user).new_page()
    clerk.goto(f"/sekretariat/moeder/{meeting.pk}/referat/")
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    clerk.on("dialog", answer)
    textarea = clerk.locator(f"textarea[name=summary_{item.pk}]")
    textarea.click()
    textarea.press_sequentially("Ikke gemt")
    clerk.close(run_before_unload=True)
    clerk.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]


def test_the_editor_autosaves_typed_text_after_30_seconds_without_a_version(
    forums, secretariat_user, private_media, site_context
):
    meeting, minutes, item = started_minutes(forums, secretariat_user)
    clerk = site_context(user=secretariat_user).new_page()
    clerk.clock.install()  # the page's timers run when the test says so
    clerk.goto(f"/sekretariat/moeder/{meeting.pk}/referat/")
    clerk.locator(f"textarea[name=summary_{item.pk}]").fill(SUMMARY)
    clerk.clock.run_for(29_000)
    clerk.wait_for_timeout(300)
    item.refresh_from_db()
    assert item.summary == ""  # not yet
    clerk.clock.run_for(2_000)
    expect(clerk.locator("#autosave-status")).to_contain_text("Gemt automatisk")
    item.refresh_from_db()
    minutes.refresh_from_db()
    assert item.summary == SUMMARY
    assert minutes.lock_version == 1 and not MinutesVersion.objects.exists()
    # The page took over the new lock version: saving by hand meets no conflict.
    expect(clerk.locator("input[name=lock_version]")).to_have_value("1")
    clerk.locator(f"textarea[name=decision_{item.pk}]").fill(DECISION)
    clerk.locator("#minutes-editor button[type=submit]:not([form])").click()
    expect(clerk.locator("main .alert-success")).to_be_visible()
    item.refresh_from_db()
    assert (item.summary, item.decision) == (SUMMARY, DECISION)
