"""A change made through a service shows at once on EVERY cached public page it affects
(issue 12, "Done means"), not only on the page tests/test_public_cache.py looks at: each
page is read (and so cached) before the change, then read again after it. And the public
agenda and minutes pages take as many queries for 40 items as for 10."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.models import Theme
from agreements.services import agreement_adjust, theme_save
from agreements.tests.test_public_pages import bring_into_force, new_agreement
from core.sweep import sweep_run
from forums import services as forum_services
from forums.tests.factories import MembershipFactory, holder_for, seat
from meetings import services
from meetings.deadlines import TZ
from meetings.tests.factories import at, schedule
from meetings.tests.test_public import add_item, pf_day
from minutes import services as minutes_services
from minutes.tests.test_approval import PF_CLOSES, PF_DAY, PF_SENT, send

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")


def read_all(client, pages) -> dict[str, str]:
    """Every page as an anonymous visitor sees it now (and so cached)."""
    found = {}
    for url in pages:
        response = client.get(url)
        found[url] = response.content.decode() if response.status_code == 200 else ""
    return found


def test_approved_minutes_show_at_once_on_every_cached_page_that_links_them(
    forums, secretariat_user, anonymous_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        minutes = send(forums["partnerskabsforum"], secretariat_user, day=PF_DAY, sent=PF_SENT)
    minutes_url = f"/moeder/{minutes.meeting_id}/referat/offentligt/"
    year = PF_DAY.year
    pages = (
        f"/moeder/{minutes.meeting_id}/",
        minutes_url,
        f"/moeder/?arkiv={year}",
        f"/fora/partnerskabsforum/?arkiv={year}",
        "/sitemap.xml",
    )
    moment = PF_CLOSES + timedelta(hours=2)
    with time_machine.travel(moment - timedelta(minutes=1), tick=False):
        before = read_all(anonymous_client, pages)
    assert all(minutes_url not in html for html in before.values())

    with time_machine.travel(moment, tick=False), django_capture_on_commit_callbacks():
        assert minutes_services.approve_due(now=moment) == {"approved": 1}

    with time_machine.travel(moment, tick=False):
        after = read_all(anonymous_client, pages)
    assert "Velkommen." in after[minutes_url]
    for url in pages:
        if url != minutes_url:
            assert minutes_url in after[url], url


def test_a_first_agenda_shows_at_once_on_the_cached_agenda_page_and_in_the_sitemap(
    forums, secretariat_user, anonymous_client, django_capture_on_commit_callbacks
):
    meeting = schedule(forums["partnerskabsforum"], day=pf_day())
    add_item(secretariat_user, meeting, "Boligsocial helhedsplan for Tingbjerg")
    url = f"/moeder/{meeting.pk}/"
    pages = (url, "/sitemap.xml")
    before = read_all(anonymous_client, pages)
    assert "Tingbjerg" not in before[url] and url not in before["/sitemap.xml"]

    with django_capture_on_commit_callbacks(execute=False):  # the PDF is not needed
        services.agenda_send(actor=secretariat_user, meeting=meeting, grace_minutes=0)

    after = read_all(anonymous_client, pages)
    assert "Tingbjerg" in after[url]
    assert url in after["/sitemap.xml"]


def test_a_replaced_seat_holder_shows_at_once_on_every_cached_forum_page_that_lists_them(
    forums, secretariat_user, anonymous_client
):
    mayors_seat = seat("borgmesterforum")
    old = MembershipFactory(
        person=holder_for(mayors_seat, name="Gammel Holder"),
        forum=forums["borgmesterforum"],
        seat=mayors_seat,
        starts_on=date(2022, 1, 1),
    )
    # Partnerskabsforum includes Borgmesterforum's members: its page lists them too.
    pages = ("/fora/borgmesterforum/", "/fora/partnerskabsforum/")
    before = read_all(anonymous_client, pages)
    assert all("Gammel Holder" in html for html in before.values())

    forum_services.membership_replace_holder(
        actor=secretariat_user,
        membership=old,
        person=holder_for(mayors_seat, name="Ny Holder"),
        starts_on=timezone.localdate(),
    )

    for url, html in read_all(anonymous_client, pages).items():
        assert "Ny Holder" in html and "Gammel Holder" not in html, url


def test_an_adopted_adjustment_shows_at_once_in_the_cached_sitemap_and_version_list(
    forums, secretariat_user, anonymous_client, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    negotiated = services.meeting_schedule(
        actor=None,
        forum=forums["partnerskabsforum"],
        starts_at=at(date(2026, 5, 19), 14),
        ends_at=at(date(2026, 5, 19), 16),
        is_archive=True,
    )
    adjusting = schedule(forums["partnerskabsforum"], day=date(2027, 5, 20))
    agreement = new_agreement(secretariat_user, "Hovedaftale", date(2027, 1, 1), date(2030, 12, 31))
    bring_into_force(
        secretariat_user,
        agreement,
        negotiated,
        br=date(2026, 12, 1),
        housing=date(2026, 12, 15),
        capture=capture,
    )
    theme_save(
        actor=secretariat_user,
        theme=Theme(agreement=agreement),
        position=3,
        title="Fremtidssikring",
        goals="Boligerne moderniseres.",
        priorities="",
    )
    version_2 = f"/hovedaftale/{agreement.pk}/version/2/"
    pages = ("/sitemap.xml", f"/hovedaftale/{agreement.pk}/", "/hovedaftale/")
    assert all(version_2 not in html for html in read_all(anonymous_client, pages).values())

    with capture(execute=False):
        agreement_adjust(
            actor=secretariat_user,
            agreement=agreement,
            meeting=adjusting,
            adopted_on=date(2027, 5, 20),
            decision="Fremtidssikring tilføjes.",
            change_note="Fremtidssikring tilføjet.",
        )

    after = read_all(anonymous_client, pages)
    assert version_2 in after["/sitemap.xml"]
    assert version_2 in after[f"/hovedaftale/{agreement.pk}/"]


# --- The query count does not grow with the number of items ---------------------------------


SENT = datetime(2027, 4, 20, 9, 0, tzinfo=TZ)


def agenda_with(forum, actor, count: int, day: date, capture):
    """A Partnerskabsforum meeting with `count` items (every eighth closed), agenda sent."""
    with time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=TZ), tick=False):
        meeting = schedule(forum, day=day, actor=actor)
        for i in range(count - meeting.items.count()):
            add_item(actor, meeting, f"Punkt om Tingbjerg {i}", closed=i % 8 == 7)
    with time_machine.travel(SENT, tick=False), capture(execute=False):
        services.agenda_send(actor=actor, meeting=meeting, grace_minutes=0)
    return meeting


def queries_for(client, url: str) -> int:
    from django.core.cache import cache

    cache.clear()  # uncached: the page is rendered
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_public_agenda_and_minutes_pages_take_as_many_queries_for_40_items_as_for_10(
    forums, secretariat_user, anonymous_client, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    forum = forums["partnerskabsforum"]
    small = agenda_with(forum, secretariat_user, 10, date(2027, 5, 11), capture)
    large = agenda_with(forum, secretariat_user, 40, date(2027, 5, 25), capture)
    assert small.versions.get().items and len(large.versions.get().items) == 40
    for meeting in (small, large):
        with time_machine.travel(meeting.starts_at + timedelta(days=2), tick=False), capture():
            minutes = minutes_services.minutes_start(actor=secretariat_user, meeting=meeting)
            minutes_services.minutes_send(actor=secretariat_user, minutes=minutes, allow_empty=True)
    approved = datetime(2027, 6, 30, 9, 0, tzinfo=TZ)
    with time_machine.travel(approved, tick=False), capture():
        sweep_run(now=approved)

    with time_machine.travel(approved, tick=False):
        agenda = [queries_for(anonymous_client, f"/moeder/{m.pk}/") for m in (small, large)]
        public_minutes = [
            queries_for(anonymous_client, f"/moeder/{m.pk}/referat/offentligt/")
            for m in (small, large)
        ]
    assert agenda[0] == agenda[1]
    assert public_minutes[0] == public_minutes[1]
