"""The agenda: the secretariat builds it (order, removal), sends it once per version to every
member, revises it with a change note, refers a matter to another forum and keeps the trail;
members register absence with a substitute of their own seat until the meeting starts."""

from datetime import timedelta
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
from forums.models import Membership, Organisation
from forums.tests.factories import MembershipFactory, PersonFactory, UserFactory, forum, seat
from meetings import services
from meetings.models import AgendaItem, Attendance, Meeting, Proposal
from meetings.selectors import forum_people
from meetings.tasks import process_agenda_version
from meetings.tests.factories import schedule
from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path) -> Path:
    """Attachments and agenda PDFs go to a temporary PRIVATE_MEDIA_ROOT, not to var/."""
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return Path(settings.PRIVATE_MEDIA_ROOT)


def danish(msgid: str, **params) -> str:
    with translation.override("da"):
        text = gettext(msgid)
        return text % params if params else text


def local_date(moment, fmt: str) -> str:
    with translation.override("da"):
        return date_format(timezone.localtime(moment), fmt)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def member_of(slug: str, email: str, role=Membership.Role.MEMBER, **seat_filters):
    user = UserFactory(email=email)
    person = PersonFactory(name=user.full_name, email=email, user=user)
    MembershipFactory(person=person, forum=forum(slug), seat=seat(slug, **seat_filters), role=role)
    return user


def org(short_name: str) -> Organisation:
    return Organisation.objects.get(short_name=short_name)


def add_item(actor, meeting, title: str, *, responsible: str | None = "TMF", files=(), **fields):
    return services.agenda_item_save(
        actor=actor,
        item=AgendaItem(meeting=meeting),
        title=title,
        treatment=fields.pop("treatment", "discussion"),
        responsible=org(responsible) if responsible else None,
        files=files,
        **fields,
    )


def titles(meeting) -> list[tuple[int, str]]:
    return list(meeting.items.order_by("position").values_list("position", "title"))


@pytest.fixture
def members(forums, member_user):
    """Samarbejdsforum's people: three BL 1. kreds members and, through the forum's
    inclusion of Styregruppen, one administration's representative."""
    member_of("samarbejdsforum", "medlem2.sf@example.org")
    member_of("samarbejdsforum", "medlem3.sf@example.org")
    member_of(
        "tvaerkommunal-styregruppe", "tmf.styregruppe@example.org", organisation__short_name="TMF"
    )
    people = forum_people(forums["samarbejdsforum"])
    assert len(people) == 4
    return people


@pytest.fixture
def meeting(forums, secretariat_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = schedule(forums["samarbejdsforum"], days_ahead=30)
    add_item(secretariat_user, meeting, "Fleksibel udlejning")
    return meeting


def send(client, meeting, callbacks, note: str = ""):
    with callbacks(execute=True):
        return client.post(
            f"/sekretariat/moeder/{meeting.pk}/send/",
            {"change_note": note, "confirm": "1"},
            follow=True,
        )


def flashes(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- Sending -------------------------------------------------------------------------------


def test_a_double_click_on_send_gives_one_version_and_one_email_per_member(
    members, meeting, secretariat_client, django_capture_on_commit_callbacks, private_media
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(f"/sekretariat/moeder/{meeting.pk}/send/", {"confirm": "1"})
        secretariat_client.post(f"/sekretariat/moeder/{meeting.pk}/send/", {"confirm": "1"})

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.AGENDA_SENT and meeting.agenda_sent_at
    version = meeting.versions.get()
    assert version.number == 1 and version.pdf_rendered_at and version.distributed_at
    assert (private_media / version.pdf.name).read_bytes().startswith(b"%PDF")
    sent = OutboxMessage.objects.filter(kind="agenda_sent")
    assert sorted(sent.values_list("recipient", flat=True)) == sorted(p.email for p in members)
    assert set(sent.values_list("key", flat=True)) == {
        f"agenda:{version.pk}:{p.pk}" for p in members
    }
    assert all(m.status == OutboxMessage.Status.SENT for m in sent)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in members)
    assert all(m.attachments[0][0].endswith("-v1.pdf") for m in mail.outbox)
    assert AuditEntry.objects.filter(action="agenda.send").count() == 1


def test_a_retried_agenda_task_sends_nothing_more(
    members, meeting, secretariat_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        version = services.agenda_send(actor=secretariat_user, meeting=meeting)
    version.refresh_from_db()
    rendered = (version.pdf.name, version.pdf_rendered_at)
    messages, delivered = OutboxMessage.objects.count(), len(mail.outbox)

    with django_capture_on_commit_callbacks(execute=True):
        process_agenda_version(version.pk)
        process_agenda_version.delay(version.pk)

    version.refresh_from_db()
    assert (version.pdf.name, version.pdf_rendered_at) == rendered
    assert OutboxMessage.objects.count() == messages
    assert OutboxMessage.objects.filter(kind="agenda_sent").count() == len(members)
    assert len(mail.outbox) == delivered


@pytest.mark.parametrize("slug", ["samarbejdsforum", "tvaerkommunal-styregruppe"])
def test_the_agenda_is_not_sent_while_an_item_lacks_a_responsible_administration(
    slug,
    forums,
    member_user,
    secretariat_client,
    secretariat_user,
    private_media,
    django_capture_on_commit_callbacks,
):
    meeting = schedule(forums[slug], days_ahead=30)
    add_item(secretariat_user, meeting, "Anvisning", responsible="SOF")
    add_item(secretariat_user, meeting, "Plejeboliger uden ansvarlig", responsible=None)
    missing = meeting.items.get(title="Plejeboliger uden ansvarlig")

    response = send(secretariat_client, meeting, django_capture_on_commit_callbacks)

    expected = danish(
        "Every item needs a responsible administration before the agenda is sent: %(items)s.",
        items=f"{missing.position}. Plejeboliger uden ansvarlig",
    )
    assert flashes(response) == [expected]
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED and meeting.agenda_sent_at is None
    assert not meeting.versions.exists()
    assert not OutboxMessage.objects.filter(kind__startswith="agenda").exists()
    assert not AuditEntry.objects.filter(action="agenda.send").exists()
    assert not (private_media / "agendas").exists()


def test_borgmesterforum_sends_an_agenda_without_responsible_administrations(
    forums, secretariat_user
):
    meeting = schedule(forums["borgmesterforum"], days_ahead=30)
    version = services.agenda_send(actor=secretariat_user, meeting=meeting)
    assert version.number == 1
    assert meeting.items.filter(responsible__isnull=True).count() == 6


def test_a_revision_needs_a_change_note_becomes_version_2_and_tells_the_members(
    members, meeting, member_user, secretariat_client, django_capture_on_commit_callbacks
):
    send(secretariat_client, meeting, django_capture_on_commit_callbacks)
    item = meeting.items.get(title="Fleksibel udlejning")
    services.agenda_item_save(
        actor=None, item=item, title="Fleksibel udlejning og kombineret udlejning"
    )

    response = send(secretariat_client, meeting, django_capture_on_commit_callbacks)
    assert flashes(response) == [danish("Describe what changed in the revised agenda.")]
    assert meeting.versions.count() == 1

    response = send(
        secretariat_client, meeting, django_capture_on_commit_callbacks, "Punkt 1 er udvidet."
    )
    assert flashes(response) == ["Den reviderede dagsorden er sendt til alle 4 medlemmer."]
    v1, v2 = meeting.versions.order_by("number")
    assert v2.number == 2 and v2.change_note == "Punkt 1 er udvidet."
    assert v2.items[0]["title"] == "Fleksibel udlejning og kombineret udlejning"
    assert v1.items[0]["title"] == "Fleksibel udlejning"
    revised = OutboxMessage.objects.filter(kind="agenda_revised")
    assert sorted(revised.values_list("recipient", flat=True)) == sorted(p.email for p in members)
    assert all("Punkt 1 er udvidet." in m.body_text for m in revised)
    assert OutboxMessage.objects.filter(kind="agenda_sent").count() == len(members)
    assert AuditEntry.objects.filter(action="agenda.revise").count() == 1

    client = login(member_user)
    first = client.get(f"/moeder/{meeting.pk}/dagsorden/1/").content.decode()
    assert "Fleksibel udlejning" in first and "kombineret udlejning" not in first
    second = client.get(f"/moeder/{meeting.pk}/dagsorden/2/").content.decode()
    assert "Fleksibel udlejning og kombineret udlejning" in second
    assert "Punkt 1 er udvidet." in second
    assert client.get(f"/moeder/{meeting.pk}/dagsorden/1.pdf").status_code == 200
    member_page = client.get(f"/moeder/{meeting.pk}/medlem/").content.decode()
    assert f'href="/moeder/{meeting.pk}/dagsorden/1/"' in member_page


def test_a_revision_without_changes_is_refused(
    members, meeting, secretariat_client, django_capture_on_commit_callbacks
):
    send(secretariat_client, meeting, django_capture_on_commit_callbacks)
    response = send(secretariat_client, meeting, django_capture_on_commit_callbacks, "Ingen.")
    assert flashes(response) == [danish("Nothing has changed since version %(number)d.", number=1)]
    assert meeting.versions.count() == 1
    assert not OutboxMessage.objects.filter(kind="agenda_revised").exists()


# --- Building the agenda -------------------------------------------------------------------


def test_the_secretariat_reorders_items_up_and_down_with_plain_posts(
    meeting, secretariat_client, secretariat_user
):
    second = add_item(secretariat_user, meeting, "Tryghed og trivsel")
    first = meeting.items.get(title="Fleksibel udlejning")
    assert titles(meeting) == [
        (1, "Fleksibel udlejning"),
        (2, "Tryghed og trivsel"),
        (3, "Eventuelt"),
    ]

    workspace = secretariat_client.get(f"/sekretariat/moeder/{meeting.pk}/").content.decode()
    assert (
        f'<form method="post" novalidate action="/sekretariat/punkter/{second.pk}/op/">'
        in workspace
    )
    assert (
        f'<form method="post" novalidate action="/sekretariat/punkter/{second.pk}/ned/">'
        in workspace
    )

    assert secretariat_client.post(f"/sekretariat/punkter/{second.pk}/op/").status_code == 302
    assert titles(meeting) == [
        (1, "Tryghed og trivsel"),
        (2, "Fleksibel udlejning"),
        (3, "Eventuelt"),
    ]
    secretariat_client.post(f"/sekretariat/punkter/{second.pk}/ned/")
    secretariat_client.post(f"/sekretariat/punkter/{second.pk}/ned/")
    assert titles(meeting) == [
        (1, "Fleksibel udlejning"),
        (2, "Eventuelt"),
        (3, "Tryghed og trivsel"),
    ]
    secretariat_client.post(f"/sekretariat/punkter/{second.pk}/ned/")  # already last
    secretariat_client.post(f"/sekretariat/punkter/{first.pk}/op/")  # already first
    assert titles(meeting) == [
        (1, "Fleksibel udlejning"),
        (2, "Eventuelt"),
        (3, "Tryghed og trivsel"),
    ]
    assert AuditEntry.objects.filter(action="agenda_item.shift").count() == 3
    assert secretariat_client.get(f"/sekretariat/punkter/{second.pk}/op/").status_code == 405


def test_move_to_number_n_reorders_the_agenda_and_returns_to_the_same_item(
    meeting, secretariat_client, secretariat_user
):
    add_item(secretariat_user, meeting, "Tryghed og trivsel")
    last = add_item(secretariat_user, meeting, "Fremtidssikring")
    assert titles(meeting) == [
        (1, "Fleksibel udlejning"),
        (2, "Tryghed og trivsel"),
        (3, "Fremtidssikring"),
        (4, "Eventuelt"),
    ]
    workspace = secretariat_client.get(f"/sekretariat/moeder/{meeting.pk}/").content.decode()
    assert f'action="/sekretariat/punkter/{last.pk}/flyt/"' in workspace
    assert f'id="item-{last.pk}"' in workspace

    response = secretariat_client.post(f"/sekretariat/punkter/{last.pk}/flyt/", {"to": "1"})

    assert response.status_code == 302
    assert response["Location"] == f"/sekretariat/moeder/{meeting.pk}/#item-{last.pk}"
    assert titles(meeting) == [
        (1, "Fremtidssikring"),
        (2, "Fleksibel udlejning"),
        (3, "Tryghed og trivsel"),
        (4, "Eventuelt"),
    ]
    assert AuditEntry.objects.get(action="agenda_item.move").data == {"from": 3, "to": 1}

    secretariat_client.post(f"/sekretariat/punkter/{last.pk}/flyt/", {"to": "99"})  # the end
    assert titles(meeting)[-1] == (4, "Fremtidssikring")
    moved = AuditEntry.objects.filter(action="agenda_item.move").order_by("pk").last()
    assert moved.data == {"from": 1, "to": 4}
    response = secretariat_client.post(f"/sekretariat/punkter/{last.pk}/flyt/", {"to": "x"})
    assert response["Location"] == f"/sekretariat/moeder/{meeting.pk}/#item-{last.pk}"
    assert titles(meeting)[-1] == (4, "Fremtidssikring")
    assert AuditEntry.objects.filter(action="agenda_item.move").count() == 2


def test_up_and_down_return_to_the_same_item(meeting, secretariat_client, secretariat_user):
    second = add_item(secretariat_user, meeting, "Tryghed og trivsel")
    response = secretariat_client.post(f"/sekretariat/punkter/{second.pk}/op/")
    assert response["Location"] == f"/sekretariat/moeder/{meeting.pk}/#item-{second.pk}"
    assert titles(meeting)[0] == (1, "Tryghed og trivsel")


def test_removing_an_item_renumbers_the_rest(meeting, secretariat_client, secretariat_user):
    add_item(secretariat_user, meeting, "Tryghed og trivsel")
    doomed = meeting.items.get(title="Fleksibel udlejning")

    assert (
        secretariat_client.post(
            f"/sekretariat/punkter/{doomed.pk}/slet/", {"confirm": "1"}
        ).status_code
        == 302
    )

    assert titles(meeting) == [(1, "Tryghed og trivsel"), (2, "Eventuelt")]
    entry = AuditEntry.objects.get(action="agenda_item.delete")
    assert entry.data == {"title": "Fleksibel udlejning"} and entry.object_id == str(meeting.pk)


def test_removing_an_item_from_a_proposal_gives_the_proposal_back_with_its_attachments(
    meeting, member_user, secretariat_user, private_media
):
    proposal = services.proposal_submit(
        actor=member_user,
        meeting=meeting,
        title="Boligsocial anvisning",
        description="Forslag.",
        treatment="decision",
        responsible=org("SOF"),
        files=[SimpleUploadedFile("anvisning.pdf", PDF, "application/pdf")],
    )
    item = services.proposal_accept(actor=secretariat_user, proposal=proposal)
    assert item.attachments.count() == 1

    services.agenda_item_delete(actor=secretariat_user, item=item)

    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    attachment = proposal.attachments.get()
    assert attachment.item is None and attachment.name == "anvisning.pdf"
    assert (private_media / attachment.file.name).read_bytes() == PDF
    assert titles(meeting) == [(1, "Fleksibel udlejning"), (2, "Eventuelt")]


def test_the_members_page_shows_the_agenda_only_once_it_is_sent(
    meeting, member_user, secretariat_user, django_capture_on_commit_callbacks
):
    client = login(member_user)
    before = client.get(f"/moeder/{meeting.pk}/medlem/").content.decode()
    assert "Fleksibel udlejning" not in before
    assert escape(danish("The agenda opens here when the secretariat sends it.")) in before

    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_send(actor=secretariat_user, meeting=meeting)
    after = client.get(f"/moeder/{meeting.pk}/medlem/").content.decode()
    assert "1. Fleksibel udlejning" in after
    assert f'href="/moeder/{meeting.pk}/dagsorden/1.pdf"' in after


# --- Referral ------------------------------------------------------------------------------


def test_referring_an_item_creates_a_proposal_in_the_other_forums_meeting_and_both_workspaces_show_the_trail(
    forums, meeting, secretariat_client, secretariat_user, private_media
):
    item = add_item(
        secretariat_user,
        meeting,
        "Udkast til justering af hovedaftalen",
        presentation="Samarbejdsforum foreslår en justering.",
        recommendation="Det indstilles, at forslaget sendes videre.",
        files=[SimpleUploadedFile("udkast.pdf", PDF, "application/pdf")],
    )
    target = schedule(forums["borgmesterforum"], days_ahead=45)

    response = secretariat_client.post(
        f"/sekretariat/punkter/{item.pk}/henvis/", {"meeting": target.pk}
    )
    assert response.status_code == 302

    proposal = Proposal.objects.get(referred_from=item)
    assert proposal.meeting == target and proposal.status == Proposal.Status.SUBMITTED
    assert proposal.title == "Udkast til justering af hovedaftalen"
    assert proposal.description == (
        "Samarbejdsforum foreslår en justering.\n\nDet indstilles, at forslaget sendes videre."
    )
    assert (proposal.treatment, proposal.responsible) == ("discussion", org("TMF"))
    copy = proposal.attachments.get()
    original = item.attachments.get()
    assert copy.pk != original.pk and copy.name == "udkast.pdf"
    assert (private_media / copy.file.name).read_bytes() == PDF
    entry = AuditEntry.objects.get(action="item.refer")
    assert entry.data == {"proposal": proposal.pk, "meeting": target.pk}

    source_page = secretariat_client.get(f"/sekretariat/moeder/{meeting.pk}/").content.decode()
    assert escape(
        danish(
            "Referred to %(forum)s %(day)s (%(status)s)",
            forum="Borgmesterforum",
            day=local_date(target.starts_at, "j. b Y"),
            status=str(Proposal.Status.SUBMITTED.label),
        )
    ) in " ".join(source_page.split())
    target_page = secretariat_client.get(f"/sekretariat/moeder/{target.pk}/").content.decode()
    assert escape(
        danish(
            "Referred from %(forum)s, meeting %(day)s",
            forum="Samarbejdsforum",
            day=local_date(meeting.starts_at, "j. b Y"),
        )
    ) in " ".join(target_page.split())
    assert "udkast.pdf" in target_page

    services.proposal_accept(actor=secretariat_user, proposal=proposal)
    target_page = secretariat_client.get(f"/sekretariat/moeder/{target.pk}/").content.decode()
    assert escape(danish("Came from %(forum)s", forum="Samarbejdsforum")) in target_page


def test_an_item_is_referred_only_to_a_planned_meeting_of_another_forum(
    forums, meeting, secretariat_user
):
    item = meeting.items.get(title="Fleksibel udlejning")
    same_forum = schedule(forums["samarbejdsforum"], days_ahead=60)
    with pytest.raises(DomainError):
        services.item_refer(actor=secretariat_user, item=item, meeting=same_forum)
    sent = schedule(forums["tvaerkommunal-styregruppe"], days_ahead=40)
    services.agenda_send(actor=secretariat_user, meeting=sent)
    with pytest.raises(DomainError):
        services.item_refer(actor=secretariat_user, item=item, meeting=sent)
    assert not Proposal.objects.exists()


# --- Attendance ----------------------------------------------------------------------------


@pytest.fixture
def llo(forums):
    """The LLO seat of Samarbejdsforum: its holder and its one substitute."""
    holder = member_of("samarbejdsforum", "llo@example.org", organisation__short_name="LLO")
    substitute = PersonFactory(name="Sara Suppleant", email="suppleant.llo@example.org")
    MembershipFactory(
        person=substitute,
        forum=forums["samarbejdsforum"],
        seat=seat("samarbejdsforum", organisation__short_name="LLO"),
        role=Membership.Role.SUBSTITUTE,
    )
    assert seat("samarbejdsforum", organisation__short_name="LLO").max_substitutes == 1
    return holder, substitute


def test_a_member_registers_absence_with_a_substitute_of_their_seat_and_the_secretariat_sees_it(
    llo, meeting, secretariat_client
):
    holder, substitute = llo
    response = login(holder).post(
        f"/moeder/{meeting.pk}/fremmoede/",
        {"status": "absent", "substitute": substitute.pk, "note": "Ferie"},
        follow=True,
    )
    assert flashes(response) == [danish("Your attendance is registered.")]
    attendance = Attendance.objects.get()
    assert (attendance.person, attendance.status, attendance.substitute, attendance.note) == (
        holder.person,
        "absent",
        substitute,
        "Ferie",
    )
    assert AuditEntry.objects.get(action="attendance.register").data == {
        "person": holder.person.pk,
        "status": "absent",
    }

    workspace = secretariat_client.get(f"/sekretariat/moeder/{meeting.pk}/").content.decode()
    row = workspace.split(f'<th scope="row">{escape(holder.person.name)}</th>', 1)[1]
    answer = row.split("</td>", 1)[0]
    assert escape(danish("Absent (afbud)")) in answer and "Sara Suppleant" in answer
    assert escape("»Ferie«") in answer


def test_a_substitute_of_another_seat_is_refused(llo, forums, meeting):
    holder, _substitute = llo
    other = PersonFactory(name="Bent Suppleant", email="suppleant.bl@example.org")
    MembershipFactory(
        person=other,
        forum=forums["samarbejdsforum"],
        seat=seat("samarbejdsforum", organisation__short_name="BL 1. kreds"),
        role=Membership.Role.SUBSTITUTE,
    )

    response = login(holder).post(
        f"/moeder/{meeting.pk}/fremmoede/", {"status": "absent", "substitute": other.pk}
    )
    assert response.status_code == 302
    with pytest.raises(DomainError) as refused:
        services.attendance_register(
            actor=holder, meeting=meeting, person=holder.person, status="absent", substitute=other
        )
    assert refused.value.message_dict == {
        "substitute": [danish("%(name)s is not a substitute for this seat.", name="Bent Suppleant")]
    }
    assert not Attendance.objects.exists()
    assert not AuditEntry.objects.filter(action="attendance.register").exists()


def test_attendance_is_refused_once_the_meeting_has_started(llo, meeting):
    holder, substitute = llo
    with time_machine.travel(meeting.starts_at + timedelta(minutes=1), tick=False):
        response = login(holder).post(
            f"/moeder/{meeting.pk}/fremmoede/",
            {"status": "absent", "substitute": substitute.pk},
            follow=True,
        )
        assert flashes(response) == [
            danish("Attendance can be registered until the meeting starts.")
        ]
        with pytest.raises(DomainError):
            services.attendance_register(
                actor=holder, meeting=meeting, person=holder.person, status="attending"
            )
    assert not Attendance.objects.exists()
