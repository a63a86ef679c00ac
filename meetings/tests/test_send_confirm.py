"""Nothing leaves by accident (issue 13 §2): sending the agenda goes through a confirmation
page that names the recipients, who of them has no address, the subject and the PDF; the
e-mails wait for a grace period (settings.SEND_GRACE_MINUTES) during which »Fortryd
udsendelse« withdraws the version before any leaves; an agenda sent before the proposal
deadline says that it closes proposals early, and members then read that proposals closed
because the agenda was sent, never a future date as if it had passed."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext

from core.errors import DomainError
from core.models import AuditEntry
from forums.models import Membership
from forums.tests.factories import MembershipFactory, PersonFactory, forum, seat
from meetings import selectors, services
from meetings.deadlines import TZ
from meetings.models import AgendaItem, AgendaVersion, Meeting, Organisation
from meetings.tasks import process_agenda_version
from meetings.tests.factories import schedule
from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 2, 1, 10, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def february_2027(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.SEND_GRACE_MINUTES = 5
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def danish(msgid: str, **params) -> str:
    with translation.override("da"):
        text = gettext(msgid)
        return text % params if params else text


@pytest.fixture
def meeting(forums, member_user, secretariat_user, django_capture_on_commit_callbacks):
    """A Samarbejdsforum meeting 40 days ahead (proposals open until D − 21), one item, and
    a member without an e-mail address next to the member who has one."""
    MembershipFactory(
        person=PersonFactory(name="Uden Adresse", email=""),
        forum=forum("samarbejdsforum"),
        seat=seat("samarbejdsforum"),
        role=Membership.Role.MEMBER,
    )
    with django_capture_on_commit_callbacks(execute=True), override_settings(SEND_GRACE_MINUTES=0):
        meeting = schedule(forums["samarbejdsforum"], day=(NOW + timedelta(days=40)).date())
    services.agenda_item_save(
        actor=secretariat_user,
        item=AgendaItem(meeting=meeting),
        title="Fleksibel udlejning",
        treatment="discussion",
        responsible=Organisation.objects.get(short_name="TMF"),
    )
    return meeting


def send(client, meeting, callbacks, **data):
    with callbacks(execute=True):
        return client.post(f"/sekretariat/moeder/{meeting.pk}/send/", data, follow=True)


def agenda_mails():
    return OutboxMessage.objects.filter(kind__in=["agenda_sent", "agenda_revised"])


# --- The confirmation page -----------------------------------------------------------------


def test_the_send_page_names_recipients_the_member_without_address_subject_and_pdf(
    meeting, member_user, secretariat_client
):
    page = secretariat_client.get(f"/sekretariat/moeder/{meeting.pk}/send/")

    text = page.content.decode()
    assert page.status_code == 200
    assert member_user.full_name in text and "Uden Adresse" in text
    assert danish("no e-mail address") in text
    assert f"{meeting.forum.name} " in text and danish("Subject of the e-mail") in text
    assert f"/sekretariat/moeder/{meeting.pk}/send/forhaandsvisning.pdf" in text
    assert danish("Send the agenda to the members") in text
    assert not AgendaVersion.objects.exists() and not agenda_mails().exists()


def test_a_post_without_the_confirm_field_only_shows_the_confirmation(
    meeting, secretariat_client, django_capture_on_commit_callbacks
):
    page = send(secretariat_client, meeting, django_capture_on_commit_callbacks)

    meeting.refresh_from_db()
    assert page.status_code == 200 and danish("Recipients") in page.content.decode()
    assert meeting.status == Meeting.Status.PLANNED and not meeting.versions.exists()
    assert not AuditEntry.objects.filter(action="agenda.send").exists()


def test_the_pdf_preview_is_the_agenda_that_would_go_out_and_stores_nothing(
    meeting, secretariat_client
):
    response = secretariat_client.get(f"/sekretariat/moeder/{meeting.pk}/send/forhaandsvisning.pdf")

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]
    assert not AgendaVersion.objects.exists()


def early_warning(meeting) -> str:
    with translation.override("da"):
        from django.utils.formats import date_format

        day = date_format(meeting.proposals_close_at.astimezone(TZ), "l j. F Y")
    return danish(
        "Proposals are open until the end of %(day)s. Sending the agenda now closes "
        "them early: members can no longer propose items.",
        day=day,
    )


def test_sending_before_the_proposal_deadline_warns_that_it_closes_proposals_early(
    meeting, secretariat_client
):
    text = secretariat_client.get(f"/sekretariat/moeder/{meeting.pk}/send/").content.decode()

    assert meeting.proposals_close_at > NOW
    assert early_warning(meeting) in text


def test_after_the_proposal_deadline_the_send_page_gives_no_early_closing_warning(
    meeting, secretariat_client, february_2027
):
    february_2027.move_to(meeting.proposals_close_at + timedelta(minutes=1))
    text = secretariat_client.get(f"/sekretariat/moeder/{meeting.pk}/send/").content.decode()

    assert early_warning(meeting) not in text


def test_members_read_that_the_agenda_closed_proposals_not_a_future_deadline(
    meeting,
    secretariat_client,
    member_client,
    member_user,
    django_capture_on_commit_callbacks,
    february_2027,
):
    send(secretariat_client, meeting, django_capture_on_commit_callbacks, confirm="1")
    february_2027.move_to(NOW + timedelta(minutes=5))  # the grace period is over

    page = member_client.get(f"/moeder/{meeting.pk}/medlem/").content.decode()
    closed = danish("The agenda has been sent; proposals can no longer be made.")
    assert closed == "Dagsordenen er udsendt; der kan ikke længere stilles forslag."
    assert closed in page
    with translation.override("da"):
        future = selectors.proposals_closed_message(
            Meeting(forum=meeting.forum, proposals_close_at=meeting.proposals_close_at)
        )
    assert future not in page  # »… lukkede ved udgangen af <a day still ahead>«
    with pytest.raises(DomainError) as refused:
        services.proposal_submit(
            actor=member_user,
            meeting=meeting,
            title="For sent",
            description="…",
            treatment="discussion",
        )
    with translation.override("da"):
        assert closed in " ".join(refused.value.messages)


# --- The grace period ------------------------------------------------------------------------


def test_within_the_grace_period_no_email_is_written_and_undo_withdraws_the_version(
    meeting, secretariat_client, secretariat_user, django_capture_on_commit_callbacks
):
    page = send(secretariat_client, meeting, django_capture_on_commit_callbacks, confirm="1")

    meeting.refresh_from_db()
    version = meeting.versions.get()
    assert version.send_after == NOW + timedelta(minutes=5)
    assert meeting.status == Meeting.Status.AGENDA_SENT
    assert meeting.agenda_sent_at == version.send_after  # the deadline engine's send time
    assert version.pdf_rendered_at and not version.distributed_at
    assert not agenda_mails().exists()
    assert danish("Undo the send") in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        undone = secretariat_client.post(
            f"/sekretariat/moeder/{meeting.pk}/send/fortryd/", follow=True
        )

    meeting.refresh_from_db()
    assert not AgendaVersion.objects.exists()
    assert meeting.status == Meeting.Status.PLANNED and meeting.agenda_sent_at is None
    assert AuditEntry.objects.filter(action="agenda.send_undo", actor=secretariat_user).count() == 1
    assert danish("Undo the send") not in undone.content.decode()
    process_agenda_version(version.pk)  # the task queued for the end of the grace period
    assert not agenda_mails().exists()


def test_the_emails_are_written_when_the_grace_period_ends_and_not_before(
    meeting, member_user, secretariat_client, django_capture_on_commit_callbacks, february_2027
):
    send(secretariat_client, meeting, django_capture_on_commit_callbacks, confirm="1")
    version = meeting.versions.get()

    february_2027.move_to(NOW + timedelta(minutes=4, seconds=59))
    process_agenda_version(version.pk)
    assert not agenda_mails().exists()

    february_2027.move_to(NOW + timedelta(minutes=5))
    process_agenda_version(version.pk)
    version.refresh_from_db()
    assert version.distributed_at
    assert list(agenda_mails().values_list("recipient", flat=True)) == [member_user.email]


def test_the_sweep_sends_a_version_whose_grace_period_ended_while_the_worker_was_down(
    meeting, secretariat_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the broker lost every task
        version = services.agenda_send(actor=secretariat_user, meeting=meeting)

    later = NOW + timedelta(hours=3)
    with time_machine.travel(later, tick=False):
        assert services.agenda_catch_up(now=later) == {"versions": 1}
    version.refresh_from_db()
    assert version.distributed_at and agenda_mails().count() == 1


def test_after_the_grace_period_undo_is_refused_and_a_correction_is_a_new_version(
    meeting, secretariat_client, secretariat_user, django_capture_on_commit_callbacks, february_2027
):
    send(secretariat_client, meeting, django_capture_on_commit_callbacks, confirm="1")
    february_2027.move_to(NOW + timedelta(minutes=6))
    process_agenda_version(meeting.versions.get().pk)

    page = secretariat_client.post(f"/sekretariat/moeder/{meeting.pk}/send/fortryd/", follow=True)

    assert meeting.versions.count() == 1 and agenda_mails().count() == 1
    assert not AuditEntry.objects.filter(action="agenda.send_undo").exists()
    assert (
        danish(
            "Version %(number)d has gone out and can no longer be undone; send a revised agenda.",
            number=1,
        )
        in page.content.decode()
    )


def test_a_second_send_is_refused_while_the_first_waits_in_its_grace_period(
    meeting, secretariat_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_send(actor=secretariat_user, meeting=meeting)
    meeting.items.update(title="Fleksibel udlejning (rettet)")

    with pytest.raises(DomainError):
        services.agenda_send(actor=secretariat_user, meeting=meeting, change_note="Rettet")
    assert meeting.versions.count() == 1


def test_a_grace_period_of_zero_sends_at_once_and_leaves_nothing_to_undo(
    meeting, secretariat_user, settings, django_capture_on_commit_callbacks
):
    settings.SEND_GRACE_MINUTES = 0
    with django_capture_on_commit_callbacks(execute=True):
        version = services.agenda_send(actor=secretariat_user, meeting=meeting)

    version.refresh_from_db()
    assert version.distributed_at and agenda_mails().count() == 1
    assert selectors.version_in_grace(meeting) is None
    with pytest.raises(DomainError):
        services.agenda_send_undo(actor=secretariat_user, version=version)
    assert AgendaVersion.objects.filter(pk=version.pk).exists()


def test_members_see_a_version_only_once_its_grace_period_has_ended(
    meeting, secretariat_client, member_client, django_capture_on_commit_callbacks, february_2027
):
    send(secretariat_client, meeting, django_capture_on_commit_callbacks, confirm="1")

    assert member_client.get(f"/moeder/{meeting.pk}/dagsorden/1/").status_code == 404
    assert member_client.get(f"/moeder/{meeting.pk}/dagsorden/1.pdf").status_code == 404
    assert member_client.get(f"/moeder/{meeting.pk}/medlem/").context["version"] is None

    february_2027.move_to(NOW + timedelta(minutes=5))
    assert member_client.get(f"/moeder/{meeting.pk}/dagsorden/1/").status_code == 200
    assert member_client.get(f"/moeder/{meeting.pk}/medlem/").context["version"].number == 1


def test_a_script_may_send_without_the_grace_period(
    meeting, secretariat_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        version = services.agenda_send(actor=secretariat_user, meeting=meeting, grace_minutes=0)

    version.refresh_from_db()
    meeting.refresh_from_db()
    assert version.send_after == NOW == meeting.agenda_sent_at
    assert version.distributed_at and agenda_mails().count() == 1


def test_the_send_page_says_before_its_button_that_the_last_version_is_still_in_its_grace_period(
    client, secretariat_user, meeting
):
    services.agenda_send(actor=secretariat_user, meeting=meeting)  # version 1, undoable
    client.force_login(secretariat_user)
    page = client.get(f"/sekretariat/moeder/{meeting.pk}/send/").content.decode()
    said = danish(
        "Version %(number)d has not gone out yet: undo it first, or wait until it has.", number=1
    )
    assert said in page
    # …and the service refuses the send with the same sentence.
    with pytest.raises(DomainError, match="Version 1"):
        services.agenda_send(actor=secretariat_user, meeting=meeting, change_note="Rettet")
