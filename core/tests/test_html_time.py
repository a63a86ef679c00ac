"""`<time datetime>` values are valid HTML on every page (issue 9 §6): one filter,
`html_datetime`, writes them; no template writes them another way. And the agenda version
page's outline skips no heading level."""

import re
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.template import Context, Template

from core.templatetags.html_time import html_datetime
from meetings.deadlines import TZ
from meetings.models import AgendaVersion
from meetings.tests.factories import schedule

# HTML Living Standard: a valid date string, or a valid global date and time string
# (seconds optional, a fraction of one to three digits, "Z" or an offset).
VALID = re.compile(
    r"\d{4}-\d{2}-\d{2}"
    r"|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})"
)
NOW = datetime(2027, 1, 5, 9, 0, tzinfo=TZ)


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.datetimes: list[str] = []
        self.headings: list[int] = []

    def handle_starttag(self, tag, attrs):
        if tag == "time":
            self.datetimes.append(dict(attrs).get("datetime", ""))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))


def read(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def test_an_end_of_day_deadline_loses_its_microseconds_and_keeps_its_local_offset():
    end_of_day = datetime(2027, 3, 31, 23, 59, 59, 999999, tzinfo=TZ)
    assert html_datetime(end_of_day) == "2027-03-31T23:59:59+02:00"
    assert html_datetime(datetime(2027, 1, 31, 22, 59, 59, 999999, tzinfo=TZ)).endswith("+01:00")
    utc = datetime.fromisoformat("2027-01-31T13:00:00.123456+00:00")
    assert html_datetime(utc) == "2027-01-31T14:00:00+01:00"


def test_dates_and_missing_values_give_a_valid_attribute_or_none():
    assert html_datetime(date(2027, 3, 10)) == "2027-03-10"
    assert html_datetime(None) == ""
    assert html_datetime("") == ""


def test_the_filter_is_what_templates_load():
    rendered = Template(
        '{% load html_time %}<time datetime="{{ moment|html_datetime }}"></time>'
    ).render(Context({"moment": datetime(2027, 3, 31, 23, 59, 59, 999999, tzinfo=TZ)}))
    assert rendered == '<time datetime="2027-03-31T23:59:59+02:00"></time>'


def test_every_template_writes_time_datetime_through_the_one_filter():
    offenders, seen = [], 0
    for path in Path(settings.BASE_DIR).rglob("*.html"):
        if "templates" not in path.parts or {".venv", "node_modules"} & set(path.parts):
            continue
        for value in re.findall(r'datetime="([^"]*)"', path.read_text()):
            seen += 1
            if "{{" in value and "|html_datetime" not in value:
                offenders.append(f"{path}: {value}")
    assert seen >= 4 and offenders == []


@pytest.fixture
def meeting(forums):
    with time_machine.travel(NOW, tick=False):
        return schedule(forums["samarbejdsforum"], day=date(2027, 3, 10))


@pytest.mark.django_db
def test_the_member_and_secretariat_meeting_pages_have_only_valid_datetimes(
    meeting, member_client, secretariat_client
):
    member = read(member_client.get(f"/moeder/{meeting.pk}/medlem/").content.decode())
    workspace = read(secretariat_client.get(f"/sekretariat/moeder/{meeting.pk}/").content.decode())
    # The timeline's deadlines end at 23:59:59.999999; they are there, and valid.
    for page in (member, workspace):
        assert len(page.datetimes) >= 4
        assert [v for v in page.datetimes if not VALID.fullmatch(v)] == []
    assert "2027-02-17T23:59:59+01:00" in member.datetimes  # proposals close at D − 21


@pytest.mark.django_db
def test_the_agenda_version_page_skips_no_heading_level(meeting, member_client):
    item = {
        "position": 1,
        "title": "Helhedsplan for Tingbjerg",
        "is_closed": False,
        "presentation": "Sagsfremstilling.",
        "recommendation": "Indstilling.",
        "attachments": [],
        "treatment_label": "Beslutning",
    }
    AgendaVersion.objects.create(meeting=meeting, number=1, snapshot={"items": [item]})
    response = member_client.get(f"/moeder/{meeting.pk}/dagsorden/1/")
    assert response.status_code == 200
    levels = read(response.content.decode()).headings
    assert levels[0] == 1 and 3 in levels
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
