"""A member proposes, the secretariat accepts, builds and sends the agenda; the members
get it once with its PDF, and a public forum's agenda is published without closed items."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings import services
from meetings.models import AgendaItem, Meeting, Proposal
from meetings.tests.factories import schedule
from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_scheduling_a_meeting_starts_the_agenda_with_the_standard_items_and_calls_the_members(
    forums, member_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = schedule(forums["samarbejdsforum"])
    assert list(meeting.items.values_list("title", flat=True)) == ["Eventuelt"]
    calls = OutboxMessage.objects.filter(kind="meeting_called")
    assert calls.count() == 1 and calls.get().recipient == member_user.email
    ics = calls.get().attachments.get()
    assert b"METHOD:REQUEST" in bytes(ics.content) and meeting.uid.encode() in bytes(ics.content)


def test_a_member_proposes_and_the_secretariat_puts_it_on_the_agenda_and_sends_it(
    forums,
    member_client,
    member_user,
    secretariat_client,
    client,
    django_capture_on_commit_callbacks,
):
    meeting = schedule(forums["samarbejdsforum"])
    response = member_client.post(
        f"/moeder/{meeting.pk}/forslag/ny/",
        {
            "title": "Fleksibel udlejning i Mjølnerparken",
            "description": "Status og næste skridt.",
            "treatment": "discussion",
            "responsible": forums["samarbejdsforum"].secretariat.parent.pk,
            "files": [SimpleUploadedFile("notat.pdf", PDF, content_type="application/pdf")],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    proposal = Proposal.objects.get()
    assert proposal.proposer == member_user and proposal.attachments.count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(f"/sekretariat/forslag/{proposal.pk}/accepter/")
    item = AgendaItem.objects.get(from_proposal=proposal)
    assert list(meeting.items.order_by("position").values_list("title", flat=True)) == [
        "Fleksibel udlejning i Mjølnerparken",
        "Eventuelt",
    ]
    assert item.attachments.count() == 1
    assert (
        OutboxMessage.objects.filter(kind="proposal_decided", recipient=member_user.email).count()
        == 1
    )

    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(f"/sekretariat/moeder/{meeting.pk}/send/", {"confirm": "1"})
        secretariat_client.post(
            f"/sekretariat/moeder/{meeting.pk}/send/", {"confirm": "1"}
        )  # a double click
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.AGENDA_SENT
    version = meeting.versions.get()
    assert version.pdf_rendered_at and version.distributed_at
    sent = OutboxMessage.objects.filter(kind="agenda_sent")
    files = sent.get().attachments.order_by("filename")
    assert sent.count() == 1 and [f.filename.split("-2")[0] for f in files] == [
        "dagsorden",
        "dagsorden-med-bilag",  # the agenda pack, small enough to go along
    ]
    assert all(bytes(f.content).startswith(b"%PDF") for f in files)
    member_page = member_client.get(f"/moeder/{meeting.pk}/medlem/").content.decode()
    assert "Fleksibel udlejning i Mjølnerparken" in member_page
    assert client.get(f"/moeder/{meeting.pk}/").status_code == 200
    assert "Fleksibel udlejning" not in client.get(f"/moeder/{meeting.pk}/").content.decode()
    assert len([m for m in mail.outbox if "Fleksibel" in m.body or m.attachments]) >= 1


def test_a_public_agenda_is_published_without_closed_items(
    forums, secretariat_user, client, django_capture_on_commit_callbacks
):
    from datetime import date

    pf = forums["partnerskabsforum"]
    from django.utils import timezone

    year = timezone.localdate().year + 1
    meeting = schedule(pf, day=date(year, 5, 20))
    services.agenda_item_save(
        actor=secretariat_user,
        item=AgendaItem(meeting=meeting),
        title="Lukket personsag",
        is_closed=True,
        treatment="decision",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_send(actor=secretariat_user, meeting=meeting)
    html = client.get(f"/moeder/{meeting.pk}/").content.decode()
    assert "Status på elementerne i hovedaftalen" in html
    assert "Lukket personsag" not in html
    pdf = client.get(f"/moeder/{meeting.pk}/dagsorden.pdf")
    assert pdf.status_code == 200
    body = b"".join(pdf.streaming_content)
    assert body.startswith(b"%PDF")
    assert f"/moeder/{meeting.pk}/" in client.get("/sitemap.xml").content.decode()


def test_a_styregruppe_member_names_their_own_substitute_for_samarbejdsforum(
    forums, secretariat_user
):
    from forums.tests.factories import MembershipFactory, PersonFactory, UserFactory, seat
    from meetings.models import Attendance

    tmf = seat("tvaerkommunal-styregruppe", organisation__short_name="TMF")
    user = UserFactory()
    member = PersonFactory(user=user)
    substitute = PersonFactory()
    MembershipFactory(person=member, forum=forums["tvaerkommunal-styregruppe"], seat=tmf)
    MembershipFactory(
        person=substitute, forum=forums["tvaerkommunal-styregruppe"], seat=tmf, role="substitute"
    )
    meeting = schedule(forums["samarbejdsforum"])
    services.attendance_register(
        actor=user, meeting=meeting, person=member, status="absent", substitute=substitute
    )
    assert Attendance.objects.get(meeting=meeting, person=member).substitute == substitute
