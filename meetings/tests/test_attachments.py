"""Attachments ("bilag"): the type is read from the content (PDF, DOCX, XLSX, PPTX, ODT,
PNG, JPEG), a file is at most 20 MB, an office file is judged from its ZIP directory without
being unpacked (zip bombs are refused in bounded memory), a proposal or agenda item holds at
most 20 files and 60 MB, files live in PRIVATE_MEDIA_ROOT outside the web root, and a file is
served, as a download, only to those who may see it."""

import io
import random
import tracemalloc
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from config.settings import test as configured
from forums.models import Organisation
from meetings import services
from meetings.attachments import ALLOWED_LABEL, MAX_SIZE, attachment_store, validate_upload
from meetings.forms import AttachmentsField
from meetings.models import AgendaItem, Attachment, Proposal
from meetings.tests.factories import schedule

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path) -> Path:
    """Attachments and agenda PDFs go to a temporary PRIVATE_MEDIA_ROOT, not to var/."""
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return Path(settings.PRIVATE_MEDIA_ROOT)


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def danish(msgid: str, **params) -> str:
    with translation.override("da"):
        text = gettext(msgid)
    return text % params if params else text


# --- Minimal files of each kind ------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def zip_of(parts: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return buffer.getvalue()


CONTENT_TYPES = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
DOCX = zip_of({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": "<w:document/>"})
XLSX = zip_of({"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": "<workbook/>"})
PPTX = zip_of({"[Content_Types].xml": CONTENT_TYPES, "ppt/presentation.xml": "<p:presentation/>"})
ODT = zip_of(
    {
        "mimetype": "application/vnd.oasis.opendocument.text",
        "content.xml": "<office:document-content/>",
    }
)

ACCEPTED = [
    ("dagsorden.pdf", PDF, "application/pdf", "dagsorden.pdf"),
    (
        "notat.docx",
        DOCX,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "notat.docx",
    ),
    (
        "budget.xlsx",
        XLSX,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "budget.xlsx",
    ),
    (
        "oplaeg.pptx",
        PPTX,
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "oplaeg.pptx",
    ),
    ("referat.odt", ODT, "application/vnd.oasis.opendocument.text", "referat.odt"),
    ("kort.png", PNG, "image/png", "kort.png"),
    ("foto.jpeg", JPEG, "image/jpeg", "foto.jpeg"),
    ("foto.jpg", JPEG, "image/jpeg", "foto.jpg"),
    # The name is fixed to what the content is.
    ("notat.exe", PDF, "application/pdf", "notat.pdf"),
    (
        "regneark",
        XLSX,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "regneark.xlsx",
    ),
]


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def proposal(forums, member_user):
    meeting = schedule(forums["samarbejdsforum"], days_ahead=30)
    return services.proposal_submit(
        actor=member_user,
        meeting=meeting,
        title="Tryghed",
        description="Drøftelse.",
        treatment="discussion",
        responsible=Organisation.objects.get(short_name="TMF"),
    )


@pytest.mark.parametrize(("name", "content", "content_type", "stored_name"), ACCEPTED)
def test_each_allowed_type_is_accepted_by_its_content_and_stored_privately(
    name, content, content_type, stored_name, proposal, member_user, private_media
):
    attachment = attachment_store(upload=upload(name, content), user=member_user, proposal=proposal)

    attachment.refresh_from_db()
    assert (attachment.name, attachment.content_type, attachment.size) == (
        stored_name,
        content_type,
        len(content),
    )
    path = Path(attachment.file.path)
    assert path.is_relative_to(private_media) and path.name == stored_name
    assert path.read_bytes() == content
    assert stored_files(private_media) == [path]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notat.pdf", EXE),
        ("notat.pdf", HTML),
        ("billede.png", b"GIF89a\x01\x00\x01\x00"),
        ("notat.docx", zip_of({"word/document.xml": "<w:document/>"})),  # no [Content_Types]
        ("notat.docx", zip_of({"[Content_Types].xml": CONTENT_TYPES, "docProps/app.xml": "x"})),
        ("arkiv.zip", zip_of({"readme.txt": "hej"})),
        ("referat.odt", zip_of({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"})),
        ("tom.pdf", b""),
    ],
)
def test_a_file_whose_content_is_not_an_allowed_type_is_refused_whatever_its_name(
    name, content, proposal, member_user, private_media
):
    with pytest.raises(ValidationError) as refused:
        attachment_store(upload=upload(name, content), user=member_user, proposal=proposal)

    assert refused.value.messages == [
        danish(
            "“%(name)s” is not a file type we accept. Accepted types: %(types)s.",
            name=name,
            types=ALLOWED_LABEL,
        )
    ]
    assert not Attachment.objects.exists()
    assert stored_files(private_media) == []


def test_a_file_over_20_mb_is_refused_and_one_of_exactly_20_mb_is_not(private_media):
    big = upload("stor.pdf", PDF)
    big.size = MAX_SIZE + 1  # what the upload handler reports; no need to allocate 20 MB
    with pytest.raises(ValidationError) as refused:
        validate_upload(big)
    assert "stor.pdf" in refused.value.messages[0] and "20 MB" in refused.value.messages[0]

    limit = upload("netop.pdf", PDF)
    limit.size = MAX_SIZE
    assert validate_upload(limit) == ("application/pdf", "pdf")
    assert stored_files(private_media) == []


def test_a_rejected_file_on_the_proposal_form_is_shown_at_the_field_keeps_the_input_and_saves_nothing(
    forums, member_client, private_media
):
    meeting = schedule(forums["samarbejdsforum"], days_ahead=30)
    response = member_client.post(
        f"/moeder/{meeting.pk}/forslag/ny/",
        {
            "title": "Helhedsplan for Urbanplanen",
            "description": "Beskrivelse af helhedsplanen.",
            "treatment": "decision",
            "files": [upload("bilag.pdf", PDF), upload("virus.pdf", EXE)],
        },
    )

    assert response.status_code == 200
    form = response.context["form"]
    refused = danish(
        "“%(name)s” is not a file type we accept. Accepted types: %(types)s.",
        name="virus.pdf",
        types=ALLOWED_LABEL,
    )
    assert form.errors["files"] == [refused]
    html = response.content.decode()
    assert escape(refused) in html
    assert 'value="Helhedsplan for Urbanplanen"' in html
    assert "Beskrivelse af helhedsplanen.</textarea>" in html
    assert not Proposal.objects.exists() and not Attachment.objects.exists()
    assert stored_files(private_media) == []


def test_the_proposal_form_takes_several_files_at_once(forums, member_client, private_media):
    meeting = schedule(forums["samarbejdsforum"], days_ahead=30)
    files = [upload(name, content) for name, content, _type, _stored in ACCEPTED[:7]]
    response = member_client.post(
        f"/moeder/{meeting.pk}/forslag/ny/",
        {
            "title": "Bilagspakke",
            "description": "Syv bilag.",
            "treatment": "orientation",
            "files": files,
        },
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.attachments.count() == 7
    assert len(stored_files(private_media)) == 7


def test_attachments_live_under_private_media_root_outside_the_web_root(
    proposal, member_user, private_media
):
    for root in (configured.MEDIA_ROOT, configured.STATIC_ROOT):
        assert (
            not Path(configured.PRIVATE_MEDIA_ROOT).resolve().is_relative_to(Path(root).resolve())
        )
        assert (
            not Path(root).resolve().is_relative_to(Path(configured.PRIVATE_MEDIA_ROOT).resolve())
        )

    attachment = attachment_store(
        upload=upload("notat.pdf", PDF), user=member_user, proposal=proposal
    )
    path = Path(attachment.file.path).resolve()
    assert path.is_relative_to(private_media.resolve())
    for root in (django_settings.MEDIA_ROOT, django_settings.STATIC_ROOT):
        assert not path.is_relative_to(Path(root).resolve())


# --- Downloads -----------------------------------------------------------------------------


def item_with_file(actor, meeting, title: str, name: str, *, closed: bool = False) -> AgendaItem:
    return services.agenda_item_save(
        actor=actor,
        item=AgendaItem(meeting=meeting),
        title=title,
        treatment="orientation",
        responsible=Organisation.objects.get(short_name="ØKF"),
        is_closed=closed,
        files=[upload(name, PDF)],
    )


def assert_download(response, name: str) -> None:
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_the_secretariat_and_members_who_got_the_agenda_download_a_non_public_forums_attachment(
    forums,
    secretariat_user,
    secretariat_client,
    member_client,
    other_member_client,
    anonymous_client,
    django_capture_on_commit_callbacks,
):
    meeting = schedule(forums["samarbejdsforum"], days_ahead=30)
    attachment = item_with_file(
        secretariat_user, meeting, "Udlejning", "udlejning.pdf"
    ).attachments.get()
    url = f"/bilag/{attachment.pk}/"

    assert_download(secretariat_client.get(url), "udlejning.pdf")
    assert member_client.get(url).status_code == 404  # the agenda is not sent yet

    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_send(actor=secretariat_user, meeting=meeting)

    assert_download(member_client.get(url), "udlejning.pdf")
    assert other_member_client.get(url).status_code == 404
    assert anonymous_client.get(url).status_code == 404


def test_the_public_downloads_attachments_of_open_items_of_a_published_partnerskabsforum_agenda_only(
    forums,
    secretariat_user,
    other_member_client,
    member_client,
    anonymous_client,
    django_capture_on_commit_callbacks,
):
    year = timezone.localdate().year + 1
    meeting = schedule(forums["partnerskabsforum"], day=date(year, 5, 20))
    open_file = item_with_file(secretariat_user, meeting, "Hovedaftalen", "hovedaftale.pdf")
    closed_file = item_with_file(
        secretariat_user, meeting, "Personsag", "personsag.pdf", closed=True
    )
    open_url = f"/bilag/{open_file.attachments.get().pk}/"
    closed_url = f"/bilag/{closed_file.attachments.get().pk}/"
    assert anonymous_client.get(open_url).status_code == 404  # not published yet

    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_send(actor=secretariat_user, meeting=meeting)

    assert_download(anonymous_client.get(open_url), "hovedaftale.pdf")
    assert anonymous_client.get(closed_url).status_code == 404
    assert member_client.get(closed_url).status_code == 404  # Samarbejdsforum: the public's view
    assert_download(member_client.get(open_url), "hovedaftale.pdf")
    assert_download(other_member_client.get(closed_url), "personsag.pdf")  # a member of the forum


def test_a_proposers_own_attachment_is_theirs_to_download_and_no_one_elses(
    proposal, member_user, member_client, other_member_client, anonymous_client
):
    attachment = attachment_store(
        upload=upload("mit.pdf", PDF), user=member_user, proposal=proposal
    )
    url = f"/bilag/{attachment.pk}/"
    assert_download(member_client.get(url), "mit.pdf")
    assert other_member_client.get(url).status_code == 404
    assert anonymous_client.get(url).status_code == 404


# --- Archives are judged by their directory, never inflated ------------------------------

MIB = 1024 * 1024


def bomb(parts: dict[str, bytes | str], *, name: str, mib: int) -> bytes:
    """A small ZIP whose entry `name` declares `mib` MiB of zeros, written in streaming 1 MiB
    chunks (the test holds the compressed ~1 KB per MiB, never the inflated content)."""
    buffer = io.BytesIO()
    zeros = bytes(MIB)
    with zipfile.ZipFile(buffer, "w") as archive:
        for part, data in parts.items():
            archive.writestr(zipfile.ZipInfo(part), data, compress_type=zipfile.ZIP_STORED)
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as entry:
            for _ in range(mib):
                entry.write(zeros)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def odt_bomb() -> bytes:
    """An ODT whose `mimetype` entry inflates to 128 MiB (~1000:1)."""
    return bomb({}, name="mimetype", mib=128)


@pytest.fixture(scope="module")
def docx_bomb() -> bytes:
    return bomb({"[Content_Types].xml": CONTENT_TYPES}, name="word/document.xml", mib=128)


def peak_memory_of(call) -> int:
    """Bytes allocated at the peak while `call()` runs (tracemalloc)."""
    tracemalloc.start()
    try:
        call()
    finally:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak


@pytest.mark.parametrize("kind", ["odt", "docx"])
def test_a_zip_bomb_is_refused_from_its_directory_without_inflating_it(
    kind, odt_bomb, docx_bomb, private_media
):
    content = {"odt": odt_bomb, "docx": docx_bomb}[kind]
    assert len(content) < 1 * MIB  # the file itself is small
    refused = []

    def check():
        with pytest.raises(ValidationError) as error:
            validate_upload(upload(f"plan.{kind}", content))
        refused.extend(error.value.messages)

    peak = peak_memory_of(check)

    assert peak < 4 * MIB, f"validating took {peak / MIB:.1f} MiB"
    assert refused[0].startswith(f"»plan.{kind}« er komprimeret ")
    assert "zip-bombe" in refused[0]
    assert stored_files(private_media) == []


def test_a_zip_bomb_on_the_proposal_form_is_refused_at_the_field_and_the_text_is_kept(
    forums, member_client, odt_bomb, private_media
):
    meeting = schedule(forums["samarbejdsforum"], days_ahead=30)
    response = member_client.post(
        f"/moeder/{meeting.pk}/forslag/ny/",
        {
            "title": "Helhedsplan",
            "description": 'Tom\'s "plan" & co.',
            "treatment": "decision",
            "files": [upload("plan.odt", odt_bomb)],
        },
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["files"]
    assert len(errors) == 1 and errors[0].startswith("»plan.odt« er komprimeret ")
    html = response.content.decode()
    assert 'value="Helhedsplan"' in html
    assert escape('Tom\'s "plan" & co.') + "</textarea>" in html
    assert not Proposal.objects.exists() and not Attachment.objects.exists()
    assert stored_files(private_media) == []


def test_an_archive_declaring_more_than_the_uncompressed_limit_is_refused(settings):
    settings.ATTACHMENTS_ARCHIVE_MAX_UNCOMPRESSED_MB = 1
    noise = random.Random(8).randbytes(2 * MIB)  # incompressible: the ratio is ~1
    content = zip_of({"[Content_Types].xml": CONTENT_TYPES, "word/media/image1.bin": noise})

    with pytest.raises(ValidationError) as refused:
        validate_upload(upload("stor.docx", content))

    assert refused.value.messages == [
        danish(
            "“%(name)s” would unpack to %(size)s; a file may unpack to at most %(max)s.",
            name="stor.docx",
            size=filesizeformat(2 * MIB + len(CONTENT_TYPES)),
            max=filesizeformat(1 * MIB),
        )
    ]


def test_an_archive_of_many_entries_just_under_the_entry_limit_is_refused_by_its_overall_ratio():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        for n in range(40):  # 40 entries of exactly 1 MiB of zeros: none is over 1 MB alone
            archive.writestr(f"word/media/part{n}.xml", bytes(MIB))
    content = buffer.getvalue()

    with pytest.raises(ValidationError) as refused:
        validate_upload(upload("mange.docx", content))

    assert "komprimeret" in refused.value.messages[0] and "i alt" in refused.value.messages[0]


def test_an_archive_with_too_many_entries_is_refused_before_its_directory_is_parsed(
    settings, monkeypatch
):
    settings.ATTACHMENTS_ARCHIVE_MAX_ENTRIES = 10
    parts = {"[Content_Types].xml": CONTENT_TYPES} | {f"word/p{i}.xml": "<p/>" for i in range(10)}
    content = zip_of(parts)

    def parse(*args, **kwargs):
        raise AssertionError("zipfile.ZipFile must not be built for this archive")

    monkeypatch.setattr("meetings.attachments.zipfile.ZipFile", parse)
    with pytest.raises(ValidationError) as refused:
        validate_upload(upload("mange.docx", content))

    assert refused.value.messages == [
        danish(
            "“%(name)s” holds %(count)d parts; a file may hold at most %(max)d.",
            name="mange.docx",
            count=11,
            max=10,
        )
    ]


def test_a_real_sized_docx_of_three_mb_of_text_is_accepted(proposal, member_user):
    paragraphs = "".join(
        f"<w:p><w:r><w:t>Afsnit {n}: boligområdets tryghed, trivsel og udlejning.</w:t></w:r></w:p>"
        for n in range(40_000)
    )
    assert len(paragraphs) > 3 * MIB
    content = zip_of({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": paragraphs})

    attachment = attachment_store(
        upload=upload("notat", content), user=member_user, proposal=proposal
    )

    assert attachment.content_type == ACCEPTED[1][2] and attachment.name == "notat.docx"


# --- At most 20 files and 60 MB per proposal and per agenda item ---------------------------


def test_more_than_20_files_at_once_are_refused_at_the_field_and_the_text_is_kept(
    forums, member_client, private_media
):
    meeting = schedule(forums["samarbejdsforum"], days_ahead=30)
    response = member_client.post(
        f"/moeder/{meeting.pk}/forslag/ny/",
        {
            "title": "Bilagspakke",
            "description": "Mange bilag.",
            "treatment": "orientation",
            "files": [upload(f"bilag-{n}.pdf", PDF) for n in range(21)],
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["files"] == [
        danish(
            "That makes %(count)d attachments; at most %(max)d are allowed "
            "(%(existing)d already attached).",
            count=21,
            max=20,
            existing=0,
        )
    ]
    html = response.content.decode()
    assert 'value="Bilagspakke"' in html and "Mange bilag.</textarea>" in html
    assert not Proposal.objects.exists() and not Attachment.objects.exists()
    assert stored_files(private_media) == []


def test_the_field_refuses_21_files_by_their_count_before_reading_any():
    unreadable = [upload(f"virus-{n}.pdf", EXE) for n in range(21)]

    with pytest.raises(ValidationError) as refused:
        AttachmentsField().clean(unreadable)

    assert refused.value.messages == [
        danish(
            "That makes %(count)d attachments; at most %(max)d are allowed "
            "(%(existing)d already attached).",
            count=21,
            max=20,
            existing=0,
        )
    ]


def test_exactly_20_files_are_accepted(forums, member_client, private_media):
    meeting = schedule(forums["samarbejdsforum"], days_ahead=30)
    response = member_client.post(
        f"/moeder/{meeting.pk}/forslag/ny/",
        {
            "title": "Bilagspakke",
            "description": "Tyve bilag.",
            "treatment": "orientation",
            "files": [upload(f"bilag-{n}.pdf", PDF) for n in range(20)],
        },
    )
    assert response.status_code == 302
    assert Proposal.objects.get().attachments.count() == 20
    assert len(stored_files(private_media)) == 20


def test_files_added_later_count_with_those_already_attached(
    proposal, member_user, member_client, private_media
):
    for n in range(19):
        attachment_store(upload=upload(f"bilag-{n}.pdf", PDF), user=member_user, proposal=proposal)
    before = stored_files(private_media)

    response = member_client.post(
        f"/forslag/{proposal.pk}/rediger/",
        {
            "title": "Tryghed, ny titel",
            "description": "Drøftelse.",
            "treatment": "discussion",
            "files": [upload("nr-20.pdf", PDF), upload("nr-21.pdf", PDF)],
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["files"] == [
        danish(
            "That makes %(count)d attachments; at most %(max)d are allowed "
            "(%(existing)d already attached).",
            count=21,
            max=20,
            existing=19,
        )
    ]
    assert 'value="Tryghed, ny titel"' in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.title == "Tryghed" and proposal.attachments.count() == 19
    assert stored_files(private_media) == before


def test_more_than_the_total_size_on_an_agenda_item_is_refused(
    forums, secretariat_user, settings, private_media
):
    settings.ATTACHMENTS_MAX_TOTAL_MB = 1
    meeting = schedule(forums["samarbejdsforum"], days_ahead=30)
    item = meeting.items.first() or AgendaItem(meeting=meeting, title="Punkt")
    half = PDF + b"%" * (MIB // 2)
    services.agenda_item_save(
        actor=secretariat_user, item=item, files=[upload("a.pdf", half)], title="Punkt"
    )

    with pytest.raises(ValidationError) as refused:
        services.agenda_item_save(
            actor=secretariat_user, item=item, files=[upload("b.pdf", half)], title="Punkt"
        )

    assert refused.value.message_dict["files"] == [
        danish(
            "That makes %(size)s of attachments; at most %(max)s in all are allowed "
            "(%(existing)s already attached).",
            size=filesizeformat(2 * len(half)),
            max=filesizeformat(MIB),
            existing=filesizeformat(len(half)),
        )
    ]
    assert [a.name for a in item.attachments.all()] == ["a.pdf"]
    assert len(stored_files(private_media)) == 1


def test_an_agenda_item_with_too_much_attached_is_not_created_and_the_form_keeps_the_text(
    forums, secretariat_client, settings, private_media
):
    settings.ATTACHMENTS_MAX_TOTAL_MB = 1
    meeting = schedule(forums["samarbejdsforum"], days_ahead=30)
    items_before = meeting.items.count()
    half = PDF + b"%" * (MIB // 2 + 1)

    response = secretariat_client.post(
        f"/sekretariat/moeder/{meeting.pk}/punkter/ny/",
        {
            "title": 'Tom\'s "plan" & co',
            "presentation": "Oplæg.",
            "recommendation": "",
            "treatment": "decision",
            "files": [upload("a.pdf", half), upload("b.pdf", half)],
        },
    )

    assert response.status_code == 200
    [error] = response.context["form"].errors["files"]
    assert error.startswith("Det bliver ") and "der må højst være 1,0" in error
    assert 'value="Tom&#x27;s &quot;plan&quot; &amp; co"' in response.content.decode()
    assert meeting.items.count() == items_before
    assert not Attachment.objects.exists() and stored_files(private_media) == []


def test_a_new_agenda_item_is_not_saved_when_its_files_exceed_the_limits(
    forums, secretariat_user, settings, private_media
):
    settings.ATTACHMENTS_MAX_FILES = 1
    meeting = schedule(forums["samarbejdsforum"], days_ahead=30)
    item = AgendaItem(meeting=meeting)

    with pytest.raises(ValidationError) as refused:
        services.agenda_item_save(
            actor=secretariat_user,
            item=item,
            files=[upload("a.pdf", PDF), upload("b.pdf", PDF)],
            title="Nyt punkt",
        )

    assert "files" in refused.value.message_dict
    assert item.pk is None  # the view re-renders a new item, not one that was rolled back
    assert not AgendaItem.objects.filter(title="Nyt punkt").exists()
    assert stored_files(private_media) == []


# --- Names as people wrote them -----------------------------------------------------------


@pytest.mark.parametrize(
    ("uploaded", "shown"),
    [
        ("notat om målene.pdf", "notat om målene.pdf"),
        ("../../etc/Økonomi 2027.pdf", "Økonomi 2027.pdf"),
        ("C:\\Users\\kk\\Bilag 1 – budget.pdf", "Bilag 1 – budget.pdf"),
        ("bilag\x00\x07.pdf", "bilag.pdf"),
        ("rapport", "rapport.pdf"),
    ],
)
def test_an_attachment_keeps_the_name_it_was_uploaded_with_and_is_stored_safely(
    proposal, member_user, private_media, uploaded, shown
):
    attachment = attachment_store(upload=upload(uploaded, PDF), user=member_user, proposal=proposal)

    assert attachment.name == shown
    stored = Path(attachment.file.path)
    assert stored.resolve().is_relative_to(private_media.resolve())
    assert " " not in stored.name and ".." not in attachment.file.name


def test_a_download_offers_the_name_with_danish_letters_and_spaces(
    proposal, member_user, member_client
):
    attachment = attachment_store(
        upload=upload("notat om målene.pdf", PDF), user=member_user, proposal=proposal
    )
    response = member_client.get(f"/bilag/{attachment.pk}/")
    assert response.status_code == 200
    assert "filename*=utf-8''notat%20om%20m%C3%A5lene.pdf" in response["Content-Disposition"]
