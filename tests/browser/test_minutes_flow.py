"""The minutes of a Partnerskabsforum meeting from start to finish through the real pages:
the secretariat writes and sends them, a member comments, the secretariat disposes of the
comment and sends a revised draft, the comment window closes and the deadline sweep
approves them, and the public reads the approved minutes."""

import io
from datetime import date, datetime, time, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from forums.models import Organisation
from forums.tests.factories import MembershipFactory, PersonFactory, seat
from meetings import services as meeting_services
from meetings.deadlines import TZ, local_day
from meetings.models import AgendaItem, Meeting
from meetings.selectors import forum_people
from meetings.tests.factories import at
from minutes.models import Comment, Minutes, MinutesVersion
from notifications.models import OutboxMessage
from tests.browser.conftest import PASSWORD, sign_in_by_form

pytestmark = pytest.mark.browser

SLUG = "partnerskabsforum"
ITEM = "Fælles mål for de almene boligområder"
SUMMARY = "Forummet drøftede målene for de almene boligområder."
DECISION = "Forummet godkendte målene."
COMMENT = "Det bør fremgå, at målene gælder frem til 2028."
REVISED = "Forummet drøftede målene for de almene boligområder frem til 2028."
CHANGE_NOTE = "Punkt 1 præciseret efter kommentar."


def past_partnerskabsforum_day(today: date | None = None) -> date:
    """A Tuesday in May (Partnerskabsforum's quarter) that has already passed."""
    today = today or timezone.localdate()
    year = today.year if today >= date(today.year, 5, 20) else today.year - 1
    day = date(year, 5, 12)
    while day.weekday() != 1:
        day += timedelta(days=1)
    return day


def held_meeting(
    forum, secretariat_user, *, title: str = ITEM, closed: str = ""
) -> tuple[Meeting, AgendaItem]:
    """A Partnerskabsforum meeting that took place this or last May, scheduled 5 months
    ahead (the 4 months' notice), with one item on the agenda as it was sent (and, if
    `closed` is given, a closed item after it)."""
    day = past_partnerskabsforum_day()
    called = at(day, 9) - relativedelta(months=5)
    meeting = meeting_services.meeting_schedule(
        actor=secretariat_user,
        forum=forum,
        starts_at=at(day, 14),
        ends_at=at(day, 16),
        title="Partnerskabsforum forår",
        now=called,
    )
    # These pages are checked with an agenda of the test's own items only: the forum's
    # required standard items (which stay on every real agenda) are made optional here.
    forum.standard_items.update(required=False)
    for standard in meeting.items.all():
        meeting_services.agenda_item_delete(actor=secretariat_user, item=standard)
    item = meeting_services.agenda_item_save(
        actor=secretariat_user,
        item=AgendaItem(meeting=meeting),
        title=title,
        presentation="Oplæg til drøftelse.",
        recommendation="Det indstilles, at forummet godkender målene.",
        treatment="decision",
        responsible=Organisation.objects.get(short_name="TMF"),
        is_closed=False,
    )
    if closed:
        meeting_services.agenda_item_save(
            actor=secretariat_user,
            item=AgendaItem(meeting=meeting),
            title=closed,
            presentation="Fortroligt.",
            treatment="decision",
            responsible=Organisation.objects.get(short_name="TMF"),
            is_closed=True,
        )
    meeting_services.agenda_send(
        actor=secretariat_user, meeting=meeting, now=at(day, 9) - timedelta(days=14)
    )
    meeting_services.mark_held(now=timezone.now())
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD and meeting.starts_at < timezone.now()
    titles = list(meeting.items.order_by("position").values_list("title", flat=True))
    assert titles == ([title, closed] if closed else [title]), titles
    return meeting, item


def day_texts(moment: datetime) -> set[str]:
    """The day of `moment` as the pages write it ("j. F Y"), in Danish and in English."""
    texts = set()
    for language in ("da", "en"):
        with translation.override(language):
            texts.add(date_format(timezone.localtime(moment), "j. F Y"))
    return texts


def test_minutes_from_draft_to_public_approved_minutes(
    forums, secretariat_user, other_member_user, private_media, site_context
):
    forum = forums[SLUG]
    assert forum.approved_minutes_public
    # A second member (without an account) who is e-mailed too.
    MembershipFactory(
        forum=forum, seat=seat(SLUG), person=PersonFactory(email="anden.pf@example.org")
    )
    meeting, agenda_item = held_meeting(forum, secretariat_user)
    editor_url = f"/sekretariat/moeder/{meeting.pk}/referat/"
    member_url = f"/moeder/{meeting.pk}/referat/"

    # Every request of every page (icons included) answers without an error.
    failures = []

    def watched(page):
        page.on(
            "response",
            lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )
        return page

    # 1. The secretariat signs in, starts the minutes from the agenda, writes and sends.
    clerk = watched(site_context().new_page())
    assert sign_in_by_form(clerk, secretariat_user.email, PASSWORD).ok
    assert clerk.goto(editor_url).status == 200
    clerk.locator(f'main form[action="{editor_url}start/"] button[type=submit]').click()
    expect(clerk).to_have_url(editor_url)
    minutes = Minutes.objects.get(meeting=meeting)
    item = minutes.items.get()
    assert (item.title, item.agenda_item_id) == (ITEM, agenda_item.pk)
    assert minutes.status == Minutes.Status.DRAFT

    text_form = clerk.locator("main form:has(input[name=lock_version])")
    expect(text_form.locator(f"fieldset#item-{item.pk} legend")).to_contain_text(ITEM)
    text_form.locator(f"textarea[name=summary_{item.pk}]").fill(SUMMARY)
    text_form.locator(f"textarea[name=decision_{item.pk}]").fill(DECISION)
    text_form.locator("button[type=submit]:not([form])").click()
    expect(clerk).to_have_url(editor_url)
    expect(clerk.locator("main .alert-success")).to_be_visible()
    item.refresh_from_db()
    assert (item.summary, item.decision) == (SUMMARY, DECISION)
    expect(text_form.locator(f"textarea[name=summary_{item.pk}]")).to_have_value(SUMMARY)

    clerk.locator(f'main button[formaction="{editor_url}send/"]').click()
    expect(clerk.locator("main .confirm-recipients")).to_be_visible()
    clerk.locator("main form[method=post]:has(input[name=confirm]) button[type=submit]").click()
    expect(clerk).to_have_url(editor_url)
    expect(clerk.locator("main .alert-success")).to_be_visible()
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.SENT
    sent_day = local_day(minutes.sent_at)
    assert sent_day == timezone.localdate()
    assert minutes.comments_close_at == datetime.combine(
        sent_day + timedelta(days=14), time.max, tzinfo=TZ
    )
    first = minutes.versions.get()
    assert first.number == 1 and first.pdf.name
    people = forum_people(forum)
    assert len(people) == 2
    sent = OutboxMessage.objects.filter(kind="minutes_sent")
    assert sorted(sent.values_list("recipient", flat=True)) == sorted(p.email for p in people)
    # The revise form replaces the send form while the window is open.
    expect(clerk.locator(f'main button[formaction="{editor_url}send/"]')).to_have_count(0)
    expect(clerk.locator(f'main button[formaction="{editor_url}revider/"]')).to_have_count(1)

    # 2. The member signs in, reads the draft and comments on the item.
    member = watched(site_context().new_page())
    assert sign_in_by_form(member, other_member_user.email, PASSWORD).ok
    assert member.goto(member_url).status == 200
    main = member.locator("main")
    expect(main.locator("#referat-1")).to_contain_text(ITEM)
    expect(main.locator("#referat-1")).to_contain_text(SUMMARY)
    expect(main.locator("#referat-1")).to_contain_text(DECISION)
    form = main.locator(f'form[action="{member_url}kommentar/"]')
    form.locator("select[name=item]").select_option(str(item.pk))
    form.locator("textarea[name=body]").fill(COMMENT)
    form.locator("button[type=submit]").click()
    expect(member).to_have_url(member_url)
    expect(main.locator(".alert-success")).to_be_visible()
    comment = Comment.objects.get(minutes=minutes)
    assert (comment.body, comment.item_id, comment.author.user) == (
        COMMENT,
        item.pk,
        other_member_user,
    )
    expect(main.locator(f"article#comment-{comment.pk}")).to_contain_text(COMMENT)
    assert minutes.receipts.get(person__user=other_member_user).opened_at

    # 3. The secretariat disposes of the comment ...
    assert clerk.goto(f"{editor_url}kommentarer/").status == 200
    card = clerk.locator(f"main article#comment-{comment.pk}")
    expect(card).to_contain_text(COMMENT)
    dispose = card.locator(f'form[action="/sekretariat/kommentarer/{comment.pk}/disposition/"]')
    dispose.locator("select[name=disposition]").select_option("incorporated")
    dispose.locator("[name=disposition_note]").fill("Indarbejdet i punkt 1.")
    dispose.locator("button[type=submit]").click()
    expect(clerk).to_have_url(f"{editor_url}kommentarer/#comment-{comment.pk}")
    expect(clerk.locator("main .alert-success")).to_be_visible()
    comment.refresh_from_db()
    assert comment.disposition == "incorporated"
    assert comment.disposition_note == "Indarbejdet i punkt 1."
    assert comment.disposed_by == secretariat_user

    # ... edits the text during the window ...
    assert clerk.goto(editor_url).status == 200
    text_form.locator(f"textarea[name=summary_{item.pk}]").fill(REVISED)
    text_form.locator("button[type=submit]:not([form])").click()
    expect(clerk).to_have_url(editor_url)
    expect(clerk.locator("main .alert-success")).to_be_visible()
    item.refresh_from_db()
    assert item.summary == REVISED

    # ... and sends a revised draft with a change note.
    # (The change note and the button belong to the editor's form: the text goes along.)
    clerk.locator("main textarea[name=change_note][form=minutes-editor]").fill(CHANGE_NOTE)
    clerk.locator(f'main button[formaction="{editor_url}revider/"]').click()
    expect(clerk.locator("main textarea[name=change_note]")).to_have_value(CHANGE_NOTE)
    clerk.locator("main form[method=post]:has(input[name=confirm]) button[type=submit]").click()
    expect(clerk).to_have_url(editor_url)
    expect(clerk.locator("main .alert-success")).to_be_visible()
    second = minutes.versions.get(number=2)
    assert second.change_note == CHANGE_NOTE and not second.is_final and second.pdf.name
    assert second.items[0]["summary"] == REVISED
    assert OutboxMessage.objects.filter(kind="minutes_revised").count() == len(people)
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.SENT  # the window does not move
    assert local_day(minutes.comments_close_at) == sent_day + timedelta(days=14)

    # The member sees version 2, its change note, and how it differs from version 1.
    assert member.goto(member_url).status == 200
    expect(main).to_contain_text(CHANGE_NOTE)
    expect(main.locator("#referat-1")).to_contain_text(REVISED)
    expect(main.locator(f'a[href="/moeder/{meeting.pk}/referat/version/2.pdf"]')).to_have_count(1)
    compare_link = main.locator(f'a[href="/moeder/{meeting.pk}/referat/sammenlign/"]')
    expect(compare_link).to_have_count(1)
    # The secretariat's disposition is shown with the comment.
    expect(main.locator(f"article#comment-{comment.pk}")).to_contain_text("Indarbejdet i punkt 1.")

    assert member.goto(f"{member_url}sammenlign/?fra=1&til=2").status == 200
    expect(main.locator("select[name=fra]")).to_have_value("1")
    expect(main.locator("select[name=til]")).to_have_value("2")
    inserted = " ".join(main.locator("ins").all_inner_texts())
    deleted = " ".join(main.locator("del").all_inner_texts())
    assert "2028" in inserted, inserted
    assert "2028" not in deleted and SUMMARY not in inserted
    # The decision did not change: nothing in it is marked.
    expect(main.locator("section", has_text=ITEM)).to_contain_text(DECISION)
    assert DECISION not in inserted + deleted

    # The form on the comparison page works too.
    compare_form = main.locator("form[method=get]")
    compare_form.locator("select[name=fra]").select_option("2")
    compare_form.locator("button[type=submit]").click()
    expect(member).to_have_url(f"{member_url}sammenlign/?fra=2&til=2")
    expect(main.locator("ins, del")).to_have_count(0)

    # 4. Time passes: the sweep the day after the window closed approves the minutes.
    closed_day = sent_day + timedelta(days=15)
    call_command(
        "run_deadlines",
        "--now",
        datetime.combine(closed_day, time(6), TZ).isoformat(),
        stdout=io.StringIO(),
    )
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED

    # 5. An anonymous visitor reads the approved minutes and their approval date.
    visitor = watched(site_context().new_page())
    public_url = f"{member_url}offentligt/"
    assert visitor.goto(public_url).status == 200
    visible = visitor.locator("main")
    expect(visible.locator("h1")).to_be_visible()
    expect(visible.locator("#referat-1")).to_contain_text(REVISED)
    expect(visible.locator("#referat-1")).to_contain_text(DECISION)
    approval = visible.locator("p").first.inner_text()
    assert any(day in approval for day in day_texts(minutes.approved_at)), approval
    assert any(day in approval for day in day_texts(minutes.comments_close_at)), approval
    expect(visible).not_to_contain_text(COMMENT)

    pdf_link = visible.locator(f'a[href="/moeder/{meeting.pk}/referat.pdf"]')
    expect(pdf_link).to_have_count(1)
    response = visitor.request.get(pdf_link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")

    # The member's page shows the approval and no longer takes comments.
    assert member.goto(member_url).status == 200
    expect(main.locator(f'form[action="{member_url}kommentar/"]')).to_have_count(0)
    assert any(
        day in main.locator("p").first.inner_text() for day in day_texts(minutes.approved_at)
    )

    # The state in the database.
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED
    assert minutes.approved_at == minutes.comments_close_at
    assert minutes.approval_recorded_at == datetime.combine(closed_day, time(6), TZ)
    final = MinutesVersion.objects.get(minutes=minutes, is_final=True)
    assert final.number == 2
    assert final.snapshot["items"][0]["summary"] == REVISED
    assert final.snapshot["undisposed_comments"] == []
    assert final.pdf.name and final.public_pdf.name
    approved = OutboxMessage.objects.filter(kind="minutes_approved")
    assert sorted(approved.values_list("recipient", flat=True)) == sorted(p.email for p in people)

    # A second sweep changes nothing.
    call_command(
        "run_deadlines",
        "--now",
        datetime.combine(closed_day, time(7), TZ).isoformat(),
        stdout=io.StringIO(),
    )
    assert OutboxMessage.objects.filter(kind="minutes_approved").count() == len(people)
    assert MinutesVersion.objects.filter(minutes=minutes, is_final=True).count() == 1
    assert failures == []
