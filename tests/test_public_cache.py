"""Public pages are cached by the data they show (core/cache_stamps.py, issue 12).

An anonymous visitor's second request is answered from a copy, without a query; a
conditional request with the copy's ETag is answered 304 without rendering; a change made
through a service shows at once on every cached page it affects (a new agenda version,
approved minutes, an adopted adjustment, a replaced seat holder), and a change that time
alone makes (a meeting starts, a grace period ends) shows when it happens. A copy never
reaches a signed-in person, and a signed-in person's page never becomes a copy. Public
pages go out gzip-compressed to anonymous visitors only (BREACH: the signed-in pages carry
a CSRF token)."""

import gzip
from datetime import date, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.test.signals import template_rendered
from django.utils import timezone

from agreements.models import SubAgreement, Theme
from agreements.services import agreement_adjust, sub_agreement_save, theme_save
from agreements.tests.test_public_pages import bring_into_force, new_agreement
from core import cache_stamps
from forums import services as forum_services
from forums.models import Organisation
from forums.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    holder_for,
    seat,
)
from meetings import services
from meetings.tests.factories import at, schedule
from meetings.tests.test_public import add_item, pf_day
from minutes import services as minutes_services
from minutes.tests.test_approval import PF_CLOSES, PF_DAY, PF_SENT, send

pytestmark = pytest.mark.django_db

OPEN_TITLE = "Boligsocial helhedsplan for Tingbjerg"
NEW_TITLE = "Nyt punkt om Bispebjerg"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")


@pytest.fixture
def sent_meeting(forums, secretariat_user, django_capture_on_commit_callbacks):
    """Partnerskabsforum's coming meeting with its agenda (one open item) sent."""
    meeting = schedule(forums["partnerskabsforum"], day=pf_day())
    add_item(secretariat_user, meeting, OPEN_TITLE)
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_send(actor=secretariat_user, meeting=meeting)
    return meeting


def page_copies() -> int:
    return sum(1 for key in cache._cache if ":page:" in key)


class Renders:
    """Counts template renders while active."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, **kwargs) -> None:
        self.count += 1

    def __enter__(self):
        template_rendered.connect(self)
        return self

    def __exit__(self, *exc) -> None:
        template_rendered.disconnect(self)


# --- The copy ------------------------------------------------------------------------------


def test_an_anonymous_visitors_second_request_is_answered_from_the_copy_without_a_query(
    sent_meeting, anonymous_client, django_assert_num_queries
):
    url = f"/moeder/{sent_meeting.pk}/"
    first = anonymous_client.get(url)
    assert first.status_code == 200 and OPEN_TITLE in first.content.decode()
    assert page_copies() == 1
    with django_assert_num_queries(0), Renders() as renders:
        second = Client().get(url)
    assert renders.count == 0
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_a_conditional_request_with_the_current_etag_is_answered_304_without_rendering(
    sent_meeting, anonymous_client, django_assert_num_queries
):
    url = f"/moeder/{sent_meeting.pk}/"
    etag = anonymous_client.get(url)["ETag"]
    with django_assert_num_queries(0), Renders() as renders:
        response = Client().get(url, headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert renders.count == 0
    assert Client().get(url, headers={"if-none-match": '"other"'}).status_code == 200


def test_every_public_page_sends_an_etag_and_answers_304(sent_meeting, anonymous_client):
    for url in (
        "/",
        "/fora/",
        "/fora/partnerskabsforum/",
        "/moeder/",
        f"/moeder/{sent_meeting.pk}/",
        "/fora/partnerskabsforum/kalender.ics",
        "/sitemap.xml",
        "/hovedaftale/",
        "/hovedaftale/nyheder.atom",
        "/delaftaler/",
        "/indsatser/",
        "/tilgaengelighed/",
    ):
        response = anonymous_client.get(url)
        assert response.status_code == 200, url
        again = anonymous_client.get(url, headers={"if-none-match": response["ETag"]})
        assert again.status_code == 304, url


# --- Roles ---------------------------------------------------------------------------------


def test_a_copy_made_for_the_public_never_reaches_a_signed_in_member(
    sent_meeting, anonymous_client, other_member_client, other_member_user
):
    url = f"/moeder/{sent_meeting.pk}/"
    public = anonymous_client.get(url)
    assert other_member_user.full_name not in public.content.decode()
    member = other_member_client.get(url)
    html = member.content.decode()
    assert other_member_user.full_name in html and "csrfmiddlewaretoken" in html
    assert not member.has_header("ETag")
    assert "no-store" in member["Cache-Control"]


def test_a_signed_in_members_page_never_becomes_the_publics_copy(
    sent_meeting, anonymous_client, other_member_client, other_member_user
):
    url = f"/moeder/{sent_meeting.pk}/"
    other_member_client.get(url)
    assert page_copies() == 0
    html = anonymous_client.get(url).content.decode()
    assert other_member_user.full_name not in html and "csrfmiddlewaretoken" not in html


def test_a_visitor_with_a_session_is_neither_served_nor_stored_a_copy(
    sent_meeting, anonymous_client
):
    url = f"/moeder/{sent_meeting.pk}/"
    anonymous_client.get(url)
    with_session = Client()
    with_session.cookies[settings.SESSION_COOKIE_NAME] = "abc"
    response = with_session.get(url)
    assert not response.has_header("ETag")
    assert page_copies() == 1


def test_a_page_that_leaves_a_message_in_the_session_is_not_stored(forums, anonymous_client):
    response = anonymous_client.get("/indsatser/?type=ukendt")
    assert response.status_code == 200
    assert "ukendt" in response.content.decode()  # the warning names the ignored value
    assert page_copies() == 0


# --- Compression ---------------------------------------------------------------------------


def test_public_pages_go_out_gzip_compressed_to_anonymous_visitors(sent_meeting, anonymous_client):
    url = f"/moeder/{sent_meeting.pk}/"
    plain = anonymous_client.get(url)
    packed = Client().get(url, headers={"accept-encoding": "gzip, br"})
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 2
    feed = Client().get("/fora/partnerskabsforum/kalender.ics", HTTP_ACCEPT_ENCODING="gzip")
    assert feed["Content-Encoding"] == "gzip"
    assert gzip.decompress(feed.content).startswith(b"BEGIN:VCALENDAR")


def test_a_signed_in_persons_page_is_never_compressed(sent_meeting, other_member_client):
    response = other_member_client.get(
        f"/moeder/{sent_meeting.pk}/", headers={"accept-encoding": "gzip"}
    )
    assert not response.has_header("Content-Encoding")
    assert "csrfmiddlewaretoken" in response.content.decode()


# --- A change shows at once on every page it affects --------------------------------------


def test_a_new_agenda_version_shows_at_once_on_the_cached_agenda_page(
    sent_meeting, secretariat_user, anonymous_client, django_capture_on_commit_callbacks
):
    url = f"/moeder/{sent_meeting.pk}/"
    etag = anonymous_client.get(url)["ETag"]
    add_item(secretariat_user, sent_meeting, NEW_TITLE)
    # The PDF is rendered after commit (not run here): the send itself makes it show.
    with django_capture_on_commit_callbacks(execute=False):
        services.agenda_send(actor=secretariat_user, meeting=sent_meeting, change_note="Nyt punkt.")
    assert sent_meeting.versions.count() == 2
    response = anonymous_client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert NEW_TITLE in response.content.decode()
    assert response["ETag"] != etag


def test_a_rescheduled_meeting_shows_its_new_time_on_every_cached_list(
    sent_meeting, secretariat_user, anonymous_client
):
    pages = ("/", "/moeder/", "/fora/partnerskabsforum/", f"/moeder/{sent_meeting.pk}/")
    before = {url: anonymous_client.get(url).content.decode() for url in pages}
    assert all("Nyt sted" not in html for html in before.values())
    services.meeting_move(
        actor=secretariat_user,
        meeting=sent_meeting,
        starts_at=sent_meeting.starts_at + timedelta(hours=1),
        ends_at=sent_meeting.ends_at + timedelta(hours=1),
        place="Nyt sted",
    )
    for url in pages:
        assert "Nyt sted" in anonymous_client.get(url).content.decode(), url


def test_approved_minutes_show_at_once_on_the_cached_meeting_page(
    forums,
    secretariat_user,
    other_member_user,
    anonymous_client,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        minutes = send(forums["partnerskabsforum"], secretariat_user, day=PF_DAY, sent=PF_SENT)
    url = f"/moeder/{minutes.meeting_id}/"
    minutes_url = f"/moeder/{minutes.meeting_id}/referat/offentligt/"
    moment = PF_CLOSES + timedelta(hours=2)
    with time_machine.travel(moment - timedelta(minutes=1), tick=False):
        assert minutes_url not in anonymous_client.get(url).content.decode()
        assert anonymous_client.get(minutes_url).status_code == 404
    # The final PDF is rendered after commit (not run here): the approval itself shows.
    with time_machine.travel(moment, tick=False), django_capture_on_commit_callbacks():
        assert minutes_services.approve_due(now=moment) == {"approved": 1}
    minutes.refresh_from_db()
    assert minutes.status == "approved"
    with time_machine.travel(moment, tick=False):
        assert minutes_url in anonymous_client.get(url).content.decode()
        assert anonymous_client.get(minutes_url).status_code == 200


def test_an_adopted_adjustment_shows_at_once_on_the_cached_agreement_pages(
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
    pages = ("/hovedaftale/", f"/hovedaftale/{agreement.pk}/", "/hovedaftale/nyheder.atom")
    for url in pages:  # an edited theme is not public until adopted
        assert "Fremtidssikring" not in anonymous_client.get(url).content.decode()
    # The PDF is rendered after commit (not run here): the adoption itself shows.
    with capture(execute=False):
        agreement_adjust(
            actor=secretariat_user,
            agreement=agreement,
            meeting=adjusting,
            adopted_on=date(2027, 5, 20),
            decision="Fremtidssikring tilføjes.",
            change_note="Fremtidssikring tilføjet.",
        )
    assert agreement.versions.count() == 2
    assert "Fremtidssikring" in anonymous_client.get("/hovedaftale/").content.decode()
    assert "version 2" in anonymous_client.get("/hovedaftale/nyheder.atom").content.decode()


def test_a_replaced_seat_holder_shows_at_once_on_the_cached_forum_page(
    forums, secretariat_user, anonymous_client
):
    old = MembershipFactory(
        person=PersonFactory(name="Gammel Holder"),
        forum=forums["borgmesterforum"],
        seat=seat("borgmesterforum"),
        starts_on=date(2022, 1, 1),
    )
    assert "Gammel Holder" in anonymous_client.get("/fora/borgmesterforum/").content.decode()
    forum_services.membership_replace_holder(
        actor=secretariat_user,
        membership=old,
        person=holder_for(seat("borgmesterforum"), name="Ny Holder"),  # that office's mayor
        starts_on=timezone.localdate(),
    )
    html = anonymous_client.get("/fora/borgmesterforum/").content.decode()
    assert "Ny Holder" in html and "Gammel Holder" not in html


# --- Changes made by time alone ------------------------------------------------------------


def test_a_meeting_leaves_the_cached_list_of_coming_meetings_when_it_starts(
    forums, anonymous_client
):
    meeting = schedule(forums["samarbejdsforum"], days_ahead=10)
    link = f"/moeder/{meeting.pk}/"

    def coming(page: str) -> str:  # the list above the archive of past meetings
        return page.split('id="arkiv"')[0]

    with time_machine.travel(meeting.starts_at - timedelta(minutes=1), tick=False):
        assert link in coming(anonymous_client.get("/moeder/").content.decode())
    with time_machine.travel(meeting.starts_at + timedelta(minutes=1), tick=False):
        page = anonymous_client.get("/moeder/").content.decode()
    assert link not in coming(page)
    assert link in page.split('id="arkiv"')[1]  # now in the archive


def test_an_agenda_appears_on_the_cached_page_when_its_grace_period_ends(
    forums, secretariat_user, anonymous_client, django_capture_on_commit_callbacks
):
    meeting = schedule(forums["partnerskabsforum"], day=pf_day())
    add_item(secretariat_user, meeting, OPEN_TITLE)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=False):
        version = services.agenda_send(
            actor=secretariat_user, meeting=meeting, now=now, grace_minutes=5
        )
    url = f"/moeder/{meeting.pk}/"
    with time_machine.travel(version.send_after - timedelta(seconds=30), tick=False):
        assert OPEN_TITLE not in anonymous_client.get(url).content.decode()
    with time_machine.travel(version.send_after + timedelta(seconds=1), tick=False):
        assert OPEN_TITLE in anonymous_client.get(url).content.decode()


def test_a_stamp_evicted_from_the_cache_gets_a_new_token_so_no_old_copy_matches(forums):
    first = cache_stamps.stamps(["forums"])["forums"]
    cache.delete("stamp:forums")
    assert cache_stamps.stamps(["forums"])["forums"] != first


def test_a_request_of_a_signed_in_user_is_never_cacheable_even_without_a_session_cookie(
    rf, member_user
):
    request = rf.get("/fora/")
    request.user = member_user  # e.g. signed in by a middleware that uses no cookie
    assert not cache_stamps.is_cacheable_request(request)
    assert not cache_stamps.is_cacheable_request(rf.post("/fora/"))


def test_a_renamed_housing_organisation_shows_at_once_on_the_cached_sub_agreement_pages(
    forums, secretariat_user, anonymous_client
):
    organisation = OrganisationFactory(name="Boligselskabet Gammelt Navn")
    sub = sub_agreement_save(
        actor=secretariat_user,
        sub_agreement=SubAgreement(),
        title="Fleksibel udlejning",
        theme="Fleksibel udlejning",
        administration=Organisation.objects.get(short_name="TMF"),
        housing_organisation=organisation,
        period_start=date(2027, 1, 1),
        period_end=date(2029, 12, 31),
        status=SubAgreement.Status.SIGNED,
        is_published=True,
    )
    pages = ("/delaftaler/", f"/delaftaler/{sub.pk}/")
    for url in pages:
        assert "Gammelt Navn" in anonymous_client.get(url).content.decode()
    forum_services.organisation_save(
        actor=secretariat_user, organisation=organisation, name="Boligselskabet Nyt Navn"
    )
    for url in pages:
        html = anonymous_client.get(url).content.decode()
        assert "Nyt Navn" in html and "Gammelt Navn" not in html, url
