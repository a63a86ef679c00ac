"""Attachments are removed, replaced and reordered by the secretariat, and by the proposer
until the proposal closes; an attachment that went out with a sent agenda version stays in
that version's history (its listing and its download)."""

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from core.errors import DomainError
from core.models import AuditEntry
from forums.models import Organisation
from meetings import services
from meetings.models import AgendaItem, Attachment
from meetings.tests.factories import schedule
from meetings.tests.test_public import pdf_text

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path) -> Path:
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return Path(settings.PRIVATE_MEDIA_ROOT)


def danish(msgid: str, **params) -> str:
    with translation.override("da"):
        text = gettext(msgid)
        return text % params if params else text


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, "application/pdf")


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def meeting(forums):
    return schedule(forums["samarbejdsforum"], days_ahead=60)


@pytest.fixture
def item(meeting, secretariat_user):
    return services.agenda_item_save(
        actor=secretariat_user,
        item=AgendaItem(meeting=meeting),
        title="Fleksibel udlejning",
        treatment="discussion",
        responsible=Organisation.objects.get(short_name="TMF"),
        files=[pdf("a.pdf"), pdf("b.pdf"), pdf("c.pdf")],
    )


def names(owner) -> list[str]:
    return [a.name for a in owner.attachments.all()]


def send(meeting, actor, callbacks, note=""):
    with callbacks(execute=True):
        return services.agenda_send(actor=actor, meeting=meeting, change_note=note)


def snapshot_names(version, title="Fleksibel udlejning") -> list[str]:
    entry = next(i for i in version.items if i["title"] == title)
    return [a["name"] for a in entry["attachments"]]


def test_a_removed_attachment_that_went_out_stays_in_the_sent_versions_history(
    item,
    meeting,
    secretariat_user,
    member_user,
    secretariat_client,
    django_capture_on_commit_callbacks,
):
    first = send(meeting, secretariat_user, django_capture_on_commit_callbacks)
    removed = item.attachments.get(name="b.pdf")

    response = secretariat_client.post(f"/bilag/{removed.pk}/fjern/", {"confirm": "1"})
    assert response.status_code == 302
    assert names(item) == ["a.pdf", "c.pdf"]
    kept = Attachment.all_objects.get(pk=removed.pk)
    assert kept.removed_at is not None and kept.file.storage.exists(kept.file.name)
    assert AuditEntry.objects.get(action="attachment.remove").data == {
        "attachment": removed.pk,
        "name": "b.pdf",
    }

    second = send(meeting, secretariat_user, django_capture_on_commit_callbacks, "Bilag fjernet.")
    assert snapshot_names(second) == ["a.pdf", "c.pdf"]
    assert snapshot_names(first) == ["a.pdf", "b.pdf", "c.pdf"]
    member = login(member_user)
    assert "b.pdf" in member.get(f"/moeder/{meeting.pk}/dagsorden/1/").content.decode()
    assert member.get(f"/bilag/{removed.pk}/").status_code == 200


def test_an_attachment_that_never_went_out_is_deleted_with_its_file(
    item, secretariat_user, private_media
):
    removed = item.attachments.get(name="b.pdf")
    stored = removed.file.name
    services.attachment_remove(actor=secretariat_user, attachment=removed)
    assert not Attachment.all_objects.filter(pk=removed.pk).exists()
    assert not (private_media / stored).exists()
    assert names(item) == ["a.pdf", "c.pdf"]


def test_a_replacement_takes_the_old_files_place_and_the_sent_version_keeps_the_old_one(
    item, meeting, secretariat_user, secretariat_client, django_capture_on_commit_callbacks
):
    first = send(meeting, secretariat_user, django_capture_on_commit_callbacks)
    old = item.attachments.get(name="b.pdf")
    response = secretariat_client.post(f"/bilag/{old.pk}/erstat/", {"file": pdf("b-rettet.pdf")})
    assert response.status_code == 302
    assert names(item) == ["a.pdf", "b-rettet.pdf", "c.pdf"]
    assert Attachment.all_objects.get(pk=old.pk).removed_at is not None
    new = item.attachments.get(name="b-rettet.pdf")
    assert AuditEntry.objects.get(action="attachment.replace").data == {
        "attachment": old.pk,
        "by": new.pk,
        "name": "b-rettet.pdf",
    }
    assert snapshot_names(first) == ["a.pdf", "b.pdf", "c.pdf"]


def test_a_replacement_of_a_kind_we_do_not_accept_is_refused_at_the_field(item, secretariat_client):
    old = item.attachments.get(name="b.pdf")
    response = secretariat_client.post(
        f"/bilag/{old.pk}/erstat/",
        {"file": SimpleUploadedFile("virus.exe", b"MZ\x90\x00" * 64, "application/pdf")},
    )
    assert response.status_code == 200
    assert "virus.exe" in response.content.decode()
    assert 'class="invalid-feedback' in response.content.decode()
    assert names(item) == ["a.pdf", "b.pdf", "c.pdf"]
    assert not AuditEntry.objects.filter(action="attachment.replace").exists()


def test_the_secretariat_reorders_attachments_and_the_next_version_keeps_the_order(
    item, meeting, secretariat_user, secretariat_client, django_capture_on_commit_callbacks
):
    c = item.attachments.get(name="c.pdf")
    assert secretariat_client.post(f"/bilag/{c.pk}/op/").status_code == 302
    assert names(item) == ["a.pdf", "c.pdf", "b.pdf"]
    a = item.attachments.get(name="a.pdf")
    secretariat_client.post(f"/bilag/{a.pk}/ned/")
    assert names(item) == ["c.pdf", "a.pdf", "b.pdf"]
    assert AuditEntry.objects.filter(action="attachment.move").count() == 2
    version = send(meeting, secretariat_user, django_capture_on_commit_callbacks)
    assert snapshot_names(version) == ["c.pdf", "a.pdf", "b.pdf"]


def test_the_first_attachment_cannot_move_further_up(item, secretariat_user):
    with pytest.raises(DomainError) as refused:
        services.attachment_shift(
            actor=secretariat_user, attachment=item.attachments.first(), step=-1
        )
    assert refused.value.messages == [danish("The attachment cannot move further.")]
    assert names(item) == ["a.pdf", "b.pdf", "c.pdf"]


@pytest.fixture
def proposal(meeting, member_user):
    return services.proposal_submit(
        actor=member_user,
        meeting=meeting,
        title="Tryghed i Tingbjerg",
        description="Oplæg.",
        treatment="discussion",
        files=[pdf("notat.pdf"), pdf("bilag.pdf")],
    )


def test_the_proposer_changes_attachments_while_the_proposal_is_open(proposal, member_user):
    first = proposal.attachments.get(name="notat.pdf")
    client = login(member_user)
    assert client.get(f"/bilag/{first.pk}/erstat/").status_code == 200
    client.post(f"/bilag/{first.pk}/ned/")
    assert names(proposal) == ["bilag.pdf", "notat.pdf"]
    client.post(f"/bilag/{first.pk}/fjern/", {"confirm": "1"})
    assert names(proposal) == ["bilag.pdf"]
    assert AuditEntry.objects.filter(action="attachment.remove", actor=member_user).exists()


def test_the_proposer_cannot_change_attachments_once_proposals_close(
    proposal, meeting, member_user
):
    first = proposal.attachments.get(name="notat.pdf")
    with time_machine.travel(meeting.proposals_close_at + timedelta(minutes=1), tick=False):
        with pytest.raises(DomainError):
            services.attachment_remove(actor=member_user, attachment=first)
        client = login(member_user)
        response = client.post(f"/bilag/{first.pk}/fjern/", {"confirm": "1"})
    assert response.status_code == 302
    assert names(proposal) == ["notat.pdf", "bilag.pdf"]
    assert not AuditEntry.objects.filter(action="attachment.remove").exists()


def test_the_proposer_cannot_change_attachments_once_the_proposal_is_on_the_agenda(
    proposal, secretariat_user, member_user
):
    services.proposal_accept(actor=secretariat_user, proposal=proposal)
    first = Attachment.objects.get(name="notat.pdf")
    with pytest.raises(DomainError):
        services.attachment_shift(actor=member_user, attachment=first, step=1)
    assert login(member_user).get(f"/bilag/{first.pk}/erstat/").status_code == 403


def test_another_member_cannot_change_the_proposers_attachments(proposal, forums):
    from forums.tests.factories import MembershipFactory, PersonFactory, UserFactory, seat

    user = UserFactory(email="anden@example.org")
    MembershipFactory(
        person=PersonFactory(user=user),
        forum=forums["samarbejdsforum"],
        seat=seat("samarbejdsforum", organisation__short_name="LLO"),
    )
    first = proposal.attachments.get(name="notat.pdf")
    with pytest.raises(DomainError):
        services.attachment_remove(actor=user, attachment=first)
    assert names(proposal) == ["notat.pdf", "bilag.pdf"]


def test_the_attachments_of_a_cancelled_meeting_cannot_change(item, meeting, secretariat_user):
    services.meeting_cancel(actor=secretariat_user, meeting=meeting, reason="Aflyst")
    item.refresh_from_db()
    with pytest.raises(DomainError):
        services.attachment_remove(actor=secretariat_user, attachment=item.attachments.first())
    assert names(item) == ["a.pdf", "b.pdf", "c.pdf"]


def test_the_proposer_cannot_change_attachments_of_a_withdrawn_proposal(proposal, member_user):
    services.proposal_withdraw(actor=member_user, proposal=proposal)
    first = proposal.attachments.get(name="notat.pdf")
    with pytest.raises(DomainError):
        services.attachment_remove(actor=member_user, attachment=first)
    assert names(proposal) == ["notat.pdf", "bilag.pdf"]


def test_removing_an_attachment_keeps_the_file_a_referral_still_uses(
    item, forums, secretariat_user, private_media
):
    target = schedule(forums["tvaerkommunal-styregruppe"], days_ahead=40)
    referred = services.item_refer(actor=secretariat_user, item=item, meeting=target)
    original = item.attachments.get(name="b.pdf")
    stored = original.file.name
    services.attachment_remove(actor=secretariat_user, attachment=original)
    assert not Attachment.all_objects.filter(pk=original.pk).exists()
    assert (private_media / stored).exists()
    assert referred.attachments.get(name="b.pdf").file.name == stored


def test_a_replacement_counts_against_the_limits_without_the_file_it_replaces(
    item, secretariat_user, settings
):
    settings.ATTACHMENTS_MAX_FILES = 3  # the item holds 3: a replacement still fits
    settings.ATTACHMENTS_MAX_TOTAL_MB = 1
    old = item.attachments.get(name="b.pdf")
    services.attachment_replace(actor=secretariat_user, attachment=old, upload=pdf("b2.pdf"))
    big = SimpleUploadedFile("stor.pdf", PDF + b"0" * (1024 * 1024), "application/pdf")
    with pytest.raises(DomainError) as refused:
        services.attachment_replace(
            actor=secretariat_user, attachment=item.attachments.get(name="c.pdf"), upload=big
        )
    assert list(refused.value.message_dict) == ["file"]
    assert names(item) == ["a.pdf", "b2.pdf", "c.pdf"]


def test_a_removed_attachment_cannot_be_changed_again(
    item, meeting, secretariat_user, django_capture_on_commit_callbacks
):
    send(meeting, secretariat_user, django_capture_on_commit_callbacks)
    removed = item.attachments.get(name="b.pdf")
    services.attachment_remove(actor=secretariat_user, attachment=removed)
    with pytest.raises(DomainError):
        services.attachment_replace(actor=secretariat_user, attachment=removed, upload=pdf("x.pdf"))
    assert names(item) == ["a.pdf", "c.pdf"]
    assert AuditEntry.objects.filter(action="attachment.remove").count() == 1


@pytest.fixture
def same_named(meeting, secretariat_user):
    """An item with »a.pdf« and two files named »notat.pdf«, as after a replacement."""
    return services.agenda_item_save(
        actor=secretariat_user,
        item=AgendaItem(meeting=meeting),
        title="Boligsocial indsats",
        treatment="discussion",
        responsible=Organisation.objects.get(short_name="TMF"),
        files=[pdf("a.pdf"), pdf("notat.pdf"), pdf("notat.pdf")],
    )


def visible_labels(html: str, pks) -> list[str]:
    """The text of each attachment's link, by attachment id."""
    return [html.split(f'href="/bilag/{pk}/">', 1)[1].split("</a>", 1)[0] for pk in pks]


def test_same_named_attachments_get_distinct_labels_on_the_workspace_and_the_agenda(
    same_named, meeting, secretariat_user, member_user, django_capture_on_commit_callbacks
):
    pks = list(same_named.attachments.values_list("pk", flat=True))
    expected = [
        "a.pdf",
        danish("Attachment %(number)d: %(name)s", number=2, name="notat.pdf"),
        danish("Attachment %(number)d: %(name)s", number=3, name="notat.pdf"),
    ]
    assert expected[1].startswith("Bilag 2")
    workspace = login(secretariat_user).get(f"/sekretariat/moeder/{meeting.pk}/").content.decode()
    assert visible_labels(workspace, pks) == expected
    # The buttons' accessible names carry the label too.
    assert f'{danish("Remove")}<span class="visually-hidden"> {expected[2]}</span>' in workspace

    version = send(meeting, secretariat_user, django_capture_on_commit_callbacks)
    agenda = login(member_user).get(f"/moeder/{meeting.pk}/dagsorden/1/").content.decode()
    assert visible_labels(agenda, pks) == expected
    version.refresh_from_db()
    with version.pdf.open("rb") as handle:
        text = pdf_text(handle.read())
    assert expected[1] in text and expected[2] in text


def test_removing_an_attachment_goes_through_a_confirmation_page_that_names_it(
    item, secretariat_user
):
    b = item.attachments.get(name="b.pdf")
    client = login(secretariat_user)
    page = client.get(f"/bilag/{b.pk}/fjern/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "b.pdf" in html.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert 'name="confirm" value="1"' in html
    assert client.post(f"/bilag/{b.pk}/fjern/").status_code == 200  # no confirm: only shown
    assert names(item) == ["a.pdf", "b.pdf", "c.pdf"]
    assert not AuditEntry.objects.filter(action="attachment.remove").exists()

    response = client.post(f"/bilag/{b.pk}/fjern/", {"confirm": "1"})
    assert response.status_code == 302
    assert names(item) == ["a.pdf", "c.pdf"]
    assert AuditEntry.objects.get(action="attachment.remove").data["name"] == "b.pdf"


def test_the_agenda_item_edit_page_lists_its_attachments_with_their_actions(item, secretariat_user):
    html = login(secretariat_user).get(f"/sekretariat/punkter/{item.pk}/rediger/").content.decode()
    section = html.split('id="item-attachments-heading"', 1)[1]
    for attachment in item.attachments.all():
        assert f'href="/bilag/{attachment.pk}/">{attachment.name}</a>' in section
        assert f'href="/bilag/{attachment.pk}/fjern/"' in section
        assert f'href="/bilag/{attachment.pk}/erstat/"' in section


def test_up_and_down_look_enabled_and_the_first_and_last_lack_the_move_they_cannot_make(
    item, meeting, secretariat_user
):
    first, middle, last = item.attachments.all()
    html = login(secretariat_user).get(f"/sekretariat/moeder/{meeting.pk}/").content.decode()
    assert f"/bilag/{first.pk}/op/" not in html and f"/bilag/{last.pk}/ned/" not in html
    for pk in (middle.pk, last.pk):
        form = html.split(f'action="/bilag/{pk}/op/"', 1)[1].split("</form>", 1)[0]
        assert "btn-outline-secondary" in form and "btn-link" not in form
        assert "disabled" not in form
    for pk in (first.pk, middle.pk):
        form = html.split(f'action="/bilag/{pk}/ned/"', 1)[1].split("</form>", 1)[0]
        assert "btn-outline-secondary" in form and "btn-link" not in form
    # The agenda's items alike: the first offers no »Up«, the last no »Down«, none disabled.
    items = list(meeting.items.order_by("position"))
    assert f"/sekretariat/punkter/{items[0].pk}/op/" not in html
    assert f"/sekretariat/punkter/{items[-1].pk}/ned/" not in html
    moves = html.split(f'action="/sekretariat/punkter/{items[-1].pk}/op/"', 1)[1]
    assert "disabled" not in moves.split("</form>", 1)[0]
