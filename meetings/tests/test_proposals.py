"""Agenda proposals: members propose until the end of day D − 21 where the forum has that
deadline, the proposer alone may change or withdraw a proposal while proposals are open,
Borgmesterforum's members do not propose, and the secretariat accepts, declines or moves
each proposal once, telling the proposer each time."""

from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext

from core.errors import DomainError
from core.models import AuditEntry
from forums.models import Organisation
from forums.tests.factories import MembershipFactory, PersonFactory, UserFactory, forum, seat
from meetings import services
from meetings.deadlines import TZ
from meetings.models import AgendaItem, Attachment, Proposal
from meetings.tests.factories import schedule
from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path) -> Path:
    """Attachments go to a temporary PRIVATE_MEDIA_ROOT, not to var/."""
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return Path(settings.PRIVATE_MEDIA_ROOT)


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def danish(msgid: str, **params) -> str:
    with translation.override("da"):
        text = gettext(msgid)
    return text % params if params else text


def day_label(moment: datetime) -> str:
    with translation.override("da"):
        return date_format(timezone.localtime(moment), "l j. F Y")


def at_local(day, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


def login(user) -> Client:
    """A client signed in now (inside a time_machine block: at the travelled time)."""
    client = Client()
    client.force_login(user)
    return client


def member_of(slug: str, email: str, **seat_filters):
    user = UserFactory(email=email)
    person = PersonFactory(name=user.full_name, email=email, user=user)
    MembershipFactory(person=person, forum=forum(slug), seat=seat(slug, **seat_filters))
    return user


def tmf() -> Organisation:
    return Organisation.objects.get(short_name="TMF")


def form_data(**overrides) -> dict:
    data = {
        "title": "Fleksibel udlejning i Mjølnerparken",
        "description": "Status og næste skridt.",
        "treatment": "discussion",
        "responsible": tmf().pk,
        "files": [SimpleUploadedFile("notat.pdf", PDF, content_type="application/pdf")],
    }
    return {**data, **overrides}


def propose(user, meeting, title: str = "Tryghed i Tingbjerg", files=()) -> Proposal:
    return services.proposal_submit(
        actor=user,
        meeting=meeting,
        title=title,
        description="Drøftelse af trygheden.",
        treatment="discussion",
        responsible=tmf(),
        files=files,
    )


@pytest.fixture
def meeting(forums):
    """A Samarbejdsforum meeting in four weeks: proposals close at the end of the day one
    week from now (within the lifetime of a session)."""
    return schedule(forums["samarbejdsforum"], days_ahead=28)


def test_proposals_close_at_the_end_of_day_d_minus_21(meeting):
    closes = timezone.localtime(meeting.proposals_close_at)
    assert closes.date() == meeting.day - timedelta(days=21)
    assert (closes.hour, closes.minute, closes.second) == (23, 59, 59)


# --- The deadline --------------------------------------------------------------------------


def test_a_proposal_sent_at_midnight_after_the_deadline_is_refused_with_the_closing_day_and_nothing_is_saved(
    meeting, member_user, private_media
):
    next_day = meeting.proposals_close_at.astimezone(TZ).date() + timedelta(days=1)
    with time_machine.travel(at_local(next_day, 0, 0), tick=False):
        response = login(member_user).post(f"/moeder/{meeting.pk}/forslag/ny/", form_data())

    assert response.status_code == 200
    closed = danish(
        "Proposals for this meeting closed at the end of %(day)s.",
        day=day_label(meeting.proposals_close_at),
    )
    assert response.context["form"].non_field_errors() == [closed]
    assert escape(closed) in response.content.decode()
    assert not Proposal.objects.exists()
    assert not Attachment.objects.exists()
    assert stored_files(private_media) == []
    assert not AuditEntry.objects.filter(action="proposal.submit").exists()


def test_a_proposal_sent_at_23_59_on_the_deadline_day_is_accepted_with_its_attachment(
    meeting, member_user, private_media
):
    deadline_day = meeting.proposals_close_at.astimezone(TZ).date()
    with time_machine.travel(at_local(deadline_day, 23, 59), tick=False):
        response = login(member_user).post(f"/moeder/{meeting.pk}/forslag/ny/", form_data())

    assert response.status_code == 302
    assert response["Location"] == f"/moeder/{meeting.pk}/medlem/"
    proposal = Proposal.objects.get()
    assert (proposal.meeting, proposal.proposer) == (meeting, member_user)
    assert proposal.status == Proposal.Status.SUBMITTED
    assert proposal.title == "Fleksibel udlejning i Mjølnerparken"
    assert proposal.responsible == tmf()
    attachment = proposal.attachments.get()
    assert attachment.content_type == "application/pdf" and attachment.uploaded_by == member_user
    assert [p.read_bytes() for p in stored_files(private_media)] == [PDF]
    assert AuditEntry.objects.filter(
        action="proposal.submit", actor=member_user, object_id=str(proposal.pk)
    ).exists()


def test_the_proposal_form_says_until_when_proposals_are_open_and_when_they_closed(
    meeting, member_user
):
    deadline_day = meeting.proposals_close_at.astimezone(TZ).date()
    day = day_label(meeting.proposals_close_at)
    url = f"/moeder/{meeting.pk}/forslag/ny/"

    open_page = login(member_user).get(url).content.decode()
    assert escape(danish("Proposals close at the end of %(day)s.", day=day)) in open_page

    with time_machine.travel(at_local(deadline_day + timedelta(days=1), 0, 0), tick=False):
        closed_page = login(member_user).get(url).content.decode()
    closed = danish("Proposals for this meeting closed at the end of %(day)s.", day=day)
    assert escape(closed) in closed_page
    assert 'name="title"' not in closed_page  # no form to fill in once they have closed


def test_a_proposal_refused_as_late_keeps_its_text_once_without_a_submit_button(
    meeting, member_user
):
    deadline_day = meeting.proposals_close_at.astimezone(TZ).date()
    closed = danish(
        "Proposals for this meeting closed at the end of %(day)s.",
        day=day_label(meeting.proposals_close_at),
    )
    with time_machine.travel(at_local(deadline_day + timedelta(days=1), 0, 0), tick=False):
        response = login(member_user).post(
            f"/moeder/{meeting.pk}/forslag/ny/", form_data(title="Skrevet før fristen")
        )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Skrevet før fristen" in page  # the text is kept to copy
    # Said at the form and in the error summary at the top, not a third time as a message.
    assert page.count(escape(closed)) == 2
    assert danish("Submit") not in page.split("<main")[1]


# --- The proposer's own proposal -----------------------------------------------------------


def test_the_proposer_can_edit_their_proposal_until_proposals_close_and_not_after(
    meeting, member_user
):
    proposal = propose(member_user, meeting)
    deadline_day = meeting.proposals_close_at.astimezone(TZ).date()
    url = f"/forslag/{proposal.pk}/rediger/"

    with time_machine.travel(at_local(deadline_day, 23, 59), tick=False):
        response = login(member_user).post(url, form_data(title="Tryghed i Tingbjerg, revideret"))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "Tryghed i Tingbjerg, revideret"
    assert proposal.attachments.count() == 1  # the file sent with the edit is added
    assert AuditEntry.objects.filter(action="proposal.update", object_id=str(proposal.pk)).count()

    with time_machine.travel(at_local(deadline_day + timedelta(days=1), 0, 0), tick=False):
        response = login(member_user).post(url, form_data(title="For sent"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        danish(
            "Proposals for this meeting closed at the end of %(day)s.",
            day=day_label(meeting.proposals_close_at),
        )
    ]
    proposal.refresh_from_db()
    assert proposal.title == "Tryghed i Tingbjerg, revideret"
    assert proposal.attachments.count() == 1
    assert AuditEntry.objects.filter(action="proposal.update").count() == 1


def test_the_proposer_can_withdraw_their_proposal_until_proposals_close_and_not_after(
    meeting, member_user
):
    early = propose(member_user, meeting, title="Trækkes tilbage i tide")
    late = propose(member_user, meeting, title="Trækkes tilbage for sent")
    deadline_day = meeting.proposals_close_at.astimezone(TZ).date()

    with time_machine.travel(at_local(deadline_day, 23, 59), tick=False):
        response = login(member_user).post(f"/forslag/{early.pk}/traek-tilbage/")
    assert response.status_code == 302
    early.refresh_from_db()
    assert early.status == Proposal.Status.WITHDRAWN

    with time_machine.travel(at_local(deadline_day + timedelta(days=1), 0, 0), tick=False):
        client = login(member_user)
        response = client.post(f"/forslag/{late.pk}/traek-tilbage/", follow=True)
    late.refresh_from_db()
    assert late.status == Proposal.Status.SUBMITTED
    closed = danish(
        "Proposals for this meeting closed at the end of %(day)s.",
        day=day_label(meeting.proposals_close_at),
    )
    assert [str(m) for m in response.context["messages"]] == [closed]
    assert list(
        AuditEntry.objects.filter(action="proposal.withdraw").values_list("object_id", flat=True)
    ) == [str(early.pk)]


def test_another_member_of_the_forum_cannot_see_edit_or_withdraw_someones_proposal(
    meeting, member_user
):
    proposal = propose(member_user, meeting)
    colleague_user = member_of("samarbejdsforum", "kollega.sf@example.org")
    colleague = login(colleague_user)

    assert colleague.get(f"/forslag/{proposal.pk}/rediger/").status_code == 404
    assert colleague.post(f"/forslag/{proposal.pk}/rediger/", form_data()).status_code == 404
    assert colleague.post(f"/forslag/{proposal.pk}/traek-tilbage/").status_code == 404
    proposal.refresh_from_db()
    assert proposal.title == "Tryghed i Tingbjerg" and proposal.status == "submitted"
    assert proposal.attachments.count() == 0
    with pytest.raises(DomainError):
        services.proposal_withdraw(actor=colleague_user, proposal=proposal)
    assert not AuditEntry.objects.filter(action__in=["proposal.update", "proposal.withdraw"])


# --- Who may propose -----------------------------------------------------------------------


def test_a_member_of_borgmesterforum_cannot_propose_because_the_secretariat_sets_its_agenda(
    forums, private_media
):
    mayor = member_of("borgmesterforum", "overborgmester@example.org")
    meeting = schedule(forums["borgmesterforum"], days_ahead=30)
    client = login(mayor)

    assert client.get(f"/moeder/{meeting.pk}/medlem/").status_code == 200
    assert client.get(f"/moeder/{meeting.pk}/forslag/ny/").status_code == 404
    assert client.post(f"/moeder/{meeting.pk}/forslag/ny/", form_data()).status_code == 404
    with pytest.raises(DomainError) as refused:
        propose(mayor, meeting)
    assert refused.value.messages == [danish("You cannot propose items for this meeting.")]
    assert not Proposal.objects.exists() and not Attachment.objects.exists()
    assert stored_files(private_media) == []


def test_a_member_of_another_forum_gets_404_on_the_proposal_form(
    meeting, other_member_client, other_member_user, private_media
):
    url = f"/moeder/{meeting.pk}/forslag/ny/"
    assert other_member_client.get(url).status_code == 404
    assert other_member_client.post(url, form_data()).status_code == 404
    with pytest.raises(DomainError):
        propose(other_member_user, meeting)
    assert not Proposal.objects.exists() and stored_files(private_media) == []


# --- The secretariat decides ---------------------------------------------------------------


def decided_messages(user) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(kind="proposal_decided", recipient=user.email))


def test_the_secretariat_accepts_a_proposal_as_an_item_before_eventuelt_with_its_attachments_and_tells_the_proposer_once(
    meeting,
    member_user,
    secretariat_client,
    secretariat_user,
    django_capture_on_commit_callbacks,
):
    proposal = propose(
        member_user, meeting, files=[SimpleUploadedFile("bilag.pdf", PDF, "application/pdf")]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(f"/sekretariat/forslag/{proposal.pk}/accepter/")
    assert response.status_code == 302

    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ACCEPTED and proposal.decided_at
    item = AgendaItem.objects.get(from_proposal=proposal)
    assert list(meeting.items.order_by("position").values_list("position", "title")) == [
        (1, "Tryghed i Tingbjerg"),
        (2, "Eventuelt"),
    ]
    assert (item.treatment, item.responsible, item.presentation) == (
        "discussion",
        tmf(),
        "Drøftelse af trygheden.",
    )
    assert list(item.attachments.values_list("name", flat=True)) == ["bilag.pdf"]
    told = decided_messages(member_user)
    assert len(told) == 1 and "Tryghed i Tingbjerg" in told[0].body_text
    assert len([m for m in mail.outbox if member_user.email in m.to]) == 1
    assert AuditEntry.objects.filter(
        action="proposal.accept", actor=secretariat_user, object_id=str(proposal.pk)
    ).exists()

    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(f"/sekretariat/forslag/{proposal.pk}/accepter/")  # again
    assert AgendaItem.objects.filter(from_proposal=proposal).count() == 1
    assert meeting.items.count() == 2
    assert len(decided_messages(member_user)) == 1
    assert len(mail.outbox) == 1


def test_declining_a_proposal_needs_a_reason_which_the_proposer_is_told(
    meeting,
    member_user,
    secretariat_client,
    secretariat_user,
    django_capture_on_commit_callbacks,
):
    proposal = propose(member_user, meeting)
    url = f"/sekretariat/forslag/{proposal.pk}/afvis/"

    response = secretariat_client.post(url, {"reason": ""})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    with pytest.raises(DomainError) as refused:
        services.proposal_decline(actor=secretariat_user, proposal=proposal, reason="   ")
    assert refused.value.message_dict == {"reason": [danish("Give the proposer a reason.")]}
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED and not decided_messages(member_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(url, {"reason": "Hører hjemme i temagruppen."})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DECLINED
    assert proposal.decision_reason == "Hører hjemme i temagruppen."
    assert not AgendaItem.objects.filter(from_proposal=proposal).exists()
    told = decided_messages(member_user)
    assert len(told) == 1 and "Hører hjemme i temagruppen." in told[0].body_text
    assert AuditEntry.objects.filter(action="proposal.decline", object_id=str(proposal.pk)).exists()


def test_the_secretariat_moves_a_proposal_to_another_meeting_of_the_same_forum_and_tells_the_proposer(
    forums, meeting, member_user, secretariat_client, django_capture_on_commit_callbacks
):
    later = schedule(forums["samarbejdsforum"], days_ahead=70)
    elsewhere = schedule(forums["tvaerkommunal-styregruppe"], days_ahead=70)
    proposal = propose(member_user, meeting)
    url = f"/sekretariat/forslag/{proposal.pk}/flyt/"

    response = secretariat_client.post(url, {"meeting": elsewhere.pk})
    assert response.status_code == 200 and response.context["form"].errors["meeting"]
    proposal.refresh_from_db()
    assert proposal.meeting == meeting

    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(url, {"meeting": later.pk})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.meeting == later and proposal.status == Proposal.Status.SUBMITTED
    told = decided_messages(member_user)
    assert len(told) == 1
    with translation.override("da"):
        later_day = date_format(timezone.localtime(later.starts_at), "j. F Y")
    assert (
        told[0].subject == f"Dit forslag er flyttet til et andet møde: Samarbejdsforum {later_day}"
    )
    assert day_label(later.starts_at) in told[0].body_text
    assert AuditEntry.objects.get(action="proposal.move").data == {
        "from": meeting.pk,
        "to": later.pk,
    }


def test_a_decided_proposal_cannot_be_decided_again(
    forums, meeting, member_user, secretariat_user, django_capture_on_commit_callbacks
):
    later = schedule(forums["samarbejdsforum"], days_ahead=70)
    accepted = propose(member_user, meeting, title="Vedtaget")
    declined = propose(member_user, meeting, title="Afvist")
    withdrawn = propose(member_user, meeting, title="Trukket tilbage")
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_accept(actor=secretariat_user, proposal=accepted)
        services.proposal_decline(actor=secretariat_user, proposal=declined, reason="Nej.")
        services.proposal_withdraw(actor=member_user, proposal=withdrawn)

    decisions = [
        lambda p: services.proposal_accept(actor=secretariat_user, proposal=p),
        lambda p: services.proposal_decline(actor=secretariat_user, proposal=p, reason="Igen."),
        lambda p: services.proposal_move(actor=secretariat_user, proposal=p, meeting=later),
    ]
    for proposal in (accepted, declined, withdrawn):
        for decide in decisions:
            with pytest.raises(DomainError) as refused:
                decide(proposal)
            assert refused.value.messages == [
                danish("The proposal has already been decided on or withdrawn.")
            ]

    statuses = dict(Proposal.objects.values_list("title", "status"))
    assert statuses == {
        "Vedtaget": "accepted",
        "Afvist": "declined",
        "Trukket tilbage": "withdrawn",
    }
    assert Proposal.objects.filter(meeting=later).count() == 0
    assert AgendaItem.objects.filter(from_proposal__isnull=False).count() == 1
    assert len(decided_messages(member_user)) == 2
