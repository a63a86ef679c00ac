"""A PDF e-mailed to the members (the approved minutes, the agenda) is attached when it is at
most MINUTES_PDF_ATTACH_MAX_MB, and linked otherwise — a link to the members' page, never a
secret (issue 13 §6: "the approval e-mail attaches the final PDF, or links it when it is
large")."""

from datetime import datetime

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from meetings import services as meeting_services
from meetings.deadlines import TZ
from meetings.tests.factories import schedule
from minutes.models import MinutesVersion
from minutes.tests.test_approval import SF_DAY, SF_SENT, approve, send, stored
from notifications.models import OutboxMessage
from notifications.services import attachment_fits

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
APPROVED = datetime(2027, 3, 30, 0, 5, tzinfo=TZ)


def danish(msgid: str) -> str:
    with translation.override("da"):
        return gettext(msgid)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)


def test_a_file_fits_up_to_and_including_the_limit(settings):
    settings.MINUTES_PDF_ATTACH_MAX_MB = 5
    assert attachment_fits(5 * MB)
    assert not attachment_fits(5 * MB + 1)
    settings.MINUTES_PDF_ATTACH_MAX_MB = 0.5
    assert attachment_fits(MB // 2) and not attachment_fits(MB // 2 + 1)


def test_the_default_limit_is_5_mb():
    assert django_settings.MINUTES_PDF_ATTACH_MAX_MB == 5


def approved_minutes(forums, secretariat_user, capture):
    with capture(execute=True):
        minutes = send(forums["samarbejdsforum"], secretariat_user, day=SF_DAY, sent=SF_SENT)
    mail.outbox.clear()
    approve(minutes, capture, APPROVED)
    return minutes, MinutesVersion.objects.get(minutes=minutes, is_final=True)


def test_the_approval_email_attaches_the_final_pdf_when_it_is_within_the_limit(
    forums, member_user, secretariat_user, django_capture_on_commit_callbacks
):
    minutes, final = approved_minutes(forums, secretariat_user, django_capture_on_commit_callbacks)
    assert final.pdf.size <= 5 * MB  # the default limit

    message = OutboxMessage.objects.get(kind="minutes_approved", recipient=member_user.email)
    attachment = message.attachments.get()
    assert attachment.filename == "referat-2027-03-10-endelig.pdf"
    assert attachment.mimetype == "application/pdf"
    assert bytes(attachment.content) == stored(final.pdf)
    assert danish("The final minutes are attached as PDF.") in message.body_text
    member_page = f"{django_settings.SITE_URL}/moeder/{minutes.meeting_id}/referat/"
    assert member_page in message.body_text
    assert message.status == OutboxMessage.Status.SENT
    sent = [m for m in mail.outbox if m.to == [member_user.email]]
    assert [a[0] for a in sent[0].attachments] == ["referat-2027-03-10-endelig.pdf"]


def test_the_approval_email_links_the_members_page_when_the_pdf_is_over_the_limit(
    forums, member_user, secretariat_user, settings, django_capture_on_commit_callbacks
):
    settings.MINUTES_PDF_ATTACH_MAX_MB = 0.001  # about 1 KB: every rendered PDF is larger
    minutes, final = approved_minutes(forums, secretariat_user, django_capture_on_commit_callbacks)
    assert final.pdf.size > 0.001 * MB

    message = OutboxMessage.objects.get(kind="minutes_approved", recipient=member_user.email)
    assert not message.attachments.exists()
    assert danish("The final minutes are attached as PDF.") not in message.body_text
    assert "er for stor til at sende med e-mail" in message.body_text
    member_page = f"{django_settings.SITE_URL}/moeder/{minutes.meeting_id}/referat/"
    assert member_page in message.body_text
    assert f'href="{member_page}"' in message.body_html
    assert ".pdf" not in message.body_text and "token" not in message.body_text
    sent = [m for m in mail.outbox if m.to == [member_user.email]]
    assert sent and sent[0].attachments == []


def test_the_approval_email_goes_once_when_the_final_pdf_is_rendered_again(
    forums, member_user, secretariat_user, django_capture_on_commit_callbacks
):
    from minutes.services import minutes_version_distribute, minutes_version_render

    minutes, final = approved_minutes(forums, secretariat_user, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        minutes_version_render(version_id=final.pk)
        minutes_version_distribute(version_id=final.pk)
    assert OutboxMessage.objects.filter(kind="minutes_approved").count() == 1


def sent_agenda(forums, secretariat_user, capture):
    meeting = schedule(forums["samarbejdsforum"], days_ahead=40)
    with capture(execute=True):
        version = meeting_services.agenda_send(
            actor=secretariat_user, meeting=meeting, grace_minutes=0
        )
    version.refresh_from_db()
    return meeting, version


def test_the_agenda_email_attaches_the_pdf_within_the_limit(
    forums, member_user, secretariat_user, django_capture_on_commit_callbacks
):
    meeting, version = sent_agenda(forums, secretariat_user, django_capture_on_commit_callbacks)
    message = OutboxMessage.objects.get(kind="agenda_sent", recipient=member_user.email)
    # Beside the agenda pack (meetings/tests/test_agenda_pack.py), the agenda PDF itself.
    agenda = message.attachments.exclude(filename__startswith="dagsorden-med-bilag-")
    assert bytes(agenda.get().content) == stored(version.pdf)
    assert (
        danish("The agenda is attached as PDF; the attachments are on the meeting page.")
        in message.body_text
    )


def test_the_agenda_email_links_the_members_page_when_the_pdf_is_over_the_limit(
    forums, member_user, secretariat_user, settings, django_capture_on_commit_callbacks
):
    settings.MINUTES_PDF_ATTACH_MAX_MB = 0.001
    meeting, version = sent_agenda(forums, secretariat_user, django_capture_on_commit_callbacks)
    assert version.pdf.size > 0.001 * MB
    message = OutboxMessage.objects.get(kind="agenda_sent", recipient=member_user.email)
    assert not message.attachments.exclude(filename__startswith="dagsorden-med-bilag-").exists()
    assert "er for stor til at sende med e-mail" in message.body_text
    assert f"{django_settings.SITE_URL}/moeder/{meeting.pk}/medlem/" in message.body_text
