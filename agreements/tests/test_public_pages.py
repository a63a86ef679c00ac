"""The public pages of the framework agreement, its versions, the sub-agreements and the
initiatives: readable without sign-in; nothing before both approvals; every version with
its PDF, word-level comparison and Atom entry; unpublished sub-agreements hidden."""

import re
import xml.etree.ElementTree as ET
from datetime import date, datetime
from html import unescape
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agreements import services
from agreements.models import FrameworkAgreement, Initiative, SubAgreement, Theme
from forums.models import Forum, Organisation
from forums.tests.factories import OrganisationFactory
from meetings import services as meeting_services
from meetings.deadlines import TZ
from meetings.tests.factories import at, schedule

pytestmark = pytest.mark.django_db

SCHEDULED_AT = datetime(2026, 12, 1, 10, 0, tzinfo=TZ)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ATOM = "{http://www.w3.org/2005/Atom}"


def long_date(day: date) -> str:
    return date_format(day, "j. F Y")


def text_of(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return tmp_path / "private"


@pytest.fixture
def meetings(forums):
    """Partnerskabsforum negotiated the agreement in May 2026 (an archive entry) and
    adjusts it on 20 May 2027."""
    negotiated = meeting_services.meeting_schedule(
        actor=None,
        forum=forums["partnerskabsforum"],
        starts_at=at(date(2026, 5, 19), 14),
        ends_at=at(date(2026, 5, 19), 16),
        is_archive=True,
        now=SCHEDULED_AT,
    )
    adjusting = schedule(forums["partnerskabsforum"], day=date(2027, 5, 20), now=SCHEDULED_AT)
    return negotiated, adjusting


def borgmesterforum_preparation():
    """The Borgmesterforum meeting (an archive entry of 4 March 2026) that prepared the
    agreements of these tests: a renewal is negotiated only once one is named (issue 10 §4)."""
    from meetings.models import Meeting

    existing = Meeting.objects.filter(forum__slug="borgmesterforum", is_archive=True).first()
    return existing or meeting_services.meeting_schedule(
        actor=None,
        forum=Forum.objects.get(slug="borgmesterforum"),
        starts_at=at(date(2026, 3, 4), 14),
        ends_at=at(date(2026, 3, 4), 16),
        is_archive=True,
        now=SCHEDULED_AT,
    )


def new_agreement(actor, title, start, end):
    agreement = services.agreement_save(
        actor=actor,
        agreement=FrameworkAgreement(),
        title=title,
        period_start=start,
        period_end=end,
        prepared_at=borgmesterforum_preparation(),
        introduction="Aftalen mellem Borgerrepræsentationen og BL 1. kreds.",
    )
    services.theme_save(
        actor=actor,
        theme=Theme(agreement=agreement),
        position=1,
        title="Tryghed og trivsel",
        goals="Flere trygge boligområder.",
        priorities="Indsats i udsatte områder.",
    )
    services.theme_save(
        actor=actor,
        theme=Theme(agreement=agreement),
        position=2,
        title="Fleksibel udlejning",
        goals="Flere boliger udlejes fleksibelt.",
        priorities="Fortrinsret for uddannelsessøgende.",
    )
    return agreement


def bring_into_force(actor, agreement, meeting, *, br, housing, capture):
    services.agreement_mark_negotiated(actor=actor, agreement=agreement, meeting=meeting)
    services.agreement_record_br_approval(
        actor=actor, agreement=agreement, approved_on=br, case_reference="2026-0123"
    )
    with capture(execute=True):
        services.agreement_record_housing_approval(
            actor=actor, agreement=agreement, approved_on=housing
        )
    agreement.refresh_from_db()
    return agreement


def adjust(actor, agreement, meeting, capture, *, note="Udvidet til alle udsatte boligområder."):
    with capture(execute=True):
        return services.agreement_adjust(
            actor=actor,
            agreement=agreement,
            meeting=meeting,
            adopted_on=date(2027, 5, 20),
            decision="Prioriteringerne justeres.",
            change_note=note,
        )


@pytest.fixture
def published(secretariat_user, meetings, django_capture_on_commit_callbacks):
    """The agreement in force with version 1 (as approved) and version 2 (an adjustment
    that changes one theme's priorities and adds a theme)."""
    negotiated, adjusting = meetings
    agreement = new_agreement(
        secretariat_user, "Hovedaftale 2027–2030", date(2027, 1, 1), date(2030, 12, 31)
    )
    bring_into_force(
        secretariat_user,
        agreement,
        negotiated,
        br=date(2026, 12, 1),
        housing=date(2026, 12, 15),
        capture=django_capture_on_commit_callbacks,
    )
    theme = agreement.themes.get(title="Tryghed og trivsel")
    services.theme_save(
        actor=secretariat_user, theme=theme, priorities="Indsats i alle udsatte boligområder."
    )
    services.theme_save(
        actor=secretariat_user,
        theme=Theme(agreement=agreement),
        position=3,
        title="Fremtidssikring",
        goals="Boligerne moderniseres.",
        priorities="",
    )
    adjust(secretariat_user, agreement, adjusting, django_capture_on_commit_callbacks)
    assert list(agreement.versions.values_list("number", flat=True)) == [1, 2]
    return agreement


@pytest.fixture
def draft(secretariat_user):
    return new_agreement(
        secretariat_user, "Hovedaftale 2031–2034 (udkast)", date(2031, 1, 1), date(2034, 12, 31)
    )


@pytest.fixture
def subs(secretariat_user, forums):
    """A published sub-agreement and an internal one, each with a document."""
    made = {}
    for published in (True, False):
        made[published] = services.sub_agreement_save(
            actor=secretariat_user,
            sub_agreement=SubAgreement(),
            title=f"Fleksibel udlejning ({'offentlig' if published else 'intern'})",
            theme="Fleksibel udlejning",
            administration=Organisation.objects.get(short_name="TMF"),
            housing_organisation=OrganisationFactory(name=f"Boligselskab {published}"),
            period_start=date(2027, 1, 1),
            period_end=date(2029, 12, 31),
            status=SubAgreement.Status.SIGNED,
            is_published=published,
            files=[SimpleUploadedFile("delaftale.pdf", PDF, content_type="application/pdf")],
        )
    return made[True], made[False]


@pytest.fixture
def initiative(forums):
    return Initiative.objects.create(
        name="Områdefornyelse Tingbjerg",
        area="Tingbjerg",
        kind=Initiative.Kind.AREA_RENEWAL,
        period_start=date(2025, 1, 1),
        period_end=date(2029, 12, 31),
        status=Initiative.Status.ACTIVE,
        responsible=Organisation.objects.get(short_name="TMF"),
    )


# --- The agreement in force -------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/hovedaftale/", "detail"])
def test_the_agreement_in_force_is_shown_readably_without_sign_in(
    published, meetings, anonymous_client, path
):
    negotiated, adjusting = meetings
    pk = published.pk
    response = anonymous_client.get(f"/hovedaftale/{pk}/" if path == "detail" else path)
    assert response.status_code == 200
    assert response.context["agreement"] == published
    assert response.context["version"].number == 2
    html = text_of(response)
    assert f"<h1>{published.title}</h1>" in html
    # Period and parties.
    assert long_date(date(2027, 1, 1)) in html and long_date(date(2030, 12, 31)) in html
    assert published.parties in html
    # The themes with goals and priorities as adopted in version 2.
    for text in (
        "Tryghed og trivsel",
        "Flere trygge boligområder.",
        "Indsats i alle udsatte boligområder.",
        "Fleksibel udlejning",
        "Fortrinsret for uddannelsessøgende.",
        "Fremtidssikring",
        "Boligerne moderniseres.",
    ):
        assert text in html, text
    assert "Indsats i udsatte områder." not in html
    # The approvals and where it was negotiated.
    assert long_date(date(2026, 12, 1)) in html and "2026-0123" in html
    assert long_date(date(2026, 12, 15)) in html
    assert f'href="{negotiated.get_absolute_url()}"' in html
    assert long_date(date(2026, 5, 19)) in html
    # The history: each version with its date, meeting and change, and the comparison.
    for number in (1, 2):
        assert f'href="/hovedaftale/{pk}/version/{number}/"' in html
    assert long_date(date(2027, 5, 20)) in html
    assert "Udvidet til alle udsatte boligområder." in html
    assert adjusting.forum.name in html
    assert f'href="/hovedaftale/{pk}/sammenlign/?fra=1&til=2"' in html
    assert f'href="/hovedaftale/{pk}/version/2.pdf"' in html
    assert 'href="/hovedaftale/nyheder.atom"' in html


def test_edited_themes_are_not_public_until_adopted_as_a_version(
    published, secretariat_user, anonymous_client
):
    theme = published.themes.get(title="Fleksibel udlejning")
    services.theme_save(
        actor=secretariat_user, theme=theme, priorities="Arbejdstekst, ikke vedtaget."
    )
    for path in (
        "/hovedaftale/",
        f"/hovedaftale/{published.pk}/",
        f"/hovedaftale/{published.pk}/version/2/",
    ):
        assert "Arbejdstekst" not in text_of(anonymous_client.get(path)), path


def test_each_version_has_its_own_page(published, meetings, anonymous_client):
    _negotiated, adjusting = meetings
    first = text_of(anonymous_client.get(f"/hovedaftale/{published.pk}/version/1/"))
    assert "Indsats i udsatte områder." in first and "Fremtidssikring" not in first
    second = anonymous_client.get(f"/hovedaftale/{published.pk}/version/2/")
    assert second.context["version"].meeting == adjusting
    html = text_of(second)
    assert "Indsats i alle udsatte boligområder." in html and "Fremtidssikring" in html
    assert "Prioriteringerne justeres." in html
    assert f'href="/hovedaftale/{published.pk}/sammenlign/?fra=1&til=2"' in html
    assert anonymous_client.get(f"/hovedaftale/{published.pk}/version/3/").status_code == 404


def test_earlier_agreements_stay_reachable(
    published, meetings, secretariat_user, anonymous_client, django_capture_on_commit_callbacks
):
    negotiated, _adjusting = meetings
    # An agreement of an earlier period, which expired.
    old = new_agreement(
        secretariat_user, "Hovedaftale 2019–2022", date(2019, 1, 1), date(2022, 12, 31)
    )
    bring_into_force(
        secretariat_user,
        old,
        negotiated,
        br=date(2018, 12, 1),
        housing=date(2018, 12, 10),
        capture=django_capture_on_commit_callbacks,
    )
    services.expire_agreements(now=datetime(2023, 1, 2, 9, 0, tzinfo=TZ))
    # The successor of the agreement in force replaces it from 1 July 2030.
    successor = new_agreement(
        secretariat_user, "Hovedaftale 2030–2034", date(2030, 7, 1), date(2034, 6, 30)
    )
    bring_into_force(
        secretariat_user,
        successor,
        negotiated,
        br=date(2030, 5, 4),
        housing=date(2030, 6, 2),
        capture=django_capture_on_commit_callbacks,
    )
    old.refresh_from_db()
    published.refresh_from_db()
    assert old.status == FrameworkAgreement.Status.EXPIRED
    assert published.status == FrameworkAgreement.Status.REPLACED

    current = text_of(anonymous_client.get("/hovedaftale/"))
    assert f"<h1>{successor.title}</h1>" in current
    assert f'href="/hovedaftale/{published.pk}/"' in current
    assert f'href="/hovedaftale/{old.pk}/"' in current

    replaced = anonymous_client.get(f"/hovedaftale/{published.pk}/")
    assert replaced.status_code == 200
    assert f'href="/hovedaftale/{successor.pk}/"' in text_of(replaced)
    for path in (
        f"/hovedaftale/{published.pk}/version/1/",
        f"/hovedaftale/{published.pk}/version/2/",
        f"/hovedaftale/{published.pk}/version/2.pdf",
        f"/hovedaftale/{published.pk}/sammenlign/?fra=1&til=2",
        f"/hovedaftale/{old.pk}/",
        f"/hovedaftale/{old.pk}/version/1/",
    ):
        assert anonymous_client.get(path).status_code == 200, path


# --- Never before both approvals -------------------------------------------------------------


def sitemap_locations(client) -> set[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {
        loc.text.removeprefix("http://testserver")
        for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    }


@pytest.mark.parametrize("stage", ["draft", "negotiated", "approved_by_br"])
def test_an_agreement_before_both_approvals_never_appears(
    published,
    draft,
    meetings,
    secretariat_user,
    anonymous_client,
    member_client,
    other_member_client,
    stage,
):
    if stage != "draft":
        services.agreement_mark_negotiated(
            actor=secretariat_user, agreement=draft, meeting=meetings[1]
        )
    if stage == "approved_by_br":
        services.agreement_record_br_approval(
            actor=secretariat_user,
            agreement=draft,
            approved_on=date(2030, 9, 1),
            case_reference="x",
        )
    for client in (anonymous_client, member_client, other_member_client):
        for path in (
            f"/hovedaftale/{draft.pk}/",
            f"/hovedaftale/{draft.pk}/version/1/",
            f"/hovedaftale/{draft.pk}/version/1.pdf",
            f"/hovedaftale/{draft.pk}/sammenlign/",
        ):
            assert client.get(path).status_code == 404, path
        assert draft.title not in text_of(client.get("/hovedaftale/"))
    assert f"/hovedaftale/{draft.pk}/" not in sitemap_locations(anonymous_client)
    assert draft.title not in text_of(anonymous_client.get("/hovedaftale/nyheder.atom"))


def test_without_an_agreement_in_force_the_page_says_so_and_shows_no_draft(draft, anonymous_client):
    response = anonymous_client.get("/hovedaftale/")
    assert response.status_code == 200
    assert response.context["agreement"] is None
    html = text_of(response)
    assert _("No framework agreement has been approved yet.") in html
    assert draft.title not in html and "Tryghed og trivsel" not in html


# --- Comparison, PDF, feed --------------------------------------------------------------------


def test_comparing_two_versions_marks_inserted_and_deleted_words(published, anonymous_client):
    response = anonymous_client.get(f"/hovedaftale/{published.pk}/sammenlign/?fra=1&til=2")
    assert response.status_code == 200
    html = text_of(response)
    inserted = re.findall(r"<ins>(.*?)</ins>", html, re.S)
    deleted = re.findall(r"<del>(.*?)</del>", html, re.S)
    assert [w.strip() for w in inserted if "alle" in w] == ["alle"]
    assert "områder." in [w.strip() for w in deleted]
    assert "boligområder." in [w.strip() for w in inserted]
    # A theme added in version 2 is inserted as a whole; unchanged text is not marked.
    assert "Boligerne moderniseres." in [w.strip() for w in inserted]
    assert not any("Fortrinsret" in w for w in inserted + deleted)
    assert "Fortrinsret for uddannelsessøgende." in html
    # Without parameters the latest version is compared with the one before.
    default = anonymous_client.get(f"/hovedaftale/{published.pk}/sammenlign/")
    assert (default.context["first"].number, default.context["second"].number) == (1, 2)


@pytest.mark.parametrize("query", ["?fra=1&til=7", "?fra=0&til=2", "?fra=en&til=2"])
def test_comparing_versions_that_do_not_exist_is_not_found(published, anonymous_client, query):
    response = anonymous_client.get(f"/hovedaftale/{published.pk}/sammenlign/{query}")
    assert response.status_code == 404


def test_the_pdf_of_each_version_downloads(published, private_media, anonymous_client):
    for version in published.versions.order_by("number"):
        assert version.pdf.name
        stored = Path(version.pdf.path)
        assert stored.is_file() and stored.is_relative_to(private_media)
        response = anonymous_client.get(f"/hovedaftale/{published.pk}/version/{version.number}.pdf")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert f"hovedaftale-version-{version.number}.pdf" in response["Content-Disposition"]
        body = b"".join(response.streaming_content)
        assert body.startswith(b"%PDF-") and body == stored.read_bytes()
    assert anonymous_client.get(f"/hovedaftale/{published.pk}/version/3.pdf").status_code == 404


def feed_entries(client) -> list[dict]:
    response = client.get("/hovedaftale/nyheder.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "id": entry.findtext(f"{ATOM}id"),
        }
        for entry in root.iter(f"{ATOM}entry")
    ]


def test_the_atom_feed_has_one_entry_for_each_new_version(
    published, meetings, secretariat_user, anonymous_client, django_capture_on_commit_callbacks
):
    def title(number):
        return _("%(title)s, version %(number)d") % {"title": published.title, "number": number}

    entries = feed_entries(anonymous_client)
    assert [e["title"] for e in entries] == [title(2), title(1)]
    assert [e["link"] for e in entries] == [
        f"http://testserver/hovedaftale/{published.pk}/version/2/",
        f"http://testserver/hovedaftale/{published.pk}/version/1/",
    ]
    assert len({e["id"] for e in entries}) == 2

    theme = published.themes.get(title="Fremtidssikring")
    services.theme_save(actor=secretariat_user, theme=theme, priorities="Energirenovering først.")
    adjust(secretariat_user, published, meetings[1], django_capture_on_commit_callbacks)
    assert [e["title"] for e in feed_entries(anonymous_client)] == [title(3), title(2), title(1)]


RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


def test_the_atom_feed_has_the_secretariat_as_author_and_every_element_rfc_4287_requires(
    published, anonymous_client
):
    root = ET.fromstring(anonymous_client.get("/hovedaftale/nyheder.atom").content)

    def links(node) -> dict[str, str]:
        return {
            link.get("rel", "alternate"): link.get("href") for link in node.findall(f"{ATOM}link")
        }

    # The feed (RFC 4287 §4.1.1): id, title, updated, an author (no entry has its own), and
    # the W3C validator's recommended self link; every URI absolute.
    assert root.findtext(f"{ATOM}id").startswith("http://testserver/")
    assert root.findtext(f"{ATOM}title")
    assert RFC3339.fullmatch(root.findtext(f"{ATOM}updated"))
    [author] = root.findall(f"{ATOM}author")
    assert author.findtext(f"{ATOM}name") == _(
        "The secretariat, Teknik- og Miljøforvaltningen, Center for Bydesign"
    )
    assert author.findtext(f"{ATOM}uri") == "http://testserver/"
    assert links(root) == {
        "alternate": "http://testserver/hovedaftale/",
        "self": "http://testserver/hovedaftale/nyheder.atom",
    }
    # Every entry (§4.1.2): id, title, updated, and an alternate link as it has no content.
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2
    for entry in entries:
        assert entry.findtext(f"{ATOM}id").startswith("http://testserver/")
        assert entry.findtext(f"{ATOM}title")
        assert RFC3339.fullmatch(entry.findtext(f"{ATOM}updated"))
        assert links(entry)["alternate"].startswith("http://testserver/hovedaftale/")
        assert entry.find(f"{ATOM}author") is None


# --- Sitemap, sub-agreements, sign-in ---------------------------------------------------------


def test_public_agreement_pages_and_published_registers_are_in_the_sitemap(
    published, draft, subs, initiative, anonymous_client
):
    public_sub, internal_sub = subs
    locations = sitemap_locations(anonymous_client)
    expected = {
        "/hovedaftale/",
        f"/hovedaftale/{published.pk}/",
        f"/hovedaftale/{published.pk}/version/1/",
        f"/hovedaftale/{published.pk}/version/2/",
        "/delaftaler/",
        f"/delaftaler/{public_sub.pk}/",
        "/indsatser/",
        f"/indsatser/{initiative.pk}/",
    }
    assert expected <= locations, expected - locations
    assert f"/delaftaler/{internal_sub.pk}/" not in locations
    assert f"/hovedaftale/{draft.pk}/" not in locations
    # Every location listed there answers a visitor without sign-in.
    for path in expected:
        assert anonymous_client.get(path).status_code == 200, path


def test_an_unpublished_sub_agreement_is_hidden_from_the_public_and_members(
    subs, anonymous_client, member_client, other_member_client, secretariat_client
):
    public_sub, internal_sub = subs
    document = internal_sub.documents.get()
    for client in (anonymous_client, member_client, other_member_client):
        assert client.get(f"/delaftaler/{internal_sub.pk}/").status_code == 404
        assert client.get(f"/delaftaler/dokumenter/{document.pk}/").status_code == 404
        listed = client.get("/delaftaler/")
        assert list(listed.context["sub_agreements"]) == [public_sub]
        assert internal_sub.title not in text_of(listed)

    shown = secretariat_client.get(f"/delaftaler/{internal_sub.pk}/")
    assert shown.status_code == 200
    html = text_of(shown)
    assert internal_sub.title in html and _("internal") in html
    assert f'href="/delaftaler/dokumenter/{document.pk}/"' in html
    download = secretariat_client.get(f"/delaftaler/dokumenter/{document.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_a_published_sub_agreement_and_its_documents_are_public(
    subs, private_media, anonymous_client
):
    public_sub, _internal = subs
    document = public_sub.documents.get()
    assert Path(document.file.path).is_relative_to(private_media)
    page = anonymous_client.get(f"/delaftaler/{public_sub.pk}/")
    assert page.status_code == 200
    html = text_of(page)
    assert public_sub.title in html and _("internal") not in html
    assert f'href="/delaftaler/dokumenter/{document.pk}/"' in html
    download = anonymous_client.get(f"/delaftaler/dokumenter/{document.pk}/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF


def test_the_public_pages_work_without_sign_in(published, subs, initiative, anonymous_client):
    public_sub, _internal = subs
    pk = published.pk
    for path in (
        "/hovedaftale/",
        f"/hovedaftale/{pk}/",
        f"/hovedaftale/{pk}/version/1/",
        f"/hovedaftale/{pk}/version/1.pdf",
        f"/hovedaftale/{pk}/sammenlign/?fra=1&til=2",
        "/hovedaftale/nyheder.atom",
        "/delaftaler/",
        f"/delaftaler/{public_sub.pk}/",
        f"/delaftaler/dokumenter/{public_sub.documents.get().pk}/",
        "/indsatser/",
        f"/indsatser/{initiative.pk}/",
    ):
        response = anonymous_client.get(path)
        assert response.status_code == 200, path
    # The secretariat's pages are not among them.
    for path in (
        "/sekretariat/hovedaftaler/",
        f"/sekretariat/hovedaftaler/{pk}/",
        "/sekretariat/delaftaler/ny/",
        "/sekretariat/indsatser/ny/",
    ):
        response = anonymous_client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/konto/log-ind/")


def test_the_feed_declares_change_notes_as_plain_text_and_a_strict_parser_reads_them_intact(
    published, meetings, secretariat_user, anonymous_client, django_capture_on_commit_callbacks
):
    note = 'Tom\'s "plan" & co: <b>fed</b> tekst & mere'
    theme = published.themes.get(title="Fremtidssikring")
    services.theme_save(actor=secretariat_user, theme=theme, priorities="Energirenovering først.")
    adjust(secretariat_user, published, meetings[1], django_capture_on_commit_callbacks, note=note)

    response = anonymous_client.get("/hovedaftale/nyheder.atom")
    root = ET.fromstring(response.content)  # strict: malformed XML raises ParseError

    latest = next(root.iter(f"{ATOM}entry"))
    summary = latest.find(f"{ATOM}summary")
    assert summary.get("type") == "text"
    assert summary.text == note
    assert all(s.get("type") == "text" for s in root.iter(f"{ATOM}summary"))
    assert published.versions.get(number=3).change_note == note


@pytest.mark.parametrize(
    "value", ["abc", "0", "-1", "99999", "9" * 30, "", "'", "\x00", "x" * 5000]
)
def test_comparing_versions_with_a_bad_number_is_not_found_never_an_error(
    published, anonymous_client, value
):
    for query in ({"fra": value}, {"til": value}, {"fra": value, "til": value}):
        response = anonymous_client.get(f"/hovedaftale/{published.pk}/sammenlign/", query)
        assert response.status_code in (200, 404), query
