"""axe-core (WCAG 2.0 and 2.1, levels A and AA) on the minutes pages: the members' page
with comments and the comment form, the comparison of versions, the secretariat's editor
as a draft, during the comment window, after approval and in the conflict view, the
comment overview, the public approved minutes and the decisions register (with an
overdue action); and no sideways scrolling on a phone-sized screen."""

import io
import re
from datetime import datetime, time, timedelta
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from forums.models import Organisation
from meetings.deadlines import TZ, local_day
from minutes import services
from minutes.models import Comment, Minutes
from tests.browser.test_minutes_flow import SLUG, held_meeting

pytestmark = pytest.mark.browser

ITEM = "Fælles mål for de almene boligområder"
CLOSED = "Personsag om udpegning"
OVERDUE = "Udarbejde oplæg om udlejning"
UPCOMING = "Indkalde til temamøde om tryghed"
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def held(forums, secretariat_user, other_member_user, private_media):
    """A Partnerskabsforum meeting held in May, an open and a closed item, no minutes yet."""
    meeting, _item = held_meeting(forums[SLUG], secretariat_user, title=ITEM, closed=CLOSED)
    return meeting


def _items(minutes: Minutes):
    return list(minutes.items.order_by("position"))


@pytest.fixture
def draft_minutes(held, secretariat_user):
    """The minutes being written: an introduction, text for both items, and two follow-up
    actions (one due in the past, so overdue in the register once approved)."""
    minutes = services.minutes_start(actor=secretariat_user, meeting=held)
    open_item, closed_item = _items(minutes)
    services.minutes_save(
        actor=secretariat_user,
        minutes=minutes,
        lock_version=0,
        introduction="Mødet blev holdt på Rådhuset.\nFormanden bød velkommen.",
        items={
            open_item.pk: {
                "summary": "Forummet drøftede målene for de almene boligområder.",
                "decision": "Forummet godkendte målene.",
            },
            closed_item.pk: {"summary": "Drøftet.", "decision": "Formanden blev udpeget."},
        },
    )
    tmf = Organisation.objects.get(short_name="TMF")
    today = timezone.localdate()
    services.action_add(
        actor=secretariat_user,
        item=open_item,
        what=OVERDUE,
        responsible=tmf,
        due_on=today - timedelta(days=10),
    )
    services.action_add(
        actor=secretariat_user,
        item=open_item,
        what=UPCOMING,
        responsible=tmf,
        due_on=today + timedelta(days=30),
    )
    minutes.refresh_from_db()
    return minutes


@pytest.fixture
def sent_minutes(draft_minutes, secretariat_user, other_member_user):
    """Sent today; two comments from the member (one disposed of), then a revised draft."""
    minutes = draft_minutes
    services.minutes_send(actor=secretariat_user, minutes=minutes)
    minutes.refresh_from_db()
    open_item, _closed = _items(minutes)
    on_item = services.comment_add(
        actor=other_member_user,
        minutes=minutes,
        item=open_item,
        body="Det bør fremgå, at målene gælder frem til 2028.",
    )
    services.comment_add(
        actor=other_member_user,
        minutes=minutes,
        body="Deltagerlisten mangler en suppleant.\nSe venligst bilaget.",
    )
    services.comment_dispose(
        actor=secretariat_user,
        comment=on_item,
        disposition="not_incorporated",
        note="Målene er ikke tidsbegrænsede.",
    )
    minutes = services.minutes_save(
        actor=secretariat_user,
        minutes=minutes,
        lock_version=minutes.lock_version,
        introduction=minutes.introduction,
        items={
            open_item.pk: {
                "summary": "Forummet drøftede målene for de almene boligområder grundigt.",
                "decision": "Forummet godkendte målene med en enkelt rettelse.",
            }
        },
    )
    services.minutes_revise(
        actor=secretariat_user, minutes=minutes, change_note="Punkt 1 præciseret."
    )
    minutes.refresh_from_db()
    assert minutes.versions.count() == 2
    return minutes


@pytest.fixture
def approved_minutes(sent_minutes):
    """The day after the comment window closed, the deadline sweep approves the minutes."""
    after = datetime.combine(
        local_day(sent_minutes.comments_close_at) + timedelta(days=1), time(6), TZ
    )
    call_command("run_deadlines", "--now", after.isoformat(), stdout=io.StringIO())
    sent_minutes.refresh_from_db()
    assert sent_minutes.status == Minutes.Status.APPROVED
    return sent_minutes


def _comment_edit(minutes) -> str:
    comment = Comment.objects.filter(minutes=minutes, disposition="").first()
    return f"/referat/kommentarer/{comment.pk}/rediger/"


def _comment_locked(minutes) -> str:
    """The comment the secretariat has disposed of: shown without a form."""
    comment = Comment.objects.filter(minutes=minutes).exclude(disposition="").first()
    return f"/referat/kommentarer/{comment.pk}/rediger/"


# name: (fixture, who, path)
PAGES = {
    "member": ("sent_minutes", "member", lambda m: f"/moeder/{m.meeting_id}/referat/"),
    "member-approved": ("approved_minutes", "member", lambda m: f"/moeder/{m.meeting_id}/referat/"),
    "version": ("sent_minutes", "member", lambda m: f"/moeder/{m.meeting_id}/referat/version/1/"),
    "compare": (
        "sent_minutes",
        "member",
        lambda m: f"/moeder/{m.meeting_id}/referat/sammenlign/?fra=1&til=2",
    ),
    "comment-edit": ("sent_minutes", "member", _comment_edit),
    "comment-locked": ("sent_minutes", "member", _comment_locked),
    "editor-start": ("held", "secretariat", lambda m: f"/sekretariat/moeder/{m.pk}/referat/"),
    "editor-draft": (
        "draft_minutes",
        "secretariat",
        lambda m: f"/sekretariat/moeder/{m.meeting_id}/referat/",
    ),
    "editor-window": (
        "sent_minutes",
        "secretariat",
        lambda m: f"/sekretariat/moeder/{m.meeting_id}/referat/",
    ),
    "editor-approved": (
        "approved_minutes",
        "secretariat",
        lambda m: f"/sekretariat/moeder/{m.meeting_id}/referat/",
    ),
    "comments": (
        "sent_minutes",
        "secretariat",
        lambda m: f"/sekretariat/moeder/{m.meeting_id}/referat/kommentarer/",
    ),
    "comments-approved": (
        "approved_minutes",
        "secretariat",
        lambda m: f"/sekretariat/moeder/{m.meeting_id}/referat/kommentarer/",
    ),
    "secretariat-list": ("sent_minutes", "secretariat", lambda m: "/sekretariat/referater/"),
    "public": ("approved_minutes", None, lambda m: f"/moeder/{m.meeting_id}/referat/offentligt/"),
    "register-member": ("approved_minutes", "member", lambda m: "/beslutninger/"),
    "register-secretariat": ("approved_minutes", "secretariat", lambda m: "/beslutninger/"),
    "register-overdue": (
        "approved_minutes",
        "secretariat",
        lambda m: f"/beslutninger/?forum={SLUG}&overdue=on",
    ),
}


@pytest.mark.parametrize("name", PAGES)
def test_minutes_page_is_accessible(name, open_as, assert_accessible):
    page = open_as(name)
    assert_accessible(page, name)


@pytest.mark.parametrize("name", PAGES)
def test_minutes_page_fits_a_phone_screen(name, open_as):
    page = open_as(name, viewport=PHONE)
    sizes = page.evaluate(
        "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
    )
    assert sizes[0] <= sizes[1] + 1, f"{name} scrolls sideways at {PHONE['width']}px: {sizes}"


def test_pages_show_what_the_checks_are_about(open_as):
    """The states the checks above rely on are really on the pages."""
    page = open_as("member")
    main = page.locator("main")
    expect(main.locator("article[id^=comment-]")).to_have_count(2)
    expect(main.locator("form[action$='/referat/kommentar/'] textarea[name=body]")).to_be_visible()
    expect(main.locator("form[action$='/referat/kommentar/'] select[name=item]")).to_be_visible()
    # The member has commented, so »ingen bemærkninger« is no longer offered.
    expect(main.locator("form[action$='/referat/ingen-bemaerkninger/']")).to_have_count(0)
    expect(main).to_contain_text(CLOSED)  # members see closed items
    expect(main).to_contain_text("Punkt 1 præciseret.")

    page = open_as("compare")
    expect(page.locator("main ins").first).to_be_visible()
    expect(page.locator("main del").first).to_be_visible()

    page = open_as("editor-window")
    main = page.locator("main")
    expect(main.locator("form:has(input[name=lock_version]) textarea")).to_have_count(5)
    expect(main.locator("textarea[name=change_note][form=minutes-editor]")).to_be_visible()

    page = open_as("comments")
    expect(page.locator("main form[action$='/disposition/']")).to_have_count(2)

    page = open_as("public")
    main = page.locator("main")
    expect(main).to_contain_text(ITEM)
    expect(main).not_to_contain_text(CLOSED)

    page = open_as("register-secretariat")
    main = page.locator("main")
    expect(main.locator("tbody tr")).to_have_count(2)
    expect(main.locator("tbody tr", has_text=OVERDUE).locator("td.overdue")).to_have_count(1)
    expect(main.locator("tbody tr", has_text=UPCOMING).locator("td.overdue")).to_have_count(0)
    expect(main.locator("form[action$='/status/'] select[name=status]")).to_have_count(2)

    page = open_as("register-overdue")
    expect(page.locator("main tbody tr")).to_have_count(1)
    expect(page.locator("main tbody tr")).to_contain_text(OVERDUE)


HEADINGS = (
    "() => [...document.querySelectorAll('main h1, main h2, main h3, main h4')]"
    ".map(h => Number(h.tagName[1]))"
)


@pytest.mark.parametrize(
    "name", ["member", "member-approved", "version", "compare", "editor-window", "public"]
)
def test_headings_do_not_skip_a_level(name, open_as):
    """axe's "heading-order" is a best practice, not a WCAG rule: checked here."""
    levels = open_as(name).evaluate(HEADINGS)
    assert levels[0] == 1 and all(b - a <= 1 for a, b in pairwise(levels)), (name, levels)


def test_changed_words_are_announced_not_only_shown(open_as):
    """Screen readers hear where an insertion or a deletion starts, as sighted readers
    see the underline and the strike (site.css adds the words out of sight)."""
    page = open_as("compare")
    tree = page.locator("main").aria_snapshot()
    assert re.search(r'insertion: "\[(indsat|inserted): [^"]*grundigt', tree), tree
    assert re.search(r'deletion: "\[(slettet|deleted): ', tree), tree
    # Nothing of it shows: the text on the screen is the words themselves.
    assert page.locator("main ins").first.inner_text().startswith("boligområder")
    box = page.evaluate(
        "() => { const s = getComputedStyle(document.querySelector('main ins'), '::before');"
        " return [s.position, s.width, s.height]; }"
    )
    assert box == ["absolute", "1px", "1px"], box


def test_editor_conflict_view_is_accessible(
    open_as, sent_minutes, secretariat_user, assert_accessible
):
    """Someone else saves while the editor is open: saving shows what differs."""
    page = open_as("editor-window")
    form = page.locator("main form:has(input[name=lock_version])")
    loaded = form.locator("input[name=lock_version]").input_value()
    open_item, _closed = _items(sent_minutes)
    # A colleague saves first ...
    services.minutes_save(
        actor=secretariat_user,
        minutes=sent_minutes,
        lock_version=int(loaded),
        introduction="Kollegaens indledning.",
        items={open_item.pk: {"summary": "Kollegaens resumé.", "decision": open_item.decision}},
    )
    # ... and this editor saves on top of the version it loaded.
    form.locator(f"textarea[name=summary_{open_item.pk}]").fill("Mit eget resumé af punktet.")
    form.locator("button[type=submit]:not([form])").click()
    conflict = page.locator("main section[aria-labelledby=conflict-heading]")
    expect(conflict).to_be_visible()
    expect(conflict.locator("ins").first).to_be_visible()
    expect(conflict.locator("del").first).to_be_visible()
    # The text typed is kept, and the next save knowingly replaces the colleague's.
    expect(form.locator(f"textarea[name=summary_{open_item.pk}]")).to_have_value(
        "Mit eget resumé af punktet."
    )
    sent_minutes.refresh_from_db()
    expect(form.locator("input[name=lock_version]")).to_have_value(str(sent_minutes.lock_version))
    assert_accessible(page, "editor conflict view")
