"""The back button defeats a one-time key (the page shown again gets a fresh one), so a
repeated post of the same content by the same person on the same target within
core.submission.REPEAT_MINUTES lands on the row already there, with a calm message."""

import re
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from core.models import AuditEntry
from core.submission import REPEAT_MINUTES
from forums.models import Organisation
from meetings.deadlines import TZ
from meetings.models import AgendaItem, Attachment, Proposal
from meetings.tests.factories import schedule
from minutes.models import Comment

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MEETING_DAY = date(2027, 3, 10)
SENT = datetime(2027, 3, 15, 10, 0, tzinfo=TZ)
COMMENTING = datetime(2027, 3, 16, 9, 0, tzinfo=TZ)
PROPOSING = datetime(2027, 1, 6, 9, 0, tzinfo=TZ)


def danish(msgid: str) -> str:
    with translation.override("da"):
        return gettext(msgid)


def fresh_key(client: Client, url: str) -> str:
    """What the back button gives: the form page rendered again, with a new key."""
    html = client.get(url).content.decode()
    return re.search(r'name="submission_key" value="([0-9a-f-]{36})"', html).group(1)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_comment(client, minutes, body: str, item: str = ""):
    page = f"/moeder/{minutes.meeting_id}/referat/"
    post = {"body": body, "item": item, "submission_key": fresh_key(client, page)}
    return client.post(f"{page}kommentar/", post, follow=True)


def test_the_same_comment_posted_again_after_the_back_button_lands_on_the_first(
    sent_minutes, member_user
):
    with time_machine.travel(COMMENTING, tick=False):
        client = login(member_user)
        post_comment(client, sent_minutes, "Punkt 1 bør præciseres.")
        again = post_comment(client, sent_minutes, "Punkt 1 bør præciseres.")
    assert Comment.objects.count() == 1
    assert AuditEntry.objects.filter(action="comment.add").count() == 1
    page = again.content.decode()
    assert escape(danish("Your comment was already saved.")) in page
    assert danish("Your comment was already saved.") == "Din bemærkning var allerede gemt."
    assert escape(danish("Your comment is saved.")) not in page


def test_the_same_comment_after_the_repeat_window_is_a_new_comment(sent_minutes, member_user):
    with time_machine.travel(COMMENTING, tick=False):
        client = login(member_user)
        post_comment(client, sent_minutes, "Punkt 1 bør præciseres.")
    later = COMMENTING + timedelta(minutes=REPEAT_MINUTES, seconds=1)
    with time_machine.travel(later, tick=False):
        post_comment(client, sent_minutes, "Punkt 1 bør præciseres.")
    assert Comment.objects.count() == 2


def test_the_same_text_on_another_item_is_a_new_comment(sent_minutes, member_user):
    item = sent_minutes.items.first()
    with time_machine.travel(COMMENTING, tick=False):
        client = login(member_user)
        post_comment(client, sent_minutes, "Enig.")
        post_comment(client, sent_minutes, "Enig.", item=str(item.pk))
    assert sorted(str(c.item_id) for c in Comment.objects.all()) == sorted(["None", str(item.pk)])


def proposal_post(client, url, *, title="Tryghed i Tingbjerg", files=("notat.pdf",)):
    return client.post(
        url,
        {
            "title": title,
            "description": "Drøftelse.",
            "treatment": "discussion",
            "responsible": Organisation.objects.get(short_name="TMF").pk,
            "files": [
                SimpleUploadedFile(name, PDF, content_type="application/pdf") for name in files
            ],
            "submission_key": fresh_key(client, url),
        },
        follow=True,
    )


def test_the_same_proposal_posted_again_after_the_back_button_lands_on_the_first(
    forums, member_user, private_media
):
    with time_machine.travel(PROPOSING, tick=False):
        meeting = schedule(forums["samarbejdsforum"], day=MEETING_DAY)
        client = login(member_user)
        url = f"/moeder/{meeting.pk}/forslag/ny/"
        proposal_post(client, url)
        again = proposal_post(client, url)
    assert Proposal.objects.count() == 1
    assert Attachment.objects.count() == 1
    assert AuditEntry.objects.filter(action="proposal.submit").count() == 1
    assert escape(danish("Your proposal was already submitted.")) in again.content.decode()


def test_a_proposal_with_another_file_or_title_is_a_new_proposal(
    forums, member_user, private_media
):
    with time_machine.travel(PROPOSING, tick=False):
        meeting = schedule(forums["samarbejdsforum"], day=MEETING_DAY)
        client = login(member_user)
        url = f"/moeder/{meeting.pk}/forslag/ny/"
        proposal_post(client, url)
        proposal_post(client, url, files=("andet-notat.pdf",))
        proposal_post(client, url, title="Tryghed i Husum")
    assert Proposal.objects.count() == 3


def item_post(client, url, title="Boligsociale helhedsplaner"):
    return client.post(
        url,
        {
            "title": title,
            "presentation": "Status.",
            "recommendation": "",
            "treatment": "discussion",
            "responsible": Organisation.objects.get(short_name="TMF").pk,
            "submission_key": fresh_key(client, url),
        },
        follow=True,
    )


def test_the_same_agenda_item_posted_again_after_the_back_button_lands_on_the_first(
    forums, secretariat_user, private_media
):
    with time_machine.travel(PROPOSING, tick=False):
        meeting = schedule(forums["samarbejdsforum"], day=MEETING_DAY)
        before = AgendaItem.objects.filter(meeting=meeting).count()
        client = login(secretariat_user)
        url = f"/sekretariat/moeder/{meeting.pk}/punkter/ny/"
        item_post(client, url)
        again = item_post(client, url)
    assert AgendaItem.objects.filter(meeting=meeting).count() == before + 1
    assert AuditEntry.objects.filter(action="agenda_item.save").count() == 1
    assert escape(danish("The item was already saved.")) in again.content.decode()


def test_an_agenda_item_made_again_after_the_repeat_window_is_a_new_item(
    forums, secretariat_user, private_media
):
    with time_machine.travel(PROPOSING, tick=False):
        client = login(secretariat_user)
        meeting = schedule(forums["samarbejdsforum"], day=MEETING_DAY)
        before = AgendaItem.objects.filter(meeting=meeting).count()
        url = f"/sekretariat/moeder/{meeting.pk}/punkter/ny/"
        item_post(client, url)
    with time_machine.travel(PROPOSING + timedelta(minutes=REPEAT_MINUTES + 1), tick=False):
        item_post(client, url)
    assert AgendaItem.objects.filter(meeting=meeting).count() == before + 2
