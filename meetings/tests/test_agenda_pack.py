"""The agenda pack (issue 9 §4): one PDF per agenda version with the agenda followed by every
attachment in item order, a bookmark per item and per attachment and »Side N af M« on every
page; office files converted by the real LibreOffice, once per file content; a file that
cannot be converted is a note page; the public pack leaves out closed items and their files.
The PDFs are read back with pypdf (text extraction and the outline)."""

import io
import re
import zipfile
from datetime import date, datetime, timedelta

import pytest
import time_machine
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from forums.models import Organisation
from forums.tests.factories import MembershipFactory, PersonFactory, seat
from meetings import conversion, services
from meetings.deadlines import TZ
from meetings.models import (
    AgendaItem,
    AgendaVersion,
    Attachment,
    AttachmentPdf,
    ConversionStatus,
)
from meetings.pdf import html_to_pdf
from meetings.tests.factories import schedule
from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=TZ)
MEETING_DAY = date(2027, 5, 4)  # quarter 2, more than four months ahead
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def december_2026(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.SEND_GRACE_MINUTES = 0
    with time_machine.travel(NOW, tick=False):
        yield


def danish(msgid: str) -> str:
    with translation.override("da"):
        return gettext(msgid)


def docx(text: str) -> bytes:
    """A minimal real Word document (ECMA-376) with one paragraph."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="rels" ContentType="application'
            '/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/word/document.xml" '
            f'ContentType="{DOCX}.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
            '" Target="word/document.xml"/></Relationships>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
            'openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
            f"{text}</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


def xlsx(text: str) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.add_worksheet("Budget").write(0, 0, text)
    workbook.close()
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/octet-stream")


@pytest.fixture
def partnerskabsforum(forums):
    """The forum whose agenda is public, with one member who has an e-mail address."""
    MembershipFactory(
        person=PersonFactory(name="Bente Boligsen", email="bente@bl.example"),
        forum=forums["partnerskabsforum"],
        seat=seat("partnerskabsforum"),
    )
    return forums["partnerskabsforum"]


def add_item(meeting, actor, title: str, files, *, closed: bool = False) -> AgendaItem:
    return services.agenda_item_save(
        actor=actor,
        item=AgendaItem(meeting=meeting),
        title=title,
        treatment="discussion",
        responsible=Organisation.objects.get(short_name="TMF"),
        is_closed=closed,
        files=files,
    )


@pytest.fixture
def meeting(partnerskabsforum, secretariat_user):
    meeting = schedule(partnerskabsforum, day=MEETING_DAY, actor=secretariat_user)
    add_item(
        meeting,
        secretariat_user,
        "Fleksibel udlejning",
        [
            upload("notat.pdf", html_to_pdf('<html lang="da"><p>PDFMARKER notatets tekst</p>')),
            upload("indstilling.docx", docx("DOCXMARKER indstillingens tekst")),
        ],
    )
    add_item(meeting, secretariat_user, "Budget 2027", [upload("budget.xlsx", xlsx("XLSXMARKER"))])
    add_item(
        meeting,
        secretariat_user,
        "Personalesag",
        [upload("fortroligt.docx", docx("SECRETMARKER lukket bilag"))],
        closed=True,
    )
    return meeting


def send(meeting, actor, callbacks) -> AgendaVersion:
    with callbacks(execute=True):
        version = services.agenda_send(actor=actor, meeting=meeting)
    version.refresh_from_db()
    return version


def read(field) -> PdfReader:
    with field.open("rb") as handle:
        return PdfReader(io.BytesIO(handle.read()))


def page_texts(reader: PdfReader) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def outline(reader: PdfReader) -> list:
    """The bookmarks as [(title, 0-based page), [children…]] in order."""

    def walk(entries):
        result = []
        for entry in entries:
            if isinstance(entry, list):
                result.append(walk(entry))
            else:
                result.append((entry.title, reader.get_destination_page_number(entry)))
        return result

    return walk(reader.outline)


def first_page_with(texts: list[str], marker: str) -> int:
    return next(index for index, text in enumerate(texts) if marker in text)


def page_of(texts: list[str], heading: str) -> int:
    """The agenda page with the item's heading (after the contents on the cover page)."""
    return next(index for index, text in enumerate(texts) if index and heading in text)


def test_the_pack_is_the_agenda_then_every_attachment_in_item_order_bookmarked_and_numbered(
    meeting, secretariat_user, django_capture_on_commit_callbacks
):
    version = send(meeting, secretariat_user, django_capture_on_commit_callbacks)

    assert version.pack_built_at is not None
    reader = read(version.pack)
    texts = page_texts(reader)
    total = len(texts)
    for number, text in enumerate(texts, start=1):
        assert f"Side {number} af {total}" in text
    # The agenda part has no numbering of its own (WeasyPrint's »N / M«) besides the pack's.
    assert not any(re.search(r"\b\d+ / \d+\b", text) for text in texts)
    notat, indstilling = first_page_with(texts, "PDFMARKER"), first_page_with(texts, "DOCXMARKER")
    budget, secret = first_page_with(texts, "XLSXMARKER"), first_page_with(texts, "SECRETMARKER")
    assert "Fleksibel udlejning" in texts[0]  # the agenda comes first
    assert 0 < notat < indstilling < budget < secret == total - 1
    position = {item["title"]: item["position"] for item in version.items}
    bookmarks = outline(reader)
    assert bookmarks[0] == ("Dagsorden", 0)
    start = bookmarks.index(("Punkt 3: Fleksibel udlejning", page_of(texts, "3. Fleksibel")))
    assert position["Fleksibel udlejning"] == 3  # after the forum's two standard items
    assert bookmarks[start : start + 6] == [
        ("Punkt 3: Fleksibel udlejning", page_of(texts, "3. Fleksibel udlejning")),
        [("Bilag: notat.pdf", notat), ("Bilag: indstilling.docx", indstilling)],
        ("Punkt 4: Budget 2027", page_of(texts, "4. Budget 2027")),
        [("Bilag: budget.xlsx", budget)],
        ("Punkt 5: Personalesag", page_of(texts, "5. Personalesag")),
        [("Bilag: fortroligt.docx", secret)],
    ]
    titles = [entry[0] for entry in bookmarks if isinstance(entry, tuple)]
    assert titles == ["Dagsorden"] + [f"Punkt {i['position']}: {i['title']}" for i in version.items]
    # Three office files converted by LibreOffice, cached by content; the PDF merged as is.
    assert AttachmentPdf.objects.filter(status=ConversionStatus.DONE).count() == 3
    # The whole says its language and title to a reader (not the file name).
    assert reader.trailer["/Root"]["/Lang"] == "da"
    assert bool(reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title and reader.metadata.author == "Fællesindgang"


def test_the_public_pack_leaves_out_closed_items_and_their_attachments(
    meeting, secretariat_user, django_capture_on_commit_callbacks
):
    version = send(meeting, secretariat_user, django_capture_on_commit_callbacks)

    public = read(version.public_pack)
    text = " ".join(page_texts(public))
    assert "SECRETMARKER" not in text and "Personalesag" not in text
    assert "fortroligt.docx" not in text
    assert "DOCXMARKER" in text and "XLSXMARKER" in text
    titles = [entry[0] for entry in outline(public) if isinstance(entry, tuple)]
    assert titles[-4:] == [
        "Punkt 3: Fleksibel udlejning",
        "Punkt 4: Budget 2027",
        "Punkt 5: Lukket punkt",
        "Punkt 6: Eventuelt",
    ]
    assert "SECRETMARKER" in " ".join(page_texts(read(version.pack)))  # the members' pack


def test_a_forum_with_a_members_only_agenda_gets_no_public_pack(
    forums, secretariat_user, django_capture_on_commit_callbacks
):
    meeting = schedule(forums["samarbejdsforum"], day=MEETING_DAY, actor=secretariat_user)
    add_item(meeting, secretariat_user, "Punkt", [upload("a.docx", docx("A"))])
    version = send(meeting, secretariat_user, django_capture_on_commit_callbacks)

    assert version.pack and not version.public_pack
    assert Client().get(f"/moeder/{meeting.pk}/dagsorden-med-bilag.pdf").status_code == 404


def test_an_attachment_that_cannot_be_converted_is_a_note_page_and_the_pack_is_still_built(
    meeting, secretariat_user, settings, django_capture_on_commit_callbacks
):
    settings.AGENDA_PACK_CONVERT_MEMORY_MB = 32  # LibreOffice cannot even start in 32 MB
    version = send(meeting, secretariat_user, django_capture_on_commit_callbacks)

    texts = page_texts(read(version.pack))
    note = danish("The attachment could not be converted to PDF — download it here:")
    notes = [text for text in texts if note in text]
    assert len(notes) == 3  # the DOCX, the XLSX and the closed item's DOCX
    attachment = meeting.items.get(title="Fleksibel udlejning").attachments.get(
        name="indstilling.docx"
    )
    assert f"{settings.SITE_URL}/bilag/{attachment.pk}/" in notes[0].replace(" ", "")
    assert "PDFMARKER" in " ".join(texts)  # the PDF attachment is merged as it is
    failed = AttachmentPdf.objects.filter(status=ConversionStatus.FAILED)
    assert failed.count() == 3 and all("LibreOffice" in row.error for row in failed)


def test_a_conversion_that_takes_too_long_is_stopped():
    with pytest.raises(conversion.ConversionError, match="longer than"):
        conversion.office_to_pdf(docx("Langsom"), "docx", timeout=0.01)


def test_a_converted_file_is_not_converted_again_when_the_pack_is_rebuilt(
    meeting, secretariat_user, monkeypatch, django_capture_on_commit_callbacks
):
    version = send(meeting, secretariat_user, django_capture_on_commit_callbacks)
    calls = []
    real = conversion.convert_to_pdf
    monkeypatch.setattr(
        conversion, "convert_to_pdf", lambda *args: calls.append(args) or real(*args)
    )
    AgendaVersion.objects.filter(pk=version.pk).update(pack_built_at=None, pack="")

    with django_capture_on_commit_callbacks(execute=True):
        assert services.agenda_pack_build(version_id=version.pk) == "built"

    assert calls == []
    assert list(AttachmentPdf.objects.values_list("attempts", flat=True)) == [1, 1, 1]
    version.refresh_from_db()
    assert "DOCXMARKER" in " ".join(page_texts(read(version.pack)))


def test_the_pages_say_the_pack_is_being_prepared_until_it_is_built(
    meeting, secretariat_user, other_member_user, django_capture_on_commit_callbacks
):
    member_user = other_member_user  # a member of Partnerskabsforum
    with django_capture_on_commit_callbacks(execute=False):
        version = services.agenda_send(actor=secretariat_user, meeting=meeting)
    services.agenda_version_render(version_id=version.pk)
    member = Client()
    member.force_login(member_user)
    preparing = danish("The agenda with attachments is being prepared")

    for page in (f"/moeder/{meeting.pk}/medlem/", f"/moeder/{meeting.pk}/"):
        body = (member if "medlem" in page else Client()).get(page).content.decode()
        assert preparing in body
    assert Client().get(f"/moeder/{meeting.pk}/dagsorden-med-bilag.pdf").status_code == 404
    waiting = member.get(f"/moeder/{meeting.pk}/dagsorden/1/samlet.pdf", follow=True)
    assert waiting.redirect_chain[-1][0] == f"/moeder/{meeting.pk}/medlem/"

    services.agenda_pack_build(version_id=version.pk)  # queues the conversions, which build

    version.refresh_from_db()
    assert version.pack_built_at is not None
    link = danish("The agenda with attachments (PDF)")
    assert link in member.get(f"/moeder/{meeting.pk}/medlem/").content.decode()
    assert link in Client().get(f"/moeder/{meeting.pk}/").content.decode()
    public = Client().get(f"/moeder/{meeting.pk}/dagsorden-med-bilag.pdf")
    assert "SECRETMARKER" not in " ".join(
        page_texts(PdfReader(io.BytesIO(b"".join(public.streaming_content))))
    )
    mine = member.get(f"/moeder/{meeting.pk}/dagsorden/1/samlet.pdf")
    assert "SECRETMARKER" in " ".join(
        page_texts(PdfReader(io.BytesIO(b"".join(mine.streaming_content))))
    )


def test_the_agenda_e_mail_attaches_a_small_pack_and_links_a_large_one(
    meeting, secretariat_user, settings, django_capture_on_commit_callbacks
):
    version = send(meeting, secretariat_user, django_capture_on_commit_callbacks)
    mail = OutboxMessage.objects.get(recipient="bente@bl.example", kind="agenda_sent")
    assert "dagsorden-med-bilag-" in " ".join(a.filename for a in mail.attachments.all())
    assert danish("The agenda with all attachments is attached as one PDF.") in mail.body_text

    settings.AGENDA_PACK_ATTACH_MAX_MB = version.pack.size / 1024 / 1024 * 0.99
    OutboxMessage.objects.filter(kind="agenda_sent").delete()
    services.agenda_version_distribute(version_id=version.pk)
    mail = OutboxMessage.objects.get(recipient="bente@bl.example", kind="agenda_sent")
    assert [a.filename for a in mail.attachments.all() if "med-bilag" in a.filename] == []
    assert f"/moeder/{meeting.pk}/dagsorden/1/samlet.pdf" in mail.body_text


def test_undoing_a_send_deletes_its_packs(
    meeting, secretariat_user, settings, django_capture_on_commit_callbacks
):
    settings.SEND_GRACE_MINUTES = 5
    version = send(meeting, secretariat_user, django_capture_on_commit_callbacks)
    files = [version.pack, version.public_pack]
    assert all(f.storage.exists(f.name) for f in files)

    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_send_undo(actor=secretariat_user, version=version)

    assert not any(f.storage.exists(f.name) for f in files)


def test_a_conversion_that_died_counts_as_failed_and_the_pack_is_built_with_a_note(
    meeting, secretariat_user, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        version = services.agenda_send(actor=secretariat_user, meeting=meeting)
    docx_file = meeting.items.get(title="Fleksibel udlejning").attachments.get(
        name="indstilling.docx"
    )
    # A conversion claimed long ago whose worker was killed at the hard time limit.
    row = AttachmentPdf.objects.create(
        sha256=services._sha256(docx_file.file),
        started_at=NOW - timedelta(hours=1),
        attempts=1,
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_pack_build(version_id=version.pk)  # converts the others, then builds

    row.refresh_from_db()
    assert row.status == ConversionStatus.FAILED and row.attempts == 1
    version.refresh_from_db()
    texts = page_texts(read(version.pack))
    assert "DOCXMARKER" not in " ".join(texts) and "XLSXMARKER" in " ".join(texts)


def test_the_sweep_queues_the_build_of_a_pack_a_lost_task_left_undone(
    meeting, secretariat_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        version = services.agenda_send(actor=secretariat_user, meeting=meeting)

    assert services.agenda_pack_catch_up(now=NOW + timedelta(minutes=5)) == {"packs": 0}
    assert services.agenda_pack_catch_up(now=NOW + timedelta(minutes=11)) == {"packs": 1}
    version.refresh_from_db()
    assert version.pack_built_at is not None
    assert services.agenda_pack_catch_up(now=NOW + timedelta(minutes=12)) == {"packs": 0}


def test_each_conversion_is_queued_once_however_many_builds_its_siblings_trigger(
    meeting, secretariat_user, monkeypatch, django_capture_on_commit_callbacks
):
    from meetings import tasks

    converted = []
    real = tasks.attachment_pdf_convert
    monkeypatch.setattr(
        tasks,
        "attachment_pdf_convert",
        lambda **kwargs: converted.append(kwargs["attachment_id"]) or real(**kwargs),
    )

    version = send(meeting, secretariat_user, django_capture_on_commit_callbacks)

    office = list(
        Attachment.objects.filter(
            item__meeting=meeting, content_type__contains="officedocument"
        ).values_list("pk", flat=True)
    )
    assert sorted(converted) == sorted(office) and len(office) == 3
    assert version.pack_built_at is not None
    assert list(AttachmentPdf.objects.values_list("attempts", flat=True)) == [1, 1, 1]
