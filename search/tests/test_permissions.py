"""The search never shows a reader what they may not read.

The world of tests/test_public_outputs.py (`planted`): a meeting per forum with its agenda
sent and its minutes approved, a marker ("HEMMELIG-MARKØR-<n>") in every text that is not
public — closed items in all four forums, everything of the three forums whose agenda and
minutes are not public, proposals — plus an internal sub-agreement and, here, an agenda
item of a Partnerskabsforum meeting whose agenda has not been sent. Everything is indexed
by the services that wrote it. Then each reader searches for the markers."""

import re
from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from agreements.models import FrameworkAgreement, SubAgreement
from core.search import search_index
from forums.models import Organisation
from meetings import services as meeting_services
from meetings.deadlines import TZ
from meetings.models import AgendaItem, Proposal
from meetings.tests.factories import schedule
from minutes.models import FollowUpAction, MinutesItem
from search.models import SearchDocument
from search.selectors import search, search_scope
from tests.test_public_outputs import planted  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

MARKER = re.compile(r"HEMMELIG-MARKØR-(?:\d+|KLADDE)")
DRAFT_MARKER = "HEMMELIG-MARKØR-KLADDE"


def markers_in(*texts: str) -> set[str]:
    return {m for text in texts for m in MARKER.findall(text or "")}


def forum_markers(slug: str) -> set[str]:
    """The markers of the sent agenda and the sent minutes of the forum's meeting: what its
    members read on their pages."""
    texts = []
    for item in AgendaItem.objects.filter(meeting__forum__slug=slug):
        texts += [item.title, item.presentation, item.recommendation]
    for item in MinutesItem.objects.filter(minutes__meeting__forum__slug=slug):
        texts += [item.title, item.summary, item.decision]
    texts += FollowUpAction.objects.filter(item__minutes__meeting__forum__slug=slug).values_list(
        "what", flat=True
    )
    return markers_in(*texts) - {DRAFT_MARKER}


def secretariat_only_markers() -> set[str]:
    texts = [DRAFT_MARKER]
    for p in Proposal.objects.all():
        texts += [p.title, p.description]
    for s in SubAgreement.objects.filter(is_published=False):
        texts += [s.title, s.theme, s.summary]
    return markers_in(*texts) | {DRAFT_MARKER}


@pytest.fixture
def world(planted, secretariat_user, forums):  # noqa: F811
    """`planted`, an unsent agenda item with a marker, and the objects the fixture made
    without a service indexed as their services would."""
    with time_machine.travel(datetime(2027, 6, 1, 9, 0, tzinfo=TZ), tick=False):
        meeting = schedule(forums["samarbejdsforum"], day=date(2027, 9, 14))
        meeting_services.agenda_item_save(
            actor=secretariat_user,
            item=AgendaItem(meeting=meeting),
            title=DRAFT_MARKER,
            presentation="Et punkt under forberedelse",
            responsible=Organisation.objects.get(short_name="TMF"),
        )
    for root in [*FrameworkAgreement.objects.all(), *SubAgreement.objects.all()]:
        search_index(root)
    return planted


def found_markers(user) -> set[str]:
    result = search(query="hemmelig markør", scope=search_scope(user), limit=10_000)
    assert result.count == len(result.hits)
    return markers_in(*(f"{h.document.title} {h.document.body} {h.snippet}" for h in result.hits))


def test_the_index_holds_every_planted_text(world):
    indexed = markers_in(*SearchDocument.objects.values_list("body", flat=True)) | markers_in(
        *SearchDocument.objects.values_list("title", flat=True)
    )
    for slug in ("samarbejdsforum", "partnerskabsforum", "borgmesterforum"):
        assert forum_markers(slug) and forum_markers(slug) <= indexed
    assert secretariat_only_markers() <= indexed


def test_the_public_finds_no_marker_but_finds_what_is_public(world, client):
    from django.contrib.auth.models import AnonymousUser

    assert found_markers(AnonymousUser()) == set()
    public = search(query="offentlig indstilling", scope=search_scope(AnonymousUser()))
    assert public.count >= 1
    assert {h.document.forum.slug for h in public.hits} == {"partnerskabsforum"}

    page = client.get(reverse("search:search"), {"q": "hemmelig markør"})
    assert page.status_code == 200
    assert "MARKØR" not in page.content.decode()


def test_a_member_finds_their_forums_texts_and_nothing_of_other_forums(world, member_user):
    found = found_markers(member_user)

    assert found == forum_markers("samarbejdsforum")
    assert not found & forum_markers("partnerskabsforum")
    assert not found & secretariat_only_markers()


def test_a_member_of_another_forum_finds_only_that_forums_closed_items(
    world, other_member_user, client
):
    found = found_markers(other_member_user)

    assert found == forum_markers("partnerskabsforum")
    assert not found & forum_markers("samarbejdsforum")
    client.force_login(other_member_user)
    page = client.get(reverse("search:search"), {"q": "hemmelig markør"}).content.decode()
    shown = markers_in(page)
    assert shown and shown <= forum_markers("partnerskabsforum")


def test_the_secretariat_finds_everything(world, secretariat_user):
    found = found_markers(secretariat_user)

    assert secretariat_only_markers() <= found
    assert forum_markers("samarbejdsforum") | forum_markers("tvaerkommunal-styregruppe") <= found
