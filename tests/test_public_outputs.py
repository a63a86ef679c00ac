"""What is not public stays out of every public output.

A secret marker ("HEMMELIG-MARKØR-<n>") is planted in every text of what is not public:
closed items (title, case presentation, recommendation, attachment file name, minutes
summary, decision, follow-up actions, comments) in all four forums, and everything of the
three forums whose agenda and minutes are not public (open items too, the minutes'
introduction, proposals), plus an internal sub-agreement. Each forum's meeting has had its
agenda sent and its minutes approved, and an initiative is linked to every meeting and every
decision. Then an anonymous visitor crawls every public URL (the anonymous rows of
tests/test_permissions.py with each planted object, every sitemap entry, and every link
found on a public page within the site), reading HTML, PDF (text extracted), Atom and
iCalendar: the marker appears nowhere. What is public (Partnerskabsforum's open item)
does appear, so the crawl demonstrably reached the agenda, the minutes and their PDFs.

A meeting's time, place, title and status are public for every forum (the public calendar
feeds and the list of coming meetings show them), so no marker is planted there."""

import itertools
import re
from collections import deque
from datetime import date, datetime, timedelta
from urllib.parse import urljoin, urlsplit

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from agreements import services as agreement_services
from agreements.models import AgreementVersion, FrameworkAgreement, Initiative, SubAgreement
from core.sweep import sweep_run
from forums.models import Organisation
from forums.tests.factories import MembershipFactory, PersonFactory, UserFactory, seat
from meetings import services as meeting_services
from meetings.attachments import attachment_store
from meetings.deadlines import TZ
from meetings.models import AgendaItem, Attachment, Meeting
from meetings.tests.factories import schedule
from meetings.tests.test_public import pdf_text
from minutes import services as minutes_services
from minutes.models import Minutes, MinutesItem
from tests.test_permissions import EXPECTED, LOGIN

pytestmark = pytest.mark.django_db

SECRET = "HEMMELIG"
PUBLIC = "OFFENTLIG-INDHOLD"
DAYS = {
    "borgmesterforum": date(2027, 5, 10),
    "samarbejdsforum": date(2027, 5, 11),
    "partnerskabsforum": date(2027, 5, 12),
    "tvaerkommunal-styregruppe": date(2027, 5, 13),
}
SCHEDULED = datetime(2026, 12, 1, 9, 0, tzinfo=TZ)
AGENDA_SENT = datetime(2027, 4, 20, 9, 0, tzinfo=TZ)
MINUTES_SENT = datetime(2027, 5, 14, 10, 0, tzinfo=TZ)
COMMENTED = datetime(2027, 5, 15, 10, 0, tzinfo=TZ)
APPROVED = datetime(2027, 5, 29, 0, 5, tzinfo=TZ)  # every comment window has closed
PUBLIC_FORUM = "partnerskabsforum"
PDF_BYTES = b"%PDF-1.4 bilag"


class Markers:
    def __init__(self) -> None:
        self.count = itertools.count(1)

    def __call__(self) -> str:
        return f"{SECRET}-MARKØR-{next(self.count)}"


def travel(moment: datetime):
    return time_machine.travel(moment, tick=False)


def text_for(secret: bool, markers: Markers, public: str) -> str:
    return markers() if secret else public


def plant_meeting(forum, *, actor, tmf, markers: Markers) -> Meeting:
    """A meeting of `forum` with an open and a closed item (each with an attachment) and a
    proposal left undecided. Everything of a non-public forum carries a marker; in the
    public forum only the closed item does."""
    hidden = forum.slug != PUBLIC_FORUM
    meeting = schedule(forum, day=DAYS[forum.slug], actor=actor)
    for closed in (False, True):
        secret = hidden or closed
        item = meeting_services.agenda_item_save(
            actor=actor,
            item=AgendaItem(meeting=meeting),
            title=text_for(secret, markers, f"{PUBLIC} punkt"),
            presentation=text_for(secret, markers, f"{PUBLIC} sagsfremstilling"),
            recommendation=text_for(secret, markers, f"{PUBLIC} indstilling"),
            responsible=tmf,
            is_closed=closed,
        )
        name = f"{text_for(secret, markers, PUBLIC)}.pdf"
        attachment_store(upload=SimpleUploadedFile(name, PDF_BYTES), user=actor, item=item)
    meeting_services.proposal_submit(
        actor=actor,
        meeting=meeting,
        title=markers(),
        description=markers(),
        treatment="discussion",
    )
    return meeting


def write_minutes(meeting: Meeting, *, actor, tmf, markers: Markers) -> Minutes:
    hidden = meeting.forum.slug != PUBLIC_FORUM
    minutes = minutes_services.minutes_start(actor=actor, meeting=meeting)
    texts = {}
    for item in minutes.items.all():
        secret = hidden or item.is_closed
        texts[item.pk] = {
            "summary": text_for(secret, markers, f"{PUBLIC} referat"),
            "decision": text_for(secret, markers, f"{PUBLIC} beslutning"),
        }
        minutes_services.action_add(
            actor=actor,
            item=item,
            what=text_for(secret, markers, f"{PUBLIC} handling"),
            responsible=tmf,
            due_on=date(2027, 9, 1),
        )
    minutes = minutes_services.minutes_save(
        actor=actor,
        minutes=minutes,
        lock_version=minutes.lock_version,
        introduction=markers() if hidden else "Velkommen.",
        items=texts,
    )
    minutes_services.minutes_send(actor=actor, minutes=minutes)
    return minutes


def member_of(slug: str):
    user = UserFactory(email=f"medlem.{slug}@example.org")
    person = PersonFactory(name=user.full_name, email=user.email, user=user)
    MembershipFactory(person=person, forum=seat(slug).forum, seat=seat(slug))
    return user


@pytest.fixture
def planted(forums, secretariat_user, settings, tmp_path, django_capture_on_commit_callbacks):
    """Four meetings (one per forum) with their agenda sent and minutes approved, markers
    planted as the module docstring says; returns the objects public URLs name."""
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    markers = Markers()
    tmf = Organisation.objects.get(short_name="TMF")
    capture = django_capture_on_commit_callbacks
    with travel(SCHEDULED), capture(execute=True):
        meetings = [
            plant_meeting(forums[slug], actor=secretariat_user, tmf=tmf, markers=markers)
            for slug in DAYS
        ]
    with travel(AGENDA_SENT), capture(execute=True):
        for meeting in meetings:
            meeting_services.agenda_send(actor=secretariat_user, meeting=meeting)
    with travel(MINUTES_SENT), capture(execute=True):
        all_minutes = [
            write_minutes(m, actor=secretariat_user, tmf=tmf, markers=markers) for m in meetings
        ]
    with travel(COMMENTED), capture(execute=True):
        for minutes in all_minutes:
            commenter = member_of(minutes.meeting.forum.slug)
            for item in minutes.items.all():
                minutes_services.comment_add(
                    actor=commenter, minutes=minutes, item=item, body=markers()
                )
    with travel(APPROVED), capture(execute=True):
        sweep_run(now=APPROVED)
    assert set(Minutes.objects.values_list("status", flat=True)) == {Minutes.Status.APPROVED}
    assert set(Meeting.objects.values_list("status", flat=True)) <= {
        Meeting.Status.AGENDA_SENT,
        Meeting.Status.HELD,
    }

    agreement = FrameworkAgreement.objects.create(
        title="Hovedaftale 2025-2028",
        period_start=date(2025, 1, 1),
        period_end=date(2028, 12, 31),
        status=FrameworkAgreement.Status.IN_FORCE,
    )
    version = AgreementVersion.objects.create(
        agreement=agreement, number=1, adopted_on=date(2025, 1, 1), snapshot={"themes": []}
    )
    agreement_services.agreement_version_render(version_id=version.pk)
    housing = Organisation.objects.create(name="Boligselskabet", kind="housing_organisation")
    internal = SubAgreement.objects.create(
        title=markers(),
        theme=markers(),
        summary=markers(),
        administration=tmf,
        housing_organisation=housing,
        period_start=date(2025, 1, 1),
        period_end=date(2026, 12, 31),
    )
    document = internal.documents.create(
        file=ContentFile(PDF_BYTES, name="delaftale.pdf"),
        name=f"{markers()}.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
    )
    initiative = agreement_services.initiative_save(
        actor=secretariat_user,
        initiative=Initiative(),
        name="Områdefornyelse Nordvest",
        area="Bispebjerg",
        kind="area_renewal",
        period_start=date(2024, 1, 1),
        responsible=tmf,
        meetings=meetings,
        decisions=MinutesItem.objects.exclude(decision=""),
    )
    return {
        "meeting": [m.pk for m in meetings],
        "attachment": list(Attachment.objects.values_list("pk", flat=True)),
        "agreement": [agreement.pk],
        "sub_agreement": [internal.pk],
        "sub_document": [document.pk],
        "initiative": [initiative.pk],
        "samarbejdsforum": [f.slug for f in forums.values()],
    }


def anonymous_urls(planted: dict) -> list[str]:
    """Every URL of the permission table that an anonymous visitor may open, with each
    planted object in turn (pages that answer 404 for one object answer 200 for another)."""
    urls = []
    for name, (kwargs, anonymous, *_others) in EXPECTED.items():
        if anonymous == LOGIN or name.startswith(("secretariat:", "notifications:")):
            continue
        choices = [[(k, value) for value in planted.get(v, [v])] for k, v in kwargs.items()]
        for combination in itertools.product(*choices):
            urls.append(reverse(name, kwargs=dict(combination)))
    return urls


def sitemap_urls(client: Client) -> list[str]:
    response = client.get(reverse("sitemap"))
    assert response.status_code == 200
    return [urlsplit(u).path for u in re.findall(r"<loc>([^<]+)</loc>", response.text)]


def body_of(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def readable(response) -> str:
    """What a reader of the response sees: the decoded HTML/XML/iCalendar (lines unfolded),
    the text of a PDF, and the headers (a download's file name)."""
    body = body_of(response)
    headers = " ".join(f"{k}: {v}" for k, v in response.headers.items())
    if body.startswith(b"%PDF-"):
        try:
            text = pdf_text(body)
        except Exception:  # not a WeasyPrint PDF (an uploaded attachment)
            text = ""
        return f"{headers} {text} {body.decode('latin-1')}"
    return f"{headers} {body.decode('utf-8', 'replace').replace(chr(13) + chr(10) + ' ', '')}"


LINK = re.compile(r"""(?:href|src|action)=["']([^"'#]+)""")


def links(page: str, base: str) -> list[str]:
    found = []
    for href in LINK.findall(page):
        url = urlsplit(urljoin(f"http://testserver{base}", href.replace("&amp;", "&")))
        if url.netloc == "testserver" and not url.path.startswith(("/static/", "/admin/")):
            found.append(url.path + (f"?{url.query}" if url.query else ""))
    return found


def crawl(client: Client, start: list[str], *, limit: int = 600) -> dict[str, str]:
    """Breadth-first over the site from `start`, following links within it."""
    seen: dict[str, str] = {}
    queue = deque(start)
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = readable(response)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            queue.extend(links(seen[url], url))
    assert not queue, "the crawl hit its limit"
    return seen


def test_nothing_closed_or_of_a_non_public_forum_reaches_a_public_output(planted):
    client = Client()
    with travel(APPROVED + timedelta(hours=1)):
        pages = crawl(client, anonymous_urls(planted) + sitemap_urls(client))
    leaks = {url: re.findall(rf"{SECRET}[-\w]*", text) for url, text in pages.items()}
    assert {url: found for url, found in leaks.items() if found} == {}

    # The crawl reached what is public: Partnerskabsforum's agenda and minutes, their
    # PDFs, the initiative's decisions, the feeds.
    pf = Meeting.objects.get(forum__slug=PUBLIC_FORUM)
    expected_public = {
        reverse("meetings:public", args=[pf.pk]): f"{PUBLIC} sagsfremstilling",
        reverse("meetings:public_pdf", args=[pf.pk]): f"{PUBLIC} indstilling",
        reverse("minutes:public", args=[pf.pk]): f"{PUBLIC} handling",
        reverse("minutes:public_pdf", args=[pf.pk]): f"{PUBLIC} referat",
        reverse("agreements:initiative", args=planted["initiative"]): f"{PUBLIC} beslutning",
        reverse("meetings:forum_feed", args=[PUBLIC_FORUM]): "BEGIN:VEVENT",
        reverse("agreements:feed"): "Hovedaftale 2025-2028",
        reverse("agreements:version_pdf", args=[planted["agreement"][0], 1]): "Hovedaftale",
    }
    assert {
        url: text in pages.get(url, "") for url, text in expected_public.items()
    } == dict.fromkeys(expected_public, True)
    # The closed item stands in its place by number alone, in all four public outputs.
    closed = pf.items.get(is_closed=True).position
    for name in ("meetings:public", "meetings:public_pdf", "minutes:public", "minutes:public_pdf"):
        assert f"Punkt {closed}: Lukket punkt" in pages[reverse(name, args=[pf.pk])], name
    public_attachment = Attachment.objects.get(item__meeting=pf, item__is_closed=False)
    assert public_attachment.get_absolute_url() in pages
