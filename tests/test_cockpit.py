"""The secretariat's cockpit on /sekretariat/ (»Hvad skal jeg nå?«, core/cockpit.py): the
overdue first, marked in words, then the next 8 weeks; a forum filter without JavaScript;
the same number of queries with 8 meetings as with 2; for the secretariat only."""

import re
from datetime import date, datetime, timedelta
from html import unescape

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from forums.models import Organisation
from meetings import services as meeting_services
from meetings.deadlines import TZ
from meetings.tests.factories import at, schedule
from minutes import services as minutes_services

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 1, 4, 10, 0, tzinfo=TZ)  # Monday 4 January 2027
TODAY = NOW.date()


def page(user, query: str = "", *, queries: list | None = None) -> str:
    """/sekretariat/ at NOW for `user` (signed in then: secretariat sessions are short);
    with `queries`, the number of database queries the page ran is appended to it."""
    with time_machine.travel(NOW, tick=False):
        client = Client()
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/sekretariat/{query}")
    if queries is not None:
        queries.append(len(captured))
    assert response.status_code == 200
    return unescape(response.content.decode())


def section(html: str, heading_id: str) -> str:
    """The HTML from the heading `heading_id` to the next h3 or the section's end."""
    start = html.index(f'id="{heading_id}"')
    ends = [i for i in (html.find("<h3", start + 1), html.find("</section>", start)) if i > 0]
    return html[start : min(ends)]


@pytest.fixture
def past_meeting(forums):
    """Styregruppen met on 21 December 2026; its minutes were due at the end of 28 December."""
    with time_machine.travel(at(date(2026, 11, 1), 9), tick=False):
        return schedule(forums["tvaerkommunal-styregruppe"], day=date(2026, 12, 21))


@pytest.fixture
def coming_meeting(forums):
    """Samarbejdsforum on 10 February 2027: agenda due at the end of 27 January."""
    with time_machine.travel(NOW, tick=False):
        return schedule(forums["samarbejdsforum"], day=date(2027, 2, 10), now=NOW)


def test_the_cockpit_shows_the_overdue_first_marked_in_words_then_the_coming_weeks(
    secretariat_user, past_meeting, coming_meeting
):
    html = page(secretariat_user)
    assert html.index("Hvad skal jeg nå?") < html.index("Udbakke")  # first on the page
    overdue = section(html, "due-overdue-heading")
    coming = section(html, "due-coming-heading")
    assert html.index('id="due-overdue-heading"') < html.index('id="due-coming-heading"')
    assert "Den Tværkommunale Styregruppe" in overdue and "Referat" in overdue
    assert '<strong class="overdue">Overskredet</strong>' in overdue
    assert f'href="/sekretariat/moeder/{past_meeting.pk}/referat/"' in overdue
    assert "De næste 8 uger" in coming
    assert "Overskredet" not in coming
    assert f'href="/sekretariat/moeder/{coming_meeting.pk}/send/"' in coming
    assert "ons 27. januar 2027" in coming  # the agenda's day


def test_the_cockpit_names_the_working_day_to_act_on_for_a_deadline_on_a_day_off(
    secretariat_user, forums
):
    with time_machine.travel(NOW, tick=False):
        # Samarbejdsforum on Sunday 14 February: the agenda is due on Sunday 31 January.
        schedule(forums["samarbejdsforum"], day=date(2027, 2, 14), now=NOW)
    row = section(page(secretariat_user), "due-coming-heading")
    assert re.search(r"søn 31\. januar 2027.*?fre 29\. januar 2027", row, re.S)
    assert "datoen er en weekend eller helligdag" in row


def test_the_cockpit_filters_by_forum_with_a_plain_get(
    secretariat_user, past_meeting, coming_meeting
):
    html = page(secretariat_user, "?forum=samarbejdsforum")
    assert f"/sekretariat/moeder/{coming_meeting.pk}/send/" in html
    assert f"/sekretariat/moeder/{past_meeting.pk}/referat/" not in html
    assert '<option value="samarbejdsforum" selected>' in html
    assert "Intet er overskredet." in html


def test_a_filter_for_no_forum_shows_every_forum(secretariat_user, past_meeting, coming_meeting):
    html = page(secretariat_user, "?forum=ingen-saadan")
    assert f"/sekretariat/moeder/{coming_meeting.pk}/send/" in html
    assert f"/sekretariat/moeder/{past_meeting.pk}/referat/" in html


def test_the_cockpit_keeps_its_links_to_the_secretariats_pages(secretariat_user):
    html = page(secretariat_user)
    for path in ("/sekretariat/moeder/", "/sekretariat/referater/", "/sekretariat/udbakke/"):
        assert f'href="{path}"' in html
    assert 'href="/sekretariat/aarshjul/2027/"' in html


def test_the_cockpit_is_for_the_secretariat_only(member_client, anonymous_client):
    """A member is refused, an anonymous visitor sent to sign in."""
    assert member_client.get("/sekretariat/").status_code == 403
    assert anonymous_client.get("/sekretariat/").status_code == 302


def _meetings_with_everything_due(forums, secretariat_user, member_user, count: int, offset: int):
    """`count` coming Samarbejdsforum meetings with an undecided proposal each, and `count`
    held ones with sent minutes, a comment without a disposition and an open action."""
    tmf = Organisation.objects.get(short_name="TMF")
    sf = forums["samarbejdsforum"]
    for n in range(offset, offset + count):
        with time_machine.travel(NOW, tick=False):
            coming = schedule(sf, day=TODAY + timedelta(days=25 + n), now=NOW)
            meeting_services.proposal_submit(
                actor=member_user,
                meeting=coming,
                title=f"Forslag {n}",
                description="…",
                treatment="discussion",
                now=NOW,
            )
        with time_machine.travel(NOW - timedelta(days=60), tick=False):
            held = schedule(sf, day=TODAY - timedelta(days=7 + n))
        with time_machine.travel(NOW - timedelta(days=3), tick=False):
            minutes = minutes_services.minutes_start(actor=secretariat_user, meeting=held)
            minutes_services.action_add(
                actor=secretariat_user,
                item=minutes.items.first(),
                what=f"Handling {n}",
                responsible=tmf,
                due_on=TODAY + timedelta(days=10),
            )
            minutes_services.minutes_send(actor=secretariat_user, minutes=minutes)
        with time_machine.travel(NOW - timedelta(days=2), tick=False):
            minutes_services.comment_add(actor=member_user, minutes=minutes, body=f"Rettelse {n}")


def _queries(user) -> int:
    counted: list[int] = []
    html = page(user, queries=counted)
    assert "Forslag, der venter på en afgørelse" in html
    return counted[0]


def test_the_cockpit_runs_as_many_queries_for_eight_meetings_as_for_two(
    forums, secretariat_user, member_user
):
    _meetings_with_everything_due(forums, secretariat_user, member_user, 2, 0)
    with_two = _queries(secretariat_user)
    _meetings_with_everything_due(forums, secretariat_user, member_user, 6, 2)
    html = page(secretariat_user)
    assert html.count("Handling ") == 8 and html.count("1 kommentar") == 8
    assert _queries(secretariat_user) == with_two


def test_the_cockpit_and_the_year_wheel_render_the_demo_data(forums, secretariat_user):
    """`make run`'s demo data (every kind of object) on the cockpit, the wheel and its PDF."""
    import io

    from django.core.management import call_command
    from django.utils import timezone

    call_command("seed_demo", stdout=io.StringIO())
    client = Client()
    client.force_login(secretariat_user)
    year = timezone.localdate().year
    home = unescape(client.get("/sekretariat/").content.decode())
    assert "Hvad skal jeg nå?" in home and 'class="table due-table"' in home
    for path in (f"/sekretariat/aarshjul/{year}/", f"/sekretariat/aarshjul/{year + 1}/pdf/"):
        assert client.get(path).status_code == 200, path
    assert Client().get(f"/aarshjul/{year}/").status_code == 200
