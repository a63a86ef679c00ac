"""The open, read-only API (issue 10 §6): /api/v1/ for the municipality's website and
anyone else. Each test is named after the clause of the issue it checks."""

import gzip
import json
from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from agreements.models import FrameworkAgreement, Initiative
from forums.models import Organisation
from forums.tests.factories import MembershipFactory, PersonFactory, seat
from meetings import services as meeting_services
from meetings.models import AgendaItem, Meeting
from meetings.tests.factories import at, schedule

pytestmark = pytest.mark.django_db

TODAY = at(date(2026, 12, 1), 9)


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def pf_meeting(frozen, forums, secretariat_user, django_capture_on_commit_callbacks) -> Meeting:
    """A Partnerskabsforum meeting (its agenda is public) with an open and a closed item,
    its agenda sent."""
    tmf = Organisation.objects.get(short_name="TMF")
    meeting = schedule(forums["partnerskabsforum"], day=date(2027, 5, 12), actor=secretariat_user)
    with django_capture_on_commit_callbacks(execute=True):
        for closed, title in ((False, "Status på hovedaftalen"), (True, "Fortrolig grundkøb")):
            meeting_services.agenda_item_save(
                actor=secretariat_user,
                item=AgendaItem(meeting=meeting),
                title=title,
                presentation=f"{title}: sagsfremstilling",
                recommendation=f"{title}: indstilling",
                responsible=tmf,
                is_closed=closed,
            )
        meeting_services.agenda_send(actor=secretariat_user, meeting=meeting)
    meeting.refresh_from_db()
    return meeting


def get_json(client: Client, url: str, **headers) -> dict:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    assert response["Content-Type"] in ("application/json", "application/vnd.oai.openapi+json")
    return json.loads(response.content)


# --- read-only JSON for the public forums, meetings, agreements … ---------------------------


def test_events_are_meetings_in_open_civic_data_fields_with_the_public_agenda(
    pf_meeting, anonymous_client
):
    closed = pf_meeting.items.get(is_closed=True)
    event = get_json(anonymous_client, reverse("api:event-detail", args=[pf_meeting.pk]))

    assert event["name"] == "Partnerskabsforum"
    assert event["classification"] == "meeting"
    assert event["start_date"] == "2027-05-12T14:00:00+02:00"
    assert event["end_date"] == "2027-05-12T16:00:00+02:00"
    assert event["status"] == "confirmed"
    assert event["location"] == {"name": pf_meeting.place}
    assert event["organization"] == "partnerskabsforum"
    assert event["minutes"] is None
    items = event["agenda"]["items"]
    assert [i["order"] for i in items] == list(range(1, len(items) + 1))
    open_item = next(i for i in items if i["description"] == "Status på hovedaftalen")
    assert open_item["presentation"] == "Status på hovedaftalen: sagsfremstilling"
    assert open_item["closed"] is False
    # The closed item keeps its number and nothing else (core/closed_items.py).
    placeholder = next(i for i in items if i["order"] == closed.position)
    assert placeholder == {
        "order": closed.position,
        "description": f"Punkt {closed.position}: Lukket punkt",
        "closed": True,
        "classification": [],
        "responsible": "",
        "presentation": "",
        "recommendation": "",
    }
    assert "Fortrolig" not in json.dumps(event, ensure_ascii=False)


def test_events_of_a_forum_whose_agenda_is_not_public_show_time_and_place_but_no_agenda(
    frozen, forums, secretariat_user, anonymous_client, django_capture_on_commit_callbacks
):
    meeting = schedule(forums["samarbejdsforum"], day=date(2027, 5, 11), actor=secretariat_user)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.agenda_item_save(
            actor=secretariat_user,
            item=AgendaItem(meeting=meeting),
            title="Kun for medlemmerne",
            responsible=Organisation.objects.get(short_name="TMF"),
        )
        meeting_services.agenda_send(actor=secretariat_user, meeting=meeting)
    assert meeting.versions.exists()

    event = get_json(anonymous_client, reverse("api:event-detail", args=[meeting.pk]))

    assert event["organization"] == "samarbejdsforum"
    assert event["agenda"] is None
    assert "Kun for medlemmerne" not in json.dumps(event, ensure_ascii=False)


def test_events_filter_by_organization_and_year(pf_meeting, forums, anonymous_client):
    with time_machine.travel(TODAY, tick=False):
        other = schedule(forums["borgmesterforum"], day=date(2027, 5, 10))
    url = reverse("api:event-list")

    by_forum = get_json(anonymous_client, f"{url}?organization=partnerskabsforum")
    by_year = get_json(anonymous_client, f"{url}?year=2027&organization=borgmesterforum")
    none = get_json(anonymous_client, f"{url}?year=2026")

    assert [e["id"] for e in by_forum["results"]] == [pf_meeting.pk]
    assert [e["id"] for e in by_year["results"]] == [other.pk]
    assert none["count"] == 0


def test_a_bad_filter_is_a_400_with_a_danish_message(forums, anonymous_client):
    url = reverse("api:event-list")

    unknown = anonymous_client.get(f"{url}?organization=ingen-saadan")
    bad_year = anonymous_client.get(f"{url}?year=sidste")

    assert unknown.status_code == 400
    assert unknown.json() == {"organization": ["Der er intet forum »ingen-saadan«."]}
    assert bad_year.status_code == 400
    assert bad_year.json() == {"year": ["Et gyldigt heltal er påkrævet."]}


def test_organizations_are_the_forums_with_the_memberships_their_public_page_shows(
    forums, anonymous_client
):
    pf = forums["partnerskabsforum"]
    person = PersonFactory(name="Anna Andersen", title="Direktør", email="anna@example.org")
    person.phone = "12345678"
    person.save()
    MembershipFactory(person=person, forum=pf, seat=seat("partnerskabsforum"))
    gone = PersonFactory(name="Tidligere Medlem")
    MembershipFactory(
        person=gone,
        forum=pf,
        seat=seat("partnerskabsforum"),
        starts_on=date(2020, 1, 1),
        ends_on=date(2021, 1, 1),
    )

    listing = get_json(anonymous_client, reverse("api:organization-list"))
    org = get_json(anonymous_client, reverse("api:organization-detail", args=[pf.slug]))

    assert [o["id"] for o in listing["results"]] == [
        "borgmesterforum",
        "partnerskabsforum",
        "tvaerkommunal-styregruppe",
        "samarbejdsforum",
    ]
    assert org["name"] == "Partnerskabsforum"
    assert org["classification"] == "committee"
    anna = next(m for m in org["memberships"] if m["person_name"] == "Anna Andersen")
    assert anna["person_title"] == "Direktør"
    assert anna["label"] == seat("partnerskabsforum").title
    assert anna["organization_id"] == "partnerskabsforum"
    assert set(anna) == {
        "person_name",
        "person_title",
        "role",
        "role_label",
        "label",
        "appointed_by",
        "organization_id",
        "start_date",
        "end_date",
    }
    text = json.dumps(org, ensure_ascii=False)
    assert "anna@example.org" not in text and "12345678" not in text
    assert "Tidligere Medlem" not in text


def test_agreements_subagreements_and_initiatives_are_what_the_public_pages_list(
    forums, anonymous_client
):
    public = FrameworkAgreement.objects.create(
        title="Hovedaftale 2025-2028",
        period_start=date(2025, 1, 1),
        period_end=date(2028, 12, 31),
        status=FrameworkAgreement.Status.IN_FORCE,
    )
    public.versions.create(number=1, adopted_on=date(2025, 1, 1), snapshot={})
    public.versions.create(number=2, adopted_on=date(2026, 3, 1), change_note="Justering")
    FrameworkAgreement.objects.create(
        title="Udkast til næste aftale",
        period_start=date(2029, 1, 1),
        period_end=date(2032, 12, 31),
    )

    agreements = get_json(anonymous_client, reverse("api:agreement-list"))

    assert [a["title"] for a in agreements["results"]] == ["Hovedaftale 2025-2028"]
    versions = agreements["results"][0]["versions"]
    assert [(v["number"], v["is_adjustment"]) for v in versions] == [(1, False), (2, True)]
    assert versions[1]["change_note"] == "Justering"


# --- pagination ----------------------------------------------------------------------------


def test_lists_are_paginated_fifty_to_a_page(forums, anonymous_client):
    tmf = Organisation.objects.get(short_name="TMF")
    Initiative.objects.bulk_create(
        Initiative(
            name=f"Indsats {n:02d}",
            area="Nordvest",
            kind="other",
            period_start=date(2025, 1, 1),
            responsible=tmf,
        )
        for n in range(51)
    )
    url = reverse("api:initiative-list")

    first = get_json(anonymous_client, url)
    second = get_json(anonymous_client, first["next"].removeprefix("http://testserver"))

    assert first["count"] == 51
    assert len(first["results"]) == 50 and first["previous"] is None
    assert [i["name"] for i in second["results"]] == ["Indsats 50"]
    assert second["next"] is None
    assert anonymous_client.get(f"{url}?page=3").status_code == 404


# --- an OpenAPI 3 schema with a browsable page ----------------------------------------------


def test_the_openapi_3_schema_lists_every_endpoint(anonymous_client):
    schema = get_json(anonymous_client, reverse("api:schema") + "?format=json")

    assert schema["openapi"].startswith("3.")
    assert {
        "/api/v1/organizations/",
        "/api/v1/organizations/{slug}/",
        "/api/v1/events/",
        "/api/v1/events/{id}/",
        "/api/v1/agreements/",
        "/api/v1/subagreements/",
        "/api/v1/initiatives/",
    } <= set(schema["paths"])
    assert set(schema["paths"]) == {p for p in schema["paths"] if "get" in schema["paths"][p]}


def test_the_schema_is_titled_and_described_in_danish_with_english_field_names(
    anonymous_client,
):
    schema = get_json(anonymous_client, reverse("api:schema") + "?format=json")

    assert schema["info"]["title"] == "Fællesindgangs API"
    description = schema["info"]["description"]
    assert description.startswith("Åbne data, kun til læsning, om Fællesindgangs offentlige fora")
    assert "Read-only" not in description and "Open Civic Data" in description


def test_the_docs_page_serves_swagger_ui_from_this_site_and_no_cdn(anonymous_client):
    response = anonymous_client.get(reverse("api:docs"))
    page = response.content.decode()
    script = anonymous_client.get(reverse("api:docs") + "?script=")

    assert response.status_code == 200
    assert "https://" not in page and "//cdn" not in page
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "<style" not in page and "<script>" not in page  # the CSP allows neither
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in script.content.decode()
    csp = dict(d.strip().split(" ", 1) for d in response["Content-Security-Policy"].split(";"))
    assert csp["script-src"] == "'self'" and csp["style-src"] == "'self'"


def test_the_api_answers_json_and_the_browsable_page_only_when_asked(forums, anonymous_client):
    url = reverse("api:organization-list")
    browser = anonymous_client.get(url, headers={"accept": "text/html,*/*;q=0.8"})
    asked = anonymous_client.get(f"{url}?format=api", headers={"accept": "text/html"})

    assert browser["Content-Type"] == "application/json"
    assert asked.status_code == 200
    assert asked["Content-Type"].startswith("text/html")


def test_the_api_is_read_only_and_needs_no_csrf_token(forums):
    client = Client(enforce_csrf_checks=True)
    url = reverse("api:organization-detail", args=["partnerskabsforum"])

    answers = [client.post(url), client.put(url), client.delete(url)]

    assert [a.status_code for a in answers] == [405, 405, 405]
    assert get_json(client, url)["name"] == "Partnerskabsforum"


# --- ETag and caching as the public pages; compression ----------------------------------


def test_etag_and_caching_as_the_public_pages_a_conditional_get_answers_304(
    pf_meeting, secretariat_user, anonymous_client, django_capture_on_commit_callbacks
):
    url = reverse("api:event-list")
    first = anonymous_client.get(url)
    etag = first["ETag"]

    again = anonymous_client.get(url, headers={"if-none-match": etag})
    with django_capture_on_commit_callbacks(execute=True), time_machine.travel(TODAY, tick=False):
        meeting_services.meeting_move(
            actor=secretariat_user,
            meeting=pf_meeting,
            starts_at=pf_meeting.starts_at,
            ends_at=pf_meeting.ends_at,
            place="Rådhuset, Udvalgsværelse 2",
        )
    changed = anonymous_client.get(url, headers={"if-none-match": etag})

    assert first.status_code == 200 and etag
    assert "no-store" not in first.get("Cache-Control", "")
    assert again.status_code == 304
    assert changed.status_code == 200
    assert changed.json()["results"][0]["location"] == {"name": "Rådhuset, Udvalgsværelse 2"}


def test_answers_are_gzip_compressed_for_anonymous_clients_that_accept_it(forums, anonymous_client):
    url = reverse("api:organization-list")
    response = anonymous_client.get(url, headers={"accept-encoding": "gzip"})

    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert json.loads(gzip.decompress(response.content))["count"] == 4


# --- CORS for GET ------------------------------------------------------------------------


def test_cors_lets_any_site_get_the_api_and_nothing_else(forums, anonymous_client):
    origin = {"origin": "https://www.kk.dk"}
    api = anonymous_client.get(reverse("api:organization-list"), headers=origin)
    preflight = anonymous_client.options(
        reverse("api:organization-list"),
        headers={**origin, "access-control-request-method": "GET"},
    )
    page = anonymous_client.get(reverse("forums:list"), headers=origin)

    assert api["Access-Control-Allow-Origin"] == "*"
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "Access-Control-Allow-Credentials" not in api
    assert "Access-Control-Allow-Origin" not in page


# --- throttling for anonymous clients --------------------------------------------------


def test_anonymous_clients_are_throttled_at_the_configured_rate(forums, settings):
    settings.API_ANON_THROTTLE_RATE = "2/minute"
    settings.PUBLIC_CACHE_ENABLED = False  # every request reaches the view
    client = Client()
    url = reverse("api:organization-list")

    answers = [client.get(url).status_code for _ in range(3)]

    assert answers == [200, 200, 429]
