"""One-time submission keys (core.submission): a form posted twice — a double click, the
back button, a post repeated after a dropped connection — creates one comment, one
proposal, one agenda item; the repeat is sent to the first result with a message."""

import re
import uuid
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from core.models import AuditEntry, SubmissionKey
from core.submission import KEEP_DAYS, submission_keys_prune
from core.sweep import SWEEP_STEPS
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


def danish(msgid: str) -> str:
    with translation.override("da"):
        return gettext(msgid)


ALREADY = "This form was already sent; what it contained is saved once."


def key_in(html: str) -> str:
    return re.search(r'name="submission_key" value="([0-9a-f-]{36})"', html).group(1)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_comment_posted_twice_with_one_key_is_stored_once_and_the_repeat_is_told(
    sent_minutes, member_user
):
    member_page = f"/moeder/{sent_minutes.meeting_id}/referat/"
    with time_machine.travel(COMMENTING, tick=False):
        client = login(member_user)
        key = key_in(client.get(member_page).content.decode())
        post = {"body": "Punkt 1 bør præciseres.", "item": "", "submission_key": key}
        first = client.post(f"{member_page}kommentar/", post)
        again = client.post(f"{member_page}kommentar/", post, follow=True)
    assert first.status_code == 302 and first.url == member_page
    assert again.redirect_chain[-1][0] == member_page
    assert escape(danish(ALREADY)) in again.content.decode()
    assert Comment.objects.count() == 1
    assert AuditEntry.objects.filter(action="comment.add").count() == 1
    assert SubmissionKey.objects.get(key=key).result_url == member_page


def test_two_comments_with_their_own_keys_are_both_stored(sent_minutes, member_user):
    url = f"/moeder/{sent_minutes.meeting_id}/referat/kommentar/"
    with time_machine.travel(COMMENTING, tick=False):
        client = login(member_user)
        for body in ("Første.", "Anden."):
            client.post(url, {"body": body, "item": "", "submission_key": str(uuid.uuid4())})
    assert sorted(Comment.objects.values_list("body", flat=True)) == ["Anden.", "Første."]


def test_a_refused_post_releases_its_key_so_the_corrected_form_can_be_sent(
    sent_minutes, member_user
):
    url = f"/moeder/{sent_minutes.meeting_id}/referat/kommentar/"
    key = str(uuid.uuid4())
    with time_machine.travel(COMMENTING, tick=False):
        client = login(member_user)
        client.post(url, {"body": "   ", "item": "", "submission_key": key})  # refused
        assert not SubmissionKey.objects.exists()
        client.post(url, {"body": "Nu med tekst.", "item": "", "submission_key": key})
    assert list(Comment.objects.values_list("body", flat=True)) == ["Nu med tekst."]


def test_a_proposal_posted_twice_is_submitted_once_with_one_attachment(
    forums, member_user, private_media
):
    meeting = schedule(forums["samarbejdsforum"], days_ahead=28)
    client = login(member_user)
    url = f"/moeder/{meeting.pk}/forslag/ny/"
    key = key_in(client.get(url).content.decode())
    for _ in range(2):
        response = client.post(
            url,
            {
                "title": "Tryghed i Tingbjerg",
                "description": "Drøftelse.",
                "treatment": "discussion",
                "responsible": Organisation.objects.get(short_name="TMF").pk,
                "files": [SimpleUploadedFile("notat.pdf", PDF, content_type="application/pdf")],
                "submission_key": key,
            },
        )
        assert response.status_code == 302
        assert response.url == f"/moeder/{meeting.pk}/medlem/"
    assert Proposal.objects.count() == 1
    assert Attachment.objects.count() == 1
    assert AuditEntry.objects.filter(action="proposal.submit").count() == 1


def test_an_agenda_item_posted_twice_is_created_once(forums, secretariat_client, private_media):
    meeting = schedule(forums["samarbejdsforum"], days_ahead=28)
    before = AgendaItem.objects.filter(meeting=meeting).count()
    url = f"/sekretariat/moeder/{meeting.pk}/punkter/ny/"
    key = key_in(secretariat_client.get(url).content.decode())
    post = {
        "title": "Boligsociale helhedsplaner",
        "presentation": "Status.",
        "recommendation": "",
        "treatment": "discussion",
        "responsible": Organisation.objects.get(short_name="TMF").pk,
        "submission_key": key,
    }
    first = secretariat_client.post(url, post)
    again = secretariat_client.post(url, post)
    assert first.status_code == again.status_code == 302
    assert again.url == first.url
    assert AgendaItem.objects.filter(meeting=meeting).count() == before + 1


def test_keys_are_forgotten_by_the_sweep_after_the_keep_period(member_user):
    old = SubmissionKey.objects.create(user=member_user, key=uuid.uuid4())
    recent = SubmissionKey.objects.create(user=member_user, key=uuid.uuid4())
    now = datetime(2030, 1, 1, tzinfo=TZ)
    SubmissionKey.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=KEEP_DAYS + 1))
    SubmissionKey.objects.filter(pk=recent.pk).update(created_at=now - timedelta(days=1))
    assert submission_keys_prune(now=now) == {"deleted": 1}
    assert list(SubmissionKey.objects.values_list("pk", flat=True)) == [recent.pk]
    assert "core.submission.submission_keys_prune" in SWEEP_STEPS
