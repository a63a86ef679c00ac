"""The embeddable snippet (issue 10 §6): a small HTML fragment page per forum with its next
meetings and latest agenda, which another site may put in an <iframe> — the only pages
that allow framing, and only by the hosts in settings.EMBED_ALLOWED_HOSTS."""

import os
import subprocess
import sys
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from forums.models import Organisation
from meetings import services as meeting_services
from meetings.models import AgendaItem, Meeting
from meetings.tests.factories import at, schedule

pytestmark = pytest.mark.django_db

TODAY = at(date(2026, 12, 1), 9)


@pytest.fixture
def pf_meeting(forums, secretariat_user, django_capture_on_commit_callbacks) -> Meeting:
    """A coming Partnerskabsforum meeting (its agenda is public), its agenda sent."""
    with time_machine.travel(TODAY, tick=False):
        meeting = schedule(forums["partnerskabsforum"], day=date(2027, 5, 12))
        with django_capture_on_commit_callbacks(execute=True):
            meeting_services.agenda_item_save(
                actor=secretariat_user,
                item=AgendaItem(meeting=meeting),
                title="Status",
                responsible=Organisation.objects.get(short_name="TMF"),
            )
            meeting_services.agenda_send(actor=secretariat_user, meeting=meeting)
    return meeting


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())


def test_the_snippet_shows_the_next_meetings_and_the_latest_agenda_without_chrome_or_script(
    pf_meeting,
    anonymous_client,
):
    url = reverse("meetings:embed", args=["partnerskabsforum"])
    with time_machine.travel(TODAY, tick=False):
        page = anonymous_client.get(url).content.decode()

    assert "Partnerskabsforum" in page
    assert "onsdag 12. maj 2027, 14:00" in page
    assert f"http://testserver{pf_meeting.get_absolute_url()}" in page
    assert "Seneste dagsorden" in page and "Dagsordenen til mødet 12. maj 2027" in page
    assert 'target="_blank"' in page
    assert "<script" not in page and "<nav" not in page and "<style" not in page
    assert "/static/forums/embed.css" in page


def test_a_forum_without_a_public_agenda_embeds_its_meetings_but_no_agenda(
    forums, anonymous_client
):
    with time_machine.travel(TODAY, tick=False):
        schedule(forums["samarbejdsforum"], day=date(2027, 5, 11))
        page = anonymous_client.get(reverse("meetings:embed", args=["samarbejdsforum"]))

    assert "tirsdag 11. maj 2027" in page.content.decode()
    assert "Seneste dagsorden" not in page.content.decode()


def test_only_the_snippet_may_be_framed_and_only_by_the_embed_hosts(
    forums, anonymous_client, settings
):
    settings.EMBED_ALLOWED_HOSTS = ["https://www.kk.dk", "https://intra.kk.dk"]
    url = reverse("meetings:embed", args=["partnerskabsforum"])

    cold = anonymous_client.get(url)
    warm = anonymous_client.get(url)  # from the public page cache
    others = [
        anonymous_client.get(reverse("forums:detail", args=["partnerskabsforum"])),
        anonymous_client.get(reverse("meetings:embed_help", args=["partnerskabsforum"])),
        anonymous_client.get(reverse("api:event-list")),
    ]

    for response in (cold, warm):
        assert response.status_code == 200
        assert "X-Frame-Options" not in response
        assert directives(response)["frame-ancestors"] == "https://www.kk.dk https://intra.kk.dk"
    assert warm["ETag"] == cold["ETag"]
    for response in others:
        assert response["X-Frame-Options"] == "DENY"
        assert directives(response)["frame-ancestors"] == "'none'"


def test_the_embed_help_page_gives_the_iframe_code_and_the_forum_page_links_to_it(
    forums, anonymous_client
):
    help_url = reverse("meetings:embed_help", args=["partnerskabsforum"])
    forum_page = anonymous_client.get(reverse("forums:detail", args=["partnerskabsforum"]))
    page = anonymous_client.get(help_url).content.decode()

    assert f'href="{help_url}"' in forum_page.content.decode()
    assert (
        "&lt;iframe src=&quot;http://testserver/fora/partnerskabsforum/indlejr/&quot;" in page
        or '&lt;iframe src="http://testserver/fora/partnerskabsforum/indlejr/"' in page
    )
    assert "https://www.kk.dk" in page
    assert "/api/v1/events/?organization=partnerskabsforum" in page


def test_embed_allowed_hosts_that_are_not_origins_stop_start_up():
    def start(value: str) -> subprocess.CompletedProcess:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
        env["EMBED_ALLOWED_HOSTS"] = value
        code = "import django; django.setup()"
        return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)

    good = start("https://www.kk.dk,http://localhost:8000")
    bad = start("https://www.kk.dk,www.kk.dk/side")

    assert good.returncode == 0, good.stderr
    assert bad.returncode != 0
    assert "EMBED_ALLOWED_HOSTS must list origins" in bad.stderr
    assert "'www.kk.dk/side'" in bad.stderr
