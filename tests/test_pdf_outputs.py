"""The PDFs we make, read by the programs people open them with (issue 9 §3): the text two
independent extractors return is the text that was written (no hyphen that automatic
hyphenation put in, URLs intact), long unbroken words wrap inside the margins, and the file
carries what PDF/UA-1 asks of it as far as WeasyPrint can make it."""

import re
from datetime import date, datetime

import pytest
import time_machine
from django.utils import translation
from django.utils.translation import gettext

from agreements.models import AgreementVersion, FrameworkAgreement
from agreements.pdf import render_agreement_pdf
from meetings.deadlines import TZ
from meetings.models import AgendaVersion
from meetings.pdf import render_agenda_pdf
from meetings.tests.factories import schedule
from minutes.models import Minutes, MinutesVersion
from minutes.pdf import render_minutes_pdf
from tests.pdf_clients import (
    EXTRACTORS,
    glyphs,
    marked_content,
    open_pdf,
    squash,
    structure_elements,
)

pytestmark = pytest.mark.django_db

# Words that automatic Danish hyphenation splits, a URL with hyphens in it, and an 80+
# character file name and word without a space (where a line can only break inside them).
PLAIN = (
    "Miljøforvaltningen og Økonomiforvaltningen gennemgår boligsocialindsatsens "
    "helhedsplaner og kvarterløftsprogrammets anbefalinger for Tingbjerg-Husum."
)
URL = "https://www.kk.dk/politik/politiske-udvalg/teknik-og-miljoeudvalget"
LONG_WORD = "Almenboligforvaltningskoordinationsudvalgsbeslutningsprotokollatsgennemgangsnotat" * 2
LONG_FILE = (
    "bilag_" + "boligsocial-helhedsplan-tingbjerg-husum-2027-2030-endelig-version_" * 2 + ".pdf"
)
LONG_TITLE = f"{LONG_WORD} {LONG_FILE}"
A4_WIDTH, A4_HEIGHT = 595.28, 841.89
MARGIN_X, MARGIN_Y = 20 / 25.4 * 72, 22 / 25.4 * 72  # static/css/agenda-pdf.css


def danish(msgid: str) -> str:
    with translation.override("da"):
        return gettext(msgid).replace(" ", "")


@pytest.fixture
def meeting(forums):
    with time_machine.travel(datetime(2027, 1, 5, 9, 0, tzinfo=TZ), tick=False):
        return schedule(forums["samarbejdsforum"], day=date(2027, 3, 10))


def agenda_pdf(meeting) -> bytes:
    item = {
        "position": 1,
        "title": LONG_TITLE,
        "responsible": "Teknik- og Miljøforvaltningen",
        "responsible_short": "TMF",
        "treatment_label": "Beslutning",
        "is_closed": False,
        "presentation": f"{PLAIN}\nSe {URL} for baggrunden.\n{LONG_WORD}",
        "recommendation": PLAIN,
        "attachments": [{"name": LONG_FILE}],
    }
    version = AgendaVersion(
        meeting=meeting, number=2, change_note=LONG_WORD, snapshot={"items": [item]}
    )
    return render_agenda_pdf(version, public=False)


def minutes_pdf(meeting) -> bytes:
    minutes = Minutes(meeting=meeting, comments_close_at=datetime(2027, 3, 31, 23, 59, tzinfo=TZ))
    item = {
        "position": 1,
        "title": LONG_TITLE,
        "is_closed": False,
        "summary": f"{PLAIN}\nSe {URL} for baggrunden.\n{LONG_WORD}",
        "decision": PLAIN,
        "actions": [{"what": LONG_WORD, "responsible": "TMF", "due_on": "2027-04-01"}],
    }
    snapshot = {"introduction": PLAIN, "items": [item]}
    version = MinutesVersion(minutes=minutes, number=1, is_final=False, snapshot=snapshot)
    return render_minutes_pdf(version, public=False, errata=[])


def agreement_pdf() -> bytes:
    agreement = FrameworkAgreement(
        title=LONG_TITLE, period_start=date(2027, 1, 1), period_end=date(2030, 12, 31)
    )
    snapshot = {
        "introduction": f"{PLAIN}\nSe {URL} for baggrunden.",
        "themes": [{"title": LONG_WORD, "goals": PLAIN, "priorities": LONG_FILE}],
    }
    version = AgreementVersion(
        agreement=agreement, number=1, adopted_on=date(2027, 1, 1), snapshot=snapshot
    )
    return render_agreement_pdf(version)


@pytest.fixture(params=["agenda", "minutes", "agreement"])
def pdf(request, meeting) -> bytes:
    return {
        "agenda": lambda: agenda_pdf(meeting),
        "minutes": lambda: minutes_pdf(meeting),
        "agreement": agreement_pdf,
    }[request.param]()


@pytest.mark.parametrize("extractor", EXTRACTORS)
def test_the_text_readers_extract_is_the_text_that_was_written(pdf, extractor):
    text = EXTRACTORS[extractor](pdf)
    assert "\u2010" not in text and "\u00ad" not in text
    # Every sentence searches as written; a line break is whitespace, never a hyphen.
    for word in PLAIN.split():
        assert word in text, word
    assert URL in text
    assert squash(LONG_WORD) in squash(text)
    assert squash(LONG_FILE) in squash(text)


def test_long_unbroken_words_file_names_and_urls_wrap_inside_the_margins(pdf):
    found, sizes = glyphs(pdf)
    assert squash(LONG_WORD) in "".join(g.text for g in found)
    for width, height in sizes:
        assert (width, height) == pytest.approx((A4_WIDTH, A4_HEIGHT), abs=0.5)
    tolerance = 0.5  # points: rounding in the PDF's coordinates
    left, right = MARGIN_X - tolerance, A4_WIDTH - MARGIN_X + tolerance
    bottom, top = MARGIN_Y - tolerance, A4_HEIGHT - MARGIN_Y + tolerance
    assert [g for g in found if g.x0 < left or g.x1 > right] == []
    # Only the running texts of the page margin boxes (page number, draft mark) lie above or
    # below the content box; a line of them is recognised by what it says.
    lines: dict[tuple[int, float], str] = {}
    for g in found:
        if g.y0 < bottom or g.y1 > top:
            lines[g.page, round(g.y0)] = lines.get((g.page, round(g.y0)), "") + g.text
    running = {danish("DRAFT – for comments")}
    lines = {key: squash(text) for key, text in lines.items()}
    assert [t for t in lines.values() if t not in running and not re.fullmatch(r"\d+/\d+", t)] == []


# --- PDF/UA-1 as far as WeasyPrint allows ----------------------------------------------------


def test_pdfs_declare_pdf_ua_with_title_and_language_in_their_xmp_metadata(pdf):
    document = open_pdf(pdf)
    assert document.pdf_version == "1.7"
    with document.open_metadata() as meta:
        assert meta["pdfuaid:part"] == "1"
        assert meta["dc:title"] == str(document.docinfo.Title)
        assert LONG_WORD[:40] in meta["dc:title"] or "Samarbejdsforum" in meta["dc:title"]
        assert list(meta["dc:language"]) == ["da"]
    assert document.Root.Lang == "da"
    assert bool(document.Root.MarkInfo.Marked) is True
    assert bool(document.Root.ViewerPreferences.DisplayDocTitle) is True


def test_page_numbers_and_the_draft_mark_are_artifacts_and_all_tagged_content_is_in_the_tree(
    pdf,
):
    document = open_pdf(pdf)
    in_tree = {element.objgen for element in structure_elements(document)}
    parent_tree = document.Root.StructTreeRoot.ParentTree.Nums
    for page_index in range(len(document.pages)):
        mcids, artifacts = marked_content(document, page_index)
        # The page number is an artifact …
        assert artifacts >= 1
        # … and every piece of tagged content belongs to an element of the tree.
        owners = parent_tree[2 * page_index + 1]
        assert int(parent_tree[2 * page_index]) == page_index
        for mcid in mcids:
            assert owners[mcid].objgen in in_tree, mcid
        assert all(owner.objgen in in_tree for owner in owners if owner is not None)


def test_the_draft_mark_of_the_minutes_is_an_artifact_beside_the_page_number(meeting):
    document = open_pdf(minutes_pdf(meeting))
    assert [marked_content(document, page)[1] for page in range(len(document.pages))] == [2]


def test_headings_never_skip_a_level(pdf):
    document = open_pdf(pdf)
    levels = [
        int(str(element.S)[2:])
        for element in structure_elements(document)
        if re.fullmatch(r"/H[1-6]", str(element.S))
    ]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
