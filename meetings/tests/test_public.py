"""What the public sees: the coming meetings, and for Partnerskabsforum the sent agenda
without its closed items — in the HTML, the PDF, the calendar feeds and the sitemap. A
non-public forum's meeting page shows no agenda. The agenda page costs the same number of
queries whatever the number of items."""

import re
import zlib
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from forums.models import Organisation
from meetings import services
from meetings.models import AgendaItem, CalendarToken, Meeting
from meetings.tests.factories import at, schedule

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OPEN_TITLE = "Boligsocial helhedsplan for Tingbjerg"
CLOSED_TITLE = "Fortrolig lejesag Vestergade"
CLOSED_TEXT = "Personoplysninger om lejeren"
CLOSED_FILE = "lejesag-fortrolig.pdf"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path) -> Path:
    """Attachments and agenda PDFs go to a temporary PRIVATE_MEDIA_ROOT, not to var/."""
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return Path(settings.PRIVATE_MEDIA_ROOT)


def danish(msgid: str) -> str:
    with translation.override("da"):
        return gettext(msgid)


# --- Reading the text of a PDF ---------------------------------------------------------------
# Neither pdftotext nor pypdf is installed here. WeasyPrint writes compressed streams,
# objects inside object streams and text as glyph ids of subset fonts, so the text is read
# back through each font's ToUnicode map; bookmarks and metadata are UTF-16 strings.


def _pdf_objects(pdf: bytes) -> dict[int, bytes]:
    objects = {
        int(m.group(1)): m.group(2)
        for m in re.finditer(rb"(?<![0-9])(\d+) 0 obj\s*(.*?)endobj", pdf, re.S)
    }
    for body in list(objects.values()):
        head, data = _pdf_stream(body)
        if data is not None and b"/ObjStm" in head:
            first = int(re.search(rb"/First (\d+)", head).group(1))
            numbers = [int(n) for n in data[:first].split()]
            pairs = list(zip(numbers[::2], numbers[1::2], strict=True))
            for index, (number, offset) in enumerate(pairs):
                end = pairs[index + 1][1] if index + 1 < len(pairs) else len(data) - first
                objects[number] = data[first + offset : first + end]
    return objects


def _pdf_stream(body: bytes) -> tuple[bytes, bytes | None]:
    match = re.match(rb"(.*?)stream\r?\n(.*)endstream", body, re.S)
    if not match:
        return body, None
    head, data = match.groups()
    return head, zlib.decompress(data) if b"/FlateDecode" in head else data


def _utf16(hex_digits: bytes) -> str:
    return bytes.fromhex(hex_digits.decode()).decode("utf-16-be")


def _to_unicode(cmap: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for src, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            mapping[int(src, 16)] = _utf16(dst)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, dst in re.findall(
            rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block
        ):
            start = int(dst, 16)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[code] = chr(start + offset)
    return mapping


def pdf_text(pdf: bytes) -> str:
    """Every piece of text the PDF holds: what is drawn on the pages, the bookmarks and
    the metadata, whitespace collapsed."""
    objects = _pdf_objects(pdf)
    cmaps = {}  # font object number -> its ToUnicode map
    for number, body in objects.items():
        match = re.search(rb"/ToUnicode (\d+) 0 R", body)
        if match:
            cmaps[number] = _to_unicode(_pdf_stream(objects[int(match.group(1))])[1])
    fonts = {}  # resource name -> ToUnicode map
    for body in objects.values():
        for name, number in re.findall(rb"/([A-Za-z0-9+_.-]+) (\d+) 0 R", body):
            if int(number) in cmaps:
                fonts[name] = cmaps[int(number)]
    pieces = []
    for body in objects.values():
        head, data = _pdf_stream(body)
        if data is None or b"/ObjStm" in head or b"/ToUnicode" in head or b"/Length1" in head:
            continue
        font: dict[int, str] = {}
        for token in re.finditer(rb"/([A-Za-z0-9+_.-]+)\s+[\d.]+\s+Tf|<([0-9a-fA-F]*)>|(ET)", data):
            name, glyphs, end = token.groups()
            if name is not None:
                font = fonts.get(name, {})
            elif end:
                pieces.append("\n")
            elif font:
                pieces.extend(
                    font.get(int(glyphs[i : i + 4], 16), "") for i in range(0, len(glyphs), 4)
                )
    for body in objects.values():  # bookmarks, document information
        pieces.extend(" " + _utf16(h[4:]) for h in re.findall(rb"<(feff[0-9a-fA-F]*)>", body))
        pieces.extend(" " + s.decode("latin-1") for s in re.findall(rb"\(([^()]*)\)", body))
    return " ".join("".join(pieces).split())


# --- A published agenda with a closed item -------------------------------------------------


def pf_day(year_offset: int = 1, day: int = 20) -> date:
    return date(timezone.localdate().year + year_offset, 5, day)


def add_item(actor, meeting, title: str, *, closed: bool = False, files=(), **fields):
    return services.agenda_item_save(
        actor=actor,
        item=AgendaItem(meeting=meeting),
        title=title,
        treatment=fields.pop("treatment", "decision"),
        responsible=Organisation.objects.get(short_name="TMF"),
        is_closed=closed,
        files=files,
        **fields,
    )


@pytest.fixture
def published(forums, secretariat_user, other_member_user, django_capture_on_commit_callbacks):
    """Partnerskabsforum's meeting, its agenda sent: an open item and a closed one, each
    with an attachment."""
    meeting = schedule(forums["partnerskabsforum"], day=pf_day())
    add_item(
        secretariat_user,
        meeting,
        OPEN_TITLE,
        presentation="Helhedsplanen forlænges.",
        files=[SimpleUploadedFile("helhedsplan.pdf", PDF, "application/pdf")],
    )
    add_item(
        secretariat_user,
        meeting,
        CLOSED_TITLE,
        closed=True,
        presentation=CLOSED_TEXT,
        files=[SimpleUploadedFile(CLOSED_FILE, PDF, "application/pdf")],
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_send(actor=secretariat_user, meeting=meeting)
    return meeting


def assert_no_closed_item(text: str) -> None:
    for secret in (CLOSED_TITLE, CLOSED_TEXT, CLOSED_FILE):
        assert secret not in text


def test_closed_items_never_appear_on_the_public_agenda_page(published, anonymous_client):
    html = anonymous_client.get(f"/moeder/{published.pk}/").content.decode()
    assert OPEN_TITLE in html and "Helhedsplanen forlænges." in html and "helhedsplan.pdf" in html
    assert f'href="/moeder/{published.pk}/dagsorden.pdf"' in html
    assert_no_closed_item(html)
    assert escape(danish("closed item")) not in html


def test_closed_items_never_appear_in_the_public_pdf_but_do_in_the_members_pdf(
    published, anonymous_client, other_member_client
):
    response = anonymous_client.get(f"/moeder/{published.pk}/dagsorden.pdf")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    public = b"".join(response.streaming_content)
    assert public.startswith(b"%PDF") and b"FlateDecode" in public
    public_text = pdf_text(public)
    assert OPEN_TITLE in public_text and "Helhedsplanen forlænges." in public_text
    assert_no_closed_item(public_text)

    # The same reading finds the closed item in the members' PDF, so its absence above is real.
    members = other_member_client.get(f"/moeder/{published.pk}/dagsorden/1.pdf")
    members_text = pdf_text(b"".join(members.streaming_content))
    assert CLOSED_TITLE in members_text and CLOSED_TEXT in members_text
    assert CLOSED_FILE in members_text
    assert anonymous_client.get(f"/moeder/{published.pk}/dagsorden/1.pdf").status_code == 302


def test_closed_items_never_appear_in_the_calendar_feeds_or_the_sitemap(
    published, anonymous_client, other_member_client
):
    sitemap = anonymous_client.get("/sitemap.xml").content.decode()
    assert f"/moeder/{published.pk}/" in sitemap
    assert_no_closed_item(sitemap)
    assert OPEN_TITLE not in sitemap

    feed = anonymous_client.get("/fora/partnerskabsforum/kalender.ics").content.decode()
    assert published.uid in feed
    assert_no_closed_item(feed)

    other_member_client.post("/konto/kalender/nyt-link/")
    token = CalendarToken.objects.get(user__email="medlem.pf@example.org").token
    personal = anonymous_client.get(f"/kalender/{token}.ics").content.decode()
    assert published.uid in personal
    assert_no_closed_item(personal)


def test_a_later_revision_that_closes_an_item_takes_it_off_the_public_page_and_its_file(
    published, secretariat_user, anonymous_client, django_capture_on_commit_callbacks
):
    item = published.items.get(title=OPEN_TITLE)
    attachment = item.attachments.get()
    assert anonymous_client.get(f"/bilag/{attachment.pk}/").status_code == 200

    services.agenda_item_save(actor=secretariat_user, item=item, is_closed=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_send(actor=secretariat_user, meeting=published, change_note="Lukket.")

    html = anonymous_client.get(f"/moeder/{published.pk}/").content.decode()
    assert OPEN_TITLE not in html
    assert anonymous_client.get(f"/bilag/{attachment.pk}/").status_code == 404
    public = b"".join(
        anonymous_client.get(f"/moeder/{published.pk}/dagsorden.pdf").streaming_content
    )
    assert OPEN_TITLE not in pdf_text(public)


def test_a_closed_item_referred_to_partnerskabsforum_stays_closed_there(
    forums, secretariat_user, anonymous_client, django_capture_on_commit_callbacks
):
    source = schedule(forums["samarbejdsforum"], days_ahead=30)
    closed = add_item(secretariat_user, source, CLOSED_TITLE, closed=True, presentation=CLOSED_TEXT)
    target = schedule(forums["partnerskabsforum"], day=pf_day())
    proposal = services.item_refer(actor=secretariat_user, item=closed, meeting=target)

    item = services.proposal_accept(actor=secretariat_user, proposal=proposal)
    assert item.is_closed
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_send(actor=secretariat_user, meeting=target)

    assert_no_closed_item(anonymous_client.get(f"/moeder/{target.pk}/").content.decode())
    public = b"".join(anonymous_client.get(f"/moeder/{target.pk}/dagsorden.pdf").streaming_content)
    assert_no_closed_item(pdf_text(public))


def test_a_non_public_forums_meeting_page_shows_no_agenda(
    forums,
    secretariat_user,
    anonymous_client,
    other_member_client,
    django_capture_on_commit_callbacks,
):
    meeting = schedule(forums["samarbejdsforum"], days_ahead=30)
    add_item(secretariat_user, meeting, "Samarbejdsforums interne punkt")
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_send(actor=secretariat_user, meeting=meeting)
    assert meeting.versions.get().public_pdf.name == ""

    for client in (anonymous_client, other_member_client):
        response = client.get(f"/moeder/{meeting.pk}/")
        assert response.status_code == 200 and response.context["version"] is None
        html = response.content.decode()
        assert "Samarbejdsforums interne punkt" not in html and "Eventuelt" not in html
        assert escape(danish("The agenda of this forum is for its members only.")) in html
        assert client.get(f"/moeder/{meeting.pk}/dagsorden.pdf").status_code == 404
    assert f"/moeder/{meeting.pk}/" not in anonymous_client.get("/sitemap.xml").content.decode()


def test_a_public_forums_agenda_is_not_public_before_it_is_sent(
    forums, secretariat_user, anonymous_client
):
    meeting = schedule(forums["partnerskabsforum"], day=pf_day())
    add_item(secretariat_user, meeting, OPEN_TITLE)
    html = anonymous_client.get(f"/moeder/{meeting.pk}/").content.decode()
    assert OPEN_TITLE not in html
    assert anonymous_client.get(f"/moeder/{meeting.pk}/dagsorden.pdf").status_code == 404
    assert f"/moeder/{meeting.pk}/" not in anonymous_client.get("/sitemap.xml").content.decode()


# --- Query count ---------------------------------------------------------------------------


def sent_agenda_with(forum, count: int, day: date, actor, callbacks) -> Meeting:
    meeting = schedule(forum, day=day)
    for n in range(count):
        add_item(
            actor,
            meeting,
            f"Punkt nummer {n}",
            closed=n % 5 == 4,
            files=[SimpleUploadedFile(f"bilag-{n}.pdf", PDF, "application/pdf")],
        )
    with callbacks(execute=True):
        services.agenda_send(actor=actor, meeting=meeting)
    return meeting


def queries_for(client, url: str) -> tuple[int, str]:
    client.get(url)  # warm the caches (content types, templates)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_public_agenda_page_costs_the_same_queries_for_5_items_as_for_40(
    forums, secretariat_user, anonymous_client, django_capture_on_commit_callbacks, settings
):
    settings.PUBLIC_CACHE_ENABLED = False  # the render itself, not the cached copy
    pf, callbacks = forums["partnerskabsforum"], django_capture_on_commit_callbacks
    small = sent_agenda_with(pf, 5, pf_day(1, 12), secretariat_user, callbacks)
    large = sent_agenda_with(pf, 40, pf_day(1, 26), secretariat_user, callbacks)

    small_count, small_html = queries_for(anonymous_client, f"/moeder/{small.pk}/")
    large_count, large_html = queries_for(anonymous_client, f"/moeder/{large.pk}/")

    assert small_html.count('href="/bilag/') == 4 and large_html.count('href="/bilag/') == 32
    assert "Punkt nummer 38" in large_html and "Punkt nummer 39" not in large_html
    assert small_count == large_count
    assert large_count <= 6


# --- Lists of coming meetings ----------------------------------------------------------------


@pytest.fixture
def calendar_of_meetings(forums, secretariat_user):
    soon = schedule(forums["samarbejdsforum"], days_ahead=10)
    later = schedule(forums["tvaerkommunal-styregruppe"], days_ahead=20)
    cancelled = schedule(forums["borgmesterforum"], days_ahead=15)
    services.meeting_cancel(actor=secretariat_user, meeting=cancelled, reason="Aflyst.")
    earlier_day = timezone.localdate() - timedelta(days=30)
    archived = services.meeting_schedule(
        actor=secretariat_user,
        forum=forums["samarbejdsforum"],
        starts_at=at(earlier_day, 14),
        ends_at=at(earlier_day, 16),
        is_archive=True,
    )
    return soon, later, cancelled, archived


def test_the_meetings_page_lists_the_coming_meetings_in_order(
    calendar_of_meetings, anonymous_client
):
    soon, later, cancelled, archived = calendar_of_meetings
    response = anonymous_client.get("/moeder/")
    assert list(response.context["meetings"]) == [soon, later]
    html = response.content.decode()
    coming, archive = html.split('id="archive-heading"')
    assert coming.index(f'href="/moeder/{soon.pk}/"') < coming.index(f'href="/moeder/{later.pk}/"')
    assert f'href="/moeder/{cancelled.pk}/"' not in html
    assert f'href="/moeder/{archived.pk}/"' not in coming
    # A past (archive) entry is in the archive below the coming meetings (issue 14 §1).
    assert f'href="/moeder/{archived.pk}/"' in archive


def test_the_home_page_lists_the_next_meetings(calendar_of_meetings, anonymous_client):
    soon, later, cancelled, archived = calendar_of_meetings
    html = anonymous_client.get("/").content.decode()
    assert f'href="/moeder/{soon.pk}/"' in html and f'href="/moeder/{later.pk}/"' in html
    assert f'href="/moeder/{cancelled.pk}/"' not in html
    assert f'href="/moeder/{archived.pk}/"' not in html
    assert 'href="/moeder/"' in html


def test_the_public_pdf_numbers_items_the_same_in_the_contents_and_in_the_body(
    published, secretariat_user, anonymous_client, django_capture_on_commit_callbacks
):
    # An open item after the closed one: the public variant keeps every item's own number
    # in the contents and in the body alike, the closed one as "Punkt N: Lukket punkt".
    add_item(secretariat_user, published, "Områdefornyelse Nordvest")
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_send(actor=secretariat_user, meeting=published, change_note="Nyt punkt.")
    public = pdf_text(
        b"".join(anonymous_client.get(f"/moeder/{published.pk}/dagsorden.pdf").streaming_content)
    )
    closed = published.items.get(title=CLOSED_TITLE).position
    last = published.items.get(title="Områdefornyelse Nordvest").position
    assert last == closed + 1
    for item in published.items.filter(title__in=[OPEN_TITLE, "Områdefornyelse Nordvest"]):
        # the contents, the body and the body heading's PDF bookmark
        assert public.count(f"{item.position}. {item.title}") == 3
    assert f"{closed}. Områdefornyelse Nordvest" not in public
    assert public.count(withheld_title(closed)) == 3
    assert_no_closed_item(public)


def test_the_public_pdf_leaves_out_the_change_note_that_may_name_a_closed_item(
    published,
    secretariat_user,
    anonymous_client,
    other_member_client,
    django_capture_on_commit_callbacks,
):
    item = published.items.get(title=CLOSED_TITLE)
    services.agenda_item_save(actor=secretariat_user, item=item, presentation="Opdateret.")
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_send(
            actor=secretariat_user, meeting=published, change_note=f"Ændret: {CLOSED_TITLE}."
        )
    public = pdf_text(
        b"".join(anonymous_client.get(f"/moeder/{published.pk}/dagsorden.pdf").streaming_content)
    )
    assert_no_closed_item(public)
    members = pdf_text(
        b"".join(
            other_member_client.get(f"/moeder/{published.pk}/dagsorden/2.pdf").streaming_content
        )
    )
    assert f"Ændret: {CLOSED_TITLE}." in members


def withheld_title(position: int) -> str:
    return danish("Item %(number)s: Closed item") % {"number": position}


def test_a_closed_item_keeps_its_place_on_the_public_agenda_as_punkt_n_lukket_punkt(
    published, anonymous_client
):
    closed = published.items.get(title=CLOSED_TITLE).position
    opened = published.items.get(title=OPEN_TITLE).position
    html = anonymous_client.get(f"/moeder/{published.pk}/").content.decode()

    assert withheld_title(closed) == f"Punkt {closed}: Lukket punkt"
    assert f'id="punkt-{closed}"' in html and withheld_title(closed) in html
    # In its place: after the open item before it, nothing of it but the number.
    assert html.index(f'id="punkt-{opened}"') < html.index(f'id="punkt-{closed}"')
    assert [int(n) for n in re.findall(r'id="punkt-(\d+)"', html)] == list(
        published.items.order_by("position").values_list("position", flat=True)
    )
    assert_no_closed_item(html)
    # The anonymous visitor cannot fetch the closed item's attachment either.
    closed_file = published.items.get(title=CLOSED_TITLE).attachments.get()
    assert f"/bilag/{closed_file.pk}/" not in html
    assert anonymous_client.get(f"/bilag/{closed_file.pk}/").status_code == 404


def test_the_public_agenda_pdf_lists_a_closed_item_as_punkt_n_lukket_punkt(
    published, anonymous_client
):
    closed = published.items.get(title=CLOSED_TITLE).position
    public = pdf_text(
        b"".join(anonymous_client.get(f"/moeder/{published.pk}/dagsorden.pdf").streaming_content)
    )
    # the contents, the body and the body heading's PDF bookmark
    assert public.count(withheld_title(closed)) == 3
    assert_no_closed_item(public)
