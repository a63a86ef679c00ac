"""Every page's <title> names the page, then the meeting it concerns, then the site
(WCAG 2.4.2), and says so when a form came back with errors (WCAG 3.3.1)."""

import re
from datetime import date

import pytest

from core.templatetags.page_title import compose_title
from forums.models import Forum
from meetings.tests.factories import schedule


def title_of(response) -> str:
    assert response.status_code == 200
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


@pytest.fixture
def pf_meeting(forums):
    return schedule(Forum.objects.get(slug="partnerskabsforum"), day=date(2027, 5, 11))


def test_the_page_name_and_the_site_name_are_separated_not_run_together(anonymous_client, forums):
    assert title_of(anonymous_client.get("/fora/")) == "Foraene – Fællesindgang"


def test_a_meeting_page_title_names_the_forum_and_the_day(pf_meeting, anonymous_client):
    title = title_of(anonymous_client.get(f"/moeder/{pf_meeting.pk}/"))
    assert title == "Møde – Partnerskabsforum 11. maj 2027 – Fællesindgang"


def test_the_public_members_and_secretariat_pages_of_one_meeting_have_different_titles(
    pf_meeting, anonymous_client, other_member_client, secretariat_client
):
    titles = {
        title_of(anonymous_client.get(f"/moeder/{pf_meeting.pk}/")),
        title_of(other_member_client.get(f"/moeder/{pf_meeting.pk}/medlem/")),
        title_of(secretariat_client.get(f"/sekretariat/moeder/{pf_meeting.pk}/")),
    }
    assert len(titles) == 3
    assert all("Partnerskabsforum 11. maj 2027" in title for title in titles)


def test_a_form_sent_back_with_errors_says_so_first_in_the_title(anonymous_client, forums):
    response = anonymous_client.post(
        "/konto/log-ind/", {"username": "ingen@example.org", "password": "forkert"}
    )
    assert title_of(response) == "Fejl: Log ind – Fællesindgang"
    assert title_of(anonymous_client.get("/konto/log-ind/")) == "Log ind – Fællesindgang"


def test_the_title_escapes_what_the_meeting_part_adds(pf_meeting):
    pf_meeting.forum.name = "<b>Forum</b>"
    assert "&lt;b&gt;Forum&lt;/b&gt;" in compose_title("Side", meeting=pf_meeting)


def test_a_page_without_a_name_has_the_site_name_alone():
    assert compose_title("  ") == "Fællesindgang"


def test_the_archive_of_a_year_is_titled_by_its_year_not_as_the_coming_meetings(
    anonymous_client, forums
):
    from meetings.services import meeting_schedule
    from meetings.tests.factories import at

    start = at(date(2010, 9, 1), 14)
    meeting_schedule(
        actor=None,
        forum=Forum.objects.get(slug="partnerskabsforum"),
        starts_at=start,
        ends_at=start.replace(hour=16),
        is_archive=True,
    )
    archive = anonymous_client.get("/moeder/?arkiv=2010")
    assert title_of(archive) == "Møder i 2010 – arkiv – Fællesindgang"
    assert "<h1>Møder i 2010 – arkiv</h1>" in archive.content.decode()
    assert title_of(anonymous_client.get("/moeder/")) == "Kommende møder – Fællesindgang"
