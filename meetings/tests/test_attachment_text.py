"""The search finds the text of PDF and office attachments (issue 14 §2).

Each attachment's text is read once, by a Celery task queued after the upload commits
(meetings.attachment_text, in a child process with a time and a length cap); a broken file
gives no text and a log line, never an error. An attachment is as visible in the search as
on the pages: a closed item's attachment is never public."""

import io
import logging
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from forums.models import Organisation
from meetings import attachments as attachment_services
from meetings import services
from meetings.attachment_text import DOCX, ODT, PDF, PPTX, XLSX
from meetings.attachments import attachment_store, attachment_text_extract
from meetings.deadlines import TZ
from meetings.models import AgendaItem, Attachment
from meetings.pdf import html_to_pdf
from meetings.tests.factories import schedule
from search.models import SearchDocument
from search.selectors import search, search_scope

pytestmark = pytest.mark.django_db

SCHEDULED = datetime(2026, 12, 1, 9, 0, tzinfo=TZ)
AGENDA_SENT = datetime(2027, 4, 20, 9, 0, tzinfo=TZ)
MEETING_DAY = date(2027, 5, 12)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")


# --- Real files of each kind, written by the libraries people's programs use ---------------


def pdf_with(text: str) -> bytes:
    return html_to_pdf(
        f"<html lang='da'><body><p>Bilag til punktet.</p><p>{text}</p></body></html>"
    )


def docx_with(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Notat til forummet")
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_with(text: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Budget", 125000])
    workbook.active.append([text])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def pptx_with(text: str) -> bytes:
    from pptx import Presentation

    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[1])
    slide.shapes.title.text = "Oplæg"
    slide.placeholders[1].text = text
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def odt_with(text: str) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    document.text.addElement(P(text="Referat"))
    document.text.addElement(P(text=text))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


KINDS = [
    ("notat.pdf", pdf_with, PDF),
    ("notat.docx", docx_with, DOCX),
    ("budget.xlsx", xlsx_with, XLSX),
    ("oplaeg.pptx", pptx_with, PPTX),
    ("referat.odt", odt_with, ODT),
]


@pytest.fixture
def item(forums, secretariat_user):
    with time_machine.travel(SCHEDULED, tick=False):
        meeting = schedule(forums["partnerskabsforum"], day=MEETING_DAY, actor=secretariat_user)
        return services.agenda_item_save(
            actor=secretariat_user,
            item=AgendaItem(meeting=meeting),
            title="Boligsocial helhedsplan",
            presentation="Sagsfremstilling.",
            responsible=Organisation.objects.get(short_name="TMF"),
        )


def store(item, user, name: str, content: bytes, capture) -> Attachment:
    with capture(execute=True):
        attachment = attachment_store(
            upload=SimpleUploadedFile(name, content), user=user, item=item
        )
    attachment.refresh_from_db()
    return attachment


@pytest.mark.parametrize(("name", "make", "content_type"), KINDS)
def test_the_text_of_a_pdf_or_office_attachment_is_stored_for_the_search(
    name, make, content_type, item, secretariat_user, django_capture_on_commit_callbacks
):
    attachment = store(
        item,
        secretariat_user,
        name,
        make("Tingbjerg-helhedsplan 2027"),
        django_capture_on_commit_callbacks,
    )

    assert attachment.content_type == content_type
    assert "Tingbjerg-helhedsplan 2027" in attachment.text
    assert attachment.text_of == attachment.file.name
    document = SearchDocument.objects.get(ref=f"meetings.attachment:{attachment.pk}")
    assert (document.kind, document.title, document.url) == (
        "attachment",
        name,
        reverse("meetings:attachment", kwargs={"pk": attachment.pk}),
    )
    assert "Tingbjerg-helhedsplan" in document.body


def test_the_text_is_read_only_after_the_upload_commits(
    item, secretariat_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        attachment = attachment_store(
            upload=SimpleUploadedFile("notat.docx", docx_with("Efter commit")),
            user=secretariat_user,
            item=item,
        )
        attachment.refresh_from_db()
        assert attachment.text == "" and attachment.text_of == ""

    assert len(callbacks) == 1
    callbacks[0]()
    attachment.refresh_from_db()
    assert "Efter commit" in attachment.text


def test_an_attachment_is_read_once_and_again_only_when_its_file_changes(
    item, secretariat_user, django_capture_on_commit_callbacks, monkeypatch
):
    attachment = store(
        item,
        secretariat_user,
        "notat.docx",
        docx_with("Første udgave"),
        django_capture_on_commit_callbacks,
    )
    reads = []
    original = attachment_services.extract_text_isolated
    monkeypatch.setattr(
        attachment_services,
        "extract_text_isolated",
        lambda *a, **kw: reads.append(1) or original(*a, **kw),
    )

    assert attachment_text_extract(attachment_id=attachment.pk) is False
    assert reads == []

    # The row now holds another file (as if replaced in place): it is read again.
    other = store(
        item,
        secretariat_user,
        "andet.docx",
        docx_with("Anden udgave"),
        django_capture_on_commit_callbacks,
    )
    reads.clear()
    Attachment.objects.filter(pk=attachment.pk).update(file=other.file.name)

    assert attachment_text_extract(attachment_id=attachment.pk) is True
    attachment.refresh_from_db()
    assert reads == [1]
    assert "Anden udgave" in attachment.text and attachment.text_of == other.file.name


def test_a_broken_file_gives_empty_text_and_a_log_line_and_the_agenda_keeps_it(
    item, secretariat_user, django_capture_on_commit_callbacks, caplog
):
    broken = b"%PDF-1.4\n1 0 obj<<>>endobj\n" + b"\x00\xff" * 200  # a PDF by its head only
    with caplog.at_level(logging.WARNING, logger="meetings.attachment_text"):
        attachment = store(
            item, secretariat_user, "ødelagt.pdf", broken, django_capture_on_commit_callbacks
        )

    assert Attachment.objects.filter(pk=attachment.pk, item=item).exists()
    assert (attachment.text, attachment.text_of) == ("", attachment.file.name)
    assert any(
        "No text from attachment" in r.getMessage() and "ødelagt.pdf" in r.getMessage()
        for r in caplog.records
    )
    assert not SearchDocument.objects.filter(ref=f"meetings.attachment:{attachment.pk}").exists()


def test_a_file_that_takes_longer_than_the_time_limit_gives_empty_text(
    item, secretariat_user, django_capture_on_commit_callbacks, caplog, settings
):
    settings.ATTACHMENT_TEXT_TIMEOUT_SECONDS = 0.01  # less than starting Python takes
    with caplog.at_level(logging.WARNING, logger="meetings.attachment_text"):
        attachment = store(
            item,
            secretariat_user,
            "notat.docx",
            docx_with("Langsom"),
            django_capture_on_commit_callbacks,
        )

    assert attachment.text == ""
    assert any("took over" in r.getMessage() for r in caplog.records)


def test_the_text_is_cut_at_the_length_limit(
    item, secretariat_user, django_capture_on_commit_callbacks, settings
):
    settings.ATTACHMENT_TEXT_MAX_CHARS = 40
    attachment = store(
        item,
        secretariat_user,
        "langt.docx",
        docx_with("ord " * 1000),
        django_capture_on_commit_callbacks,
    )

    assert 0 < len(attachment.text) <= 40


def test_an_image_is_not_read(item, secretariat_user, django_capture_on_commit_callbacks):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        attachment_store(
            upload=SimpleUploadedFile("kort.png", png), user=secretariat_user, item=item
        )

    assert callbacks == []


# --- Visibility: the attachment follows its item ----------------------------------------------

MARKER = "HEMMELIGBILAG"
OPEN_WORD = "Fællesbilag"


@pytest.fixture
def sent_agenda(forums, secretariat_user, django_capture_on_commit_callbacks):
    """A Partnerskabsforum agenda (public once sent) with an open and a closed item, each
    with a PDF attachment; the closed one's text holds MARKER. Sent."""
    capture = django_capture_on_commit_callbacks
    tmf = Organisation.objects.get(short_name="TMF")
    with time_machine.travel(SCHEDULED, tick=False), capture(execute=True):
        meeting = schedule(forums["partnerskabsforum"], day=MEETING_DAY, actor=secretariat_user)
        found = {}
        for closed, text in ((False, f"{OPEN_WORD} om tryghed"), (True, f"{MARKER} lejesag")):
            item = services.agenda_item_save(
                actor=secretariat_user,
                item=AgendaItem(meeting=meeting),
                title="Lukket punkt" if closed else "Åbent punkt",
                presentation="Sagsfremstilling.",
                responsible=tmf,
                is_closed=closed,
            )
            found[closed] = attachment_store(
                upload=SimpleUploadedFile(
                    "lejesag.pdf" if closed else "tryghed.pdf", pdf_with(text)
                ),
                user=secretariat_user,
                item=item,
            )
    with time_machine.travel(AGENDA_SENT, tick=False), capture(execute=True):
        services.agenda_send(actor=secretariat_user, meeting=meeting, grace_minutes=0)
    return {"meeting": meeting, "open": found[False], "closed": found[True]}


def hits(user, query: str) -> list[str]:
    with time_machine.travel(AGENDA_SENT, tick=False):
        return [h.document.ref for h in search(query=query, scope=search_scope(user)).hits]


def test_a_closed_items_attachment_text_is_never_found_by_the_public(
    sent_agenda, member_user, secretariat_user, client
):
    closed_ref = f"meetings.attachment:{sent_agenda['closed'].pk}"

    assert hits(AnonymousUser(), MARKER.lower()) == []
    assert hits(secretariat_user, MARKER.lower()) == [closed_ref]
    with time_machine.travel(AGENDA_SENT, tick=False):
        page = client.get(reverse("search:search"), {"q": MARKER})
    assert page.status_code == 200
    body = page.content.decode()
    assert "lejesag.pdf" not in body and "lejesag" not in body  # the name, the snippet
    assert reverse("meetings:attachment", kwargs={"pk": sent_agenda["closed"].pk}) not in body


def test_an_open_items_attachment_is_found_by_the_public_with_its_name_and_link(
    sent_agenda, client
):
    attachment = sent_agenda["open"]

    assert hits(AnonymousUser(), "fællesbilag") == [f"meetings.attachment:{attachment.pk}"]
    with time_machine.travel(AGENDA_SENT, tick=False):
        page = client.get(reverse("search:search"), {"q": "fællesbilag"}).content.decode()
    assert "tryghed.pdf" in page
    assert reverse("meetings:attachment", kwargs={"pk": attachment.pk}) in page


def test_an_attachment_of_an_agenda_not_yet_sent_is_found_only_by_the_secretariat(
    item, secretariat_user, member_user, django_capture_on_commit_callbacks
):
    attachment = store(
        item,
        secretariat_user,
        "udkast.docx",
        docx_with("Kladdebilag"),
        django_capture_on_commit_callbacks,
    )
    ref = f"meetings.attachment:{attachment.pk}"

    assert hits(AnonymousUser(), "kladdebilag") == []
    assert hits(member_user, "kladdebilag") == []
    assert hits(secretariat_user, "kladdebilag") == [ref]


def test_an_upload_whose_task_was_lost_is_read_by_the_sweep_once(
    item, secretariat_user, django_capture_on_commit_callbacks
):
    uploaded = datetime(2027, 1, 4, 9, 0, tzinfo=TZ)
    lost = django_capture_on_commit_callbacks(execute=False)  # the broker was down
    with time_machine.travel(uploaded, tick=False), lost:
        attachment = attachment_store(
            upload=SimpleUploadedFile("notat.docx", docx_with("Tabt opgave")),
            user=secretariat_user,
            item=item,
        )
    catch_up = attachment_services.attachment_text_catch_up

    assert catch_up(now=uploaded + timedelta(minutes=5)) == {}  # its own task may still run
    attachment.refresh_from_db()
    assert attachment.text == ""
    reports = [catch_up(now=uploaded + timedelta(minutes=11)) for _ in range(2)]
    assert reports == [{"queued": 1}, {}]
    attachment.refresh_from_db()
    assert "Tabt opgave" in attachment.text
    assert SearchDocument.objects.filter(ref=f"meetings.attachment:{attachment.pk}").exists()
