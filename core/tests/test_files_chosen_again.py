"""A form that cannot be saved says plainly that the chosen files must be chosen again
(core.forms.FilesChosenAgainMixin): browsers never re-fill a file input."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from core.forms import FILES_CHOSEN_AGAIN, files_chosen_again
from forums.models import Organisation
from meetings.models import Attachment, Proposal
from meetings.tests.factories import schedule

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def private_media(settings, tmp_path) -> Path:
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    return tmp_path


def danish_message() -> str:
    with translation.override("da"):
        return escape(str(FILES_CHOSEN_AGAIN))


def proposal(client: Client, meeting, *, title: str, with_file: bool, files: int = 1):
    data = {
        "title": title,
        "description": "Drøftelse.",
        "treatment": "discussion",
        "responsible": Organisation.objects.get(short_name="TMF").pk,
    }
    if with_file:
        data["files"] = [
            SimpleUploadedFile(f"notat-{n}.pdf", PDF, content_type="application/pdf")
            for n in range(files)
        ]
    return client.post(f"/moeder/{meeting.pk}/forslag/ny/", data)


def test_a_proposal_with_an_error_says_its_files_must_be_chosen_again(
    forums, member_client, private_media
):
    meeting = schedule(forums["samarbejdsforum"], days_ahead=28)
    response = proposal(member_client, meeting, title="", with_file=True)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["files"] == [str(FILES_CHOSEN_AGAIN)]
    assert "title" in form.errors
    html = response.content.decode()
    assert danish_message() in html
    assert "Drøftelse.</textarea>" in html  # what was typed is kept
    assert not Proposal.objects.exists() and not Attachment.objects.exists()
    assert not [p for p in private_media.rglob("*") if p.is_file()]


def test_no_file_message_when_no_file_was_chosen(forums, member_client, private_media):
    meeting = schedule(forums["samarbejdsforum"], days_ahead=28)
    response = proposal(member_client, meeting, title="", with_file=False)
    assert response.status_code == 200
    assert "files" not in response.context["form"].errors
    assert danish_message() not in response.content.decode()


def test_more_than_one_chosen_file_is_asked_for_in_the_plural(forums, member_client, private_media):
    meeting = schedule(forums["samarbejdsforum"], days_ahead=28)
    response = proposal(member_client, meeting, title="", with_file=True, files=2)
    assert response.status_code == 200
    with translation.override("da"):
        plural = files_chosen_again(2)
    assert plural.startswith("Vælg filerne igen")
    assert response.context["form"].errors["files"] == [plural]
    assert escape(plural) in response.content.decode()
    assert not Proposal.objects.exists() and not Attachment.objects.exists()
