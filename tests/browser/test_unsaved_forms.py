"""The leave-page warning covers every form with free text, not only the minutes editor
(issue 13 §1): static/js/unsaved.js, loaded by base.html, watches every POST form with a
textarea. Shown here on the agenda item form, in a real browser."""

import pytest

from meetings.models import AgendaItem
from meetings.tests.factories import schedule

pytestmark = pytest.mark.browser


def leave(page, *, pump) -> list[str]:
    """Close `page` as a reader would (running beforeunload); the dialogs it raised.
    `pump` is another open page, whose wait lets the events arrive (a page that closes
    without a question cannot wait itself)."""
    dialogs: list[str] = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    page.close(run_before_unload=True)
    pump.wait_for_timeout(500)
    return dialogs


def test_leaving_the_agenda_item_form_with_typed_text_asks_first(
    forums, secretariat_user, private_media, site_context
):
    meeting = schedule(forums["samarbejdsforum"], days_ahead=40)
    url = f"/sekretariat/moeder/{meeting.pk}/punkter/ny/"
    context = site_context(user=secretariat_user)

    clerk, untouched = context.new_page(), context.new_page()
    assert untouched.goto(url).status == 200
    clerk.goto(url)
    assert leave(untouched, pump=clerk) == []  # nothing typed: leave without a question
    assert untouched.is_closed()

    presentation = clerk.locator("textarea[name=presentation]")
    presentation.click()
    presentation.press_sequentially("Sagsfremstilling, ikke gemt")
    assert leave(clerk, pump=clerk) == ["beforeunload"]
    assert not clerk.is_closed()  # the reader chose to stay
    assert not AgendaItem.objects.filter(presentation__contains="ikke gemt").exists()


def test_saving_the_agenda_item_form_is_not_leaving_it(
    forums, secretariat_user, private_media, site_context
):
    meeting = schedule(forums["samarbejdsforum"], days_ahead=40)
    clerk = site_context(user=secretariat_user).new_page()
    clerk.goto(f"/sekretariat/moeder/{meeting.pk}/punkter/ny/")
    dialogs: list[str] = []
    clerk.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    clerk.locator("input[name=title]").fill("Boligsocial indsats i Tingbjerg")
    clerk.locator("textarea[name=presentation]").fill("Sagsfremstilling.")
    clerk.locator("main form[method=post] button[type=submit]").first.click()
    clerk.wait_for_load_state()
    assert dialogs == []
    assert AgendaItem.objects.filter(
        meeting=meeting, title="Boligsocial indsats i Tingbjerg"
    ).exists()
