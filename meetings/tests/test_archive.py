"""The public archive of past meetings (issue 14 §1) on /moeder/ and the forum pages: by
year, newest first; the agenda and the approved minutes linked only where the forum's
rules make them public (Partnerskabsforum); the others show date, place and »Afholdt«."""

import io
import re
from datetime import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from meetings.deadlines import TZ
from meetings.models import Meeting

pytestmark = pytest.mark.django_db

TODAY = datetime(2026, 11, 29, 12, 0, tzinfo=TZ)


@pytest.fixture
def demo(forums, settings, tmp_path):
    """`make run`'s demo data as of 29 November 2026, and the clock kept there."""
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    with time_machine.travel(TODAY, tick=False):
        call_command("seed_demo", stdout=io.StringIO())
        yield {m.title: m for m in Meeting.objects.all()}


def archive_rows(html: str) -> list[str]:
    section = html[html.index('class="list-group archive-list"') :]
    section = section[: section.index("</ul>")]
    return [re.sub(r"\s+", " ", row) for row in section.split("<li")[1:]]


def row_of(rows: list[str], title: str) -> str:
    (row,) = [r for r in rows if title in r]
    return row


def test_the_archive_lists_past_meetings_newest_first_with_what_is_public(demo, client):
    pf, bmf = demo["Demo: Partnerskabsforum (afholdt)"], demo["Demo: Borgmesterforum (afholdt)"]

    html = client.get(reverse("meetings:list")).content.decode()

    rows = archive_rows(html)
    titles = [
        m.title
        for m in sorted(demo.values(), key=lambda m: m.starts_at, reverse=True)
        if m.starts_at < TODAY
    ]
    assert [next(t for t in titles if t in r) for r in rows] == titles
    pf_row, bmf_row = row_of(rows, pf.title), row_of(rows, bmf.title)
    assert reverse("minutes:public", args=[pf.pk]) in pf_row and "Dagsorden" in pf_row
    assert "Afholdt" in bmf_row and "Rådhuset" in bmf_row
    assert "Dagsorden" not in bmf_row and "referat" not in bmf_row
    assert "Demo: Borgmesterforum<" not in html[html.index("archive-heading") :]  # still coming


def test_a_forum_page_lists_its_own_past_meetings_only(demo, client):
    html = client.get(reverse("forums:detail", args=["borgmesterforum"])).content.decode()

    rows = archive_rows(html)
    assert len(rows) == 1 and "Demo: Borgmesterforum (afholdt)" in rows[0]


def test_an_unknown_archive_year_is_ignored_with_a_message(demo, client):
    response = client.get(reverse("meetings:list"), {"arkiv": "1999"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Møder i 2026" in html
    assert "Filteret »År« ignoreres" in html


def test_every_archive_year_is_in_the_sitemap(demo, client):
    xml = client.get(reverse("sitemap")).content.decode()

    assert "/moeder/?arkiv=2026</loc>" in xml
    assert "/fora/partnerskabsforum/?arkiv=2026</loc>" in xml
    assert f"/moeder/{demo['Demo: Partnerskabsforum (afholdt)'].pk}/referat/offentligt/" in xml


def test_members_get_the_members_page_of_their_own_forums_past_meetings_only(
    demo, client, other_member_user
):
    pf, bmf = demo["Demo: Partnerskabsforum (afholdt)"], demo["Demo: Borgmesterforum (afholdt)"]
    anonymous_rows = archive_rows(client.get(reverse("meetings:list")).content.decode())
    client.force_login(other_member_user)  # a member of Partnerskabsforum

    rows = archive_rows(client.get(reverse("meetings:list")).content.decode())

    assert reverse("meetings:member", args=[pf.pk]) in row_of(rows, pf.title)
    assert reverse("meetings:member", args=[bmf.pk]) not in row_of(rows, bmf.title)
    assert all("Medlemsside" not in row for row in anonymous_rows)


def test_the_secretariat_filters_the_meetings_by_forum_year_and_state(
    demo, client, secretariat_user
):
    client.force_login(secretariat_user)
    url = reverse("meetings:sec_list")

    held_bmf = client.get(url, {"aar": 2026, "forum": "borgmesterforum", "status": "held"})
    all_2026 = client.get(url, {"aar": 2026})
    bad = client.get(url, {"aar": 2026, "status": "bogus"})

    assert [m.title for m in held_bmf.context["meetings"]] == ["Demo: Borgmesterforum (afholdt)"]
    titles_2026 = {m.title for m in all_2026.context["meetings"]}
    assert {"Demo: Borgmesterforum (afholdt)", "Demo: Partnerskabsforum (afholdt)"} <= titles_2026
    assert "Demo: Borgmesterforum" not in titles_2026  # in 2027
    assert set(bad.context["meetings"]) == set(all_2026.context["meetings"])
    assert "Filteret »Status« ignoreres" in bad.content.decode()


def test_an_archive_entrys_public_page_promises_no_agenda(forums, anonymous_client):
    from meetings.services import meeting_schedule
    from meetings.tests.factories import at, schedule

    with time_machine.travel(TODAY, tick=False):
        start = at(datetime(2010, 9, 1).date(), 14)
        archive = meeting_schedule(
            actor=None,
            forum=forums["partnerskabsforum"],
            starts_at=start,
            ends_at=start.replace(hour=16),
            is_archive=True,
        )
        coming = schedule(forums["partnerskabsforum"], day=datetime(2027, 5, 12).date())
        old = anonymous_client.get(f"/moeder/{archive.pk}/", HTTP_ACCEPT_LANGUAGE="da")
        new = anonymous_client.get(f"/moeder/{coming.pk}/", HTTP_ACCEPT_LANGUAGE="da")
    promise = "Dagsordenen offentliggøres her, når sekretariatet udsender den"
    assert promise not in old.content.decode()
    assert "Der offentliggøres ingen dagsorden her for dette møde." in old.content.decode()
    assert promise in new.content.decode()
