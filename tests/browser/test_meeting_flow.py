"""A Partnerskabsforum meeting from start to finish through the real pages: the secretariat
schedules it, a member proposes an item with a PDF, the secretariat puts it on the agenda,
adds a closed item, reorders and sends; the public sees the open items and the PDF only."""

import pytest
from playwright.sync_api import expect

from forums.models import Membership, Organisation
from meetings.models import AgendaItem, AgendaVersion, Meeting, Proposal
from meetings.selectors import forum_people
from notifications.models import OutboxMessage
from tests.browser.conftest import PASSWORD, PDF, partnerskabsforum_day, sign_in_by_form

pytestmark = pytest.mark.browser

SLUG = "partnerskabsforum"
PROPOSAL = "Fælles mål for de almene boligområder 2028"
CLOSED = "Personsag om udpegning af formand"


def test_meeting_from_scheduling_to_published_agenda(
    forums, secretariat_user, other_member_user, private_media, site_context
):
    forum = forums[SLUG]
    day = partnerskabsforum_day()
    tmf = Organisation.objects.get(short_name="TMF")
    # The member (from the root conftest) holds the BL 1. kreds seat of the forum today.
    seat = Membership.objects.current().get(person__user=other_member_user, forum=forum).seat
    assert seat.organisation.short_name == "BL 1. kreds"

    # Every request of every page (icons included) answers without an error.
    failures = []

    def watched(page):
        page.on(
            "response",
            lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )
        return page

    # 1. The secretariat signs in through the form and schedules the meeting.
    clerk = watched(site_context().new_page())
    assert sign_in_by_form(clerk, secretariat_user.email, PASSWORD).ok
    clerk.goto("/sekretariat/moeder/")
    clerk.locator('main a[href="/sekretariat/moeder/ny/"]').click()
    expect(clerk).to_have_url("/sekretariat/moeder/ny/")
    form = clerk.locator("main form[method=post]")
    form.locator("select[name=forum]").select_option(str(forum.pk))
    form.locator("input[name=title]").fill("Partnerskabsforum forår")
    form.locator("input[name=day]").fill(day.isoformat())
    form.locator("input[name=starts]").fill("14:00")
    form.locator("input[name=ends]").fill("16:00")
    form.locator("input[name=place]").fill("Rådhuset, Udvalgsværelse 1")
    expect(form.locator("input[name=is_archive]")).not_to_be_checked()
    form.locator("button[type=submit]").click()
    # The confirmation page says whom the invitation goes to; its button calls the meeting.
    expect(clerk.locator("main h1")).to_have_text("Indkald til mødet")
    assert not Meeting.objects.filter(forum=forum).exists()
    clerk.locator("main form[method=post]:has(input[name=confirm]) button[type=submit]").click()

    meeting = Meeting.objects.get(forum=forum)
    expect(clerk).to_have_url(f"/sekretariat/moeder/{meeting.pk}/")
    expect(clerk.locator("main .alert-success")).to_be_visible()
    assert meeting.day == day and meeting.status == Meeting.Status.PLANNED
    assert meeting.place == "Rådhuset, Udvalgsværelse 1"
    standard = list(meeting.items.order_by("position").values_list("title", flat=True))
    assert standard[-1] == "Eventuelt", standard

    # 2. A member of the forum proposes an item, with a PDF attached.
    member = watched(site_context(user=other_member_user).new_page())
    assert member.goto(f"/moeder/{meeting.pk}/medlem/").status == 200
    member.locator(f'main a[href="/moeder/{meeting.pk}/forslag/ny/"]').click()
    expect(member).to_have_url(f"/moeder/{meeting.pk}/forslag/ny/")
    form = member.locator("main form[method=post]")
    form.locator("input[name=title]").fill(PROPOSAL)
    form.locator("textarea[name=description]").fill("Oplæg til drøftelse af hovedaftalen.")
    form.locator("select[name=treatment]").select_option("discussion")
    form.locator("select[name=responsible]").select_option(str(tmf.pk))
    form.locator("input[name=files]").set_input_files(
        {"name": "notat.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    form.locator("button[type=submit]").click()

    expect(member).to_have_url(f"/moeder/{meeting.pk}/medlem/")
    expect(member.locator("main .alert-success")).to_be_visible()
    expect(member.locator("main .list-group-item", has_text=PROPOSAL)).to_have_count(1)
    proposal = Proposal.objects.get(meeting=meeting)
    assert proposal.proposer == other_member_user
    assert proposal.status == Proposal.Status.SUBMITTED
    assert proposal.responsible == tmf
    assert [a.name for a in proposal.attachments.all()] == ["notat.pdf"]

    # 3. The secretariat puts the proposal on the agenda...
    clerk.goto(f"/sekretariat/moeder/{meeting.pk}/")
    card = clerk.locator("main article", has_text=PROPOSAL)
    expect(card).to_have_count(1)
    card.locator('form[action*="/accepter/"] button[type=submit]').click()
    expect(clerk).to_have_url(f"/sekretariat/moeder/{meeting.pk}/")
    expect(clerk.locator("main .alert-success")).to_be_visible()
    expect(clerk.locator("main article", has_text=PROPOSAL)).to_have_count(0)
    accepted = AgendaItem.objects.get(from_proposal=proposal)

    # ... adds a closed item ...
    clerk.locator(f'main a[href="/sekretariat/moeder/{meeting.pk}/punkter/ny/"]').click()
    expect(clerk).to_have_url(f"/sekretariat/moeder/{meeting.pk}/punkter/ny/")
    form = clerk.locator("main form[method=post]")
    form.locator("input[name=title]").fill(CLOSED)
    form.locator("textarea[name=presentation]").fill("Fortroligt.")
    form.locator("select[name=treatment]").select_option("decision")
    form.locator("input[name=is_closed]").check()
    form.locator("button[type=submit]").click()
    closed = AgendaItem.objects.get(meeting=meeting, title=CLOSED)
    expect(clerk).to_have_url(f"/sekretariat/moeder/{meeting.pk}/#item-{closed.pk}")
    assert closed.is_closed

    # Both new items sit before "Eventuelt", in the order they came.
    titles = list(meeting.items.order_by("position").values_list("title", flat=True))
    assert titles[-3:] == [PROPOSAL, CLOSED, "Eventuelt"], titles

    # ... moves the closed item one place up ...
    row = clerk.locator(f"main li#item-{closed.pk}")
    row.locator('form[action*="/op/"] button[type=submit]').click()
    expect(clerk.locator("main .alert-success")).to_be_visible()
    titles = list(meeting.items.order_by("position").values_list("title", flat=True))
    assert titles[-3:] == [CLOSED, PROPOSAL, "Eventuelt"], titles
    accepted.refresh_from_db()
    closed.refresh_from_db()
    assert closed.position + 1 == accepted.position
    # The page shows the new order too.
    shown = clerk.locator("main ol.list-group > li strong").all_inner_texts()
    assert shown.index(f"{closed.position}. {CLOSED}") + 1 == shown.index(
        f"{accepted.position}. {PROPOSAL}"
    ), shown

    # ... and sends the agenda (the PDFs and e-mails are made before the answer comes).
    clerk.locator('main form[action$="/send/"] button[type=submit]').click()
    expect(clerk.locator("main .confirm-recipients")).to_be_visible()
    clerk.locator("main form[method=post]:has(input[name=confirm]) button[type=submit]").click()
    expect(clerk).to_have_url(f"/sekretariat/moeder/{meeting.pk}/")
    expect(clerk.locator("main .alert-success")).to_be_visible()

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.AGENDA_SENT
    version = AgendaVersion.objects.get(meeting=meeting)
    assert version.number == 1
    assert version.pdf_rendered_at and version.distributed_at
    assert version.pdf and version.public_pdf
    people = forum_people(forum)
    assert people, "the forum has members"
    sent = OutboxMessage.objects.filter(kind="agenda_sent")
    assert sorted(sent.values_list("recipient", flat=True)) == sorted(p.email for p in people)
    assert other_member_user.email in set(sent.values_list("recipient", flat=True))

    # 4. An anonymous visitor sees the open items of the agenda, never the closed one.
    visitor = watched(site_context().new_page())
    assert visitor.goto(f"/moeder/{meeting.pk}/").status == 200
    agenda = visitor.locator("main section[aria-labelledby=agenda-heading]")
    expect(agenda).to_contain_text(PROPOSAL)
    expect(visitor.locator("body")).not_to_contain_text(CLOSED)

    # The public PDF of the agenda.
    pdf_link = agenda.locator(f'a[href="/moeder/{meeting.pk}/dagsorden.pdf"]')
    expect(pdf_link).to_be_visible()
    response = visitor.request.get(pdf_link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")

    # The proposal's attachment came with it onto the public item.
    attachment = accepted.attachments.get()
    link = agenda.locator(f'a[href="/bilag/{attachment.pk}/"]')
    expect(link).to_have_text("notat.pdf")
    response = visitor.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.body() == PDF

    # The member sees both items on the members' page.
    member.goto(f"/moeder/{meeting.pk}/medlem/")
    member_agenda = member.locator("main section[aria-labelledby=agenda-heading]")
    expect(member_agenda).to_contain_text(PROPOSAL)
    expect(member_agenda).to_contain_text(CLOSED)
    assert failures == []
