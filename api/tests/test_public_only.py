"""The API draws from the same public selectors as the public pages: with secret markers
planted in closed items, in everything of the forums whose agenda and minutes are not
public, in draft minutes' texts, in an internal sub-agreement and a draft framework
agreement (tests/test_public_outputs.py's `planted`, plus a draft here), an anonymous
client fetches every endpoint the OpenAPI schema lists — every page of every list and the
detail of every object listed — and no marker appears anywhere. The schema is walked, so
an endpoint added later is covered without editing this test."""

import re
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from agreements.models import FrameworkAgreement, SubAgreement
from forums.models import Forum, Organisation
from meetings.models import Meeting
from meetings.tests.factories import at
from minutes.models import Minutes, MinutesItem
from pools.models import Pool
from tests.test_public_outputs import (  # noqa: F401  (planted is the fixture)
    APPROVED,
    PUBLIC,
    PUBLIC_FORUM,
    SECRET,
    planted,
    travel,
)

pytestmark = pytest.mark.django_db


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def fetch_every_endpoint(client: Client) -> dict[str, str]:
    """{url: body} for every list page and every detail the schema's GET paths give."""
    schema = client.get(reverse("api:schema") + "?format=json").json()
    bodies: dict[str, str] = {}
    ids: dict[str, list] = {}
    paths = sorted(p for p, ops in schema["paths"].items() if "get" in ops)
    for path in (p for p in paths if "{" not in p):
        url, ids[path] = path, []
        while url:
            response = client.get(url)
            assert response.status_code == 200, url
            bodies[url] = response.content.decode()
            page = response.json()
            ids[path] += [item["id"] for item in page["results"]]
            url = _path(page["next"]) if page["next"] else None
    for path in (p for p in paths if "{" in p):
        listing = path[: path.index("{")]
        assert ids.get(listing), f"no list for {path}, or it is empty: plant one"
        for value in ids[listing]:
            url = re.sub(r"\{[^}]+\}", str(value), path)
            response = client.get(url)
            assert response.status_code == 200, url
            bodies[url] = response.content.decode()
    return bodies


def plant_more() -> None:
    """A draft framework agreement, draft minutes of a Partnerskabsforum meeting (whose
    approved minutes would be public), and a published sub-agreement (so the list and
    detail of sub-agreements are walked too)."""
    FrameworkAgreement.objects.create(
        title=f"{SECRET}-MARKØR-UDKAST",
        introduction=f"{SECRET}-MARKØR-UDKAST-INDLEDNING",
        period_start=date(2029, 1, 1),
        period_end=date(2032, 12, 31),
    )
    meeting = Meeting.objects.create(
        forum=Forum.objects.get(slug=PUBLIC_FORUM),
        starts_at=at(date(2027, 5, 20), 14),
        ends_at=at(date(2027, 5, 20), 16),
        place="Rådhuset",
    )
    draft = Minutes.objects.create(meeting=meeting, introduction=f"{SECRET}-MARKØR-KLADDE")
    MinutesItem.objects.create(
        minutes=draft,
        position=1,
        title=f"{SECRET}-MARKØR-KLADDE-PUNKT",
        summary=f"{SECRET}-MARKØR-KLADDE-REFERAT",
        decision=f"{SECRET}-MARKØR-KLADDE-BESLUTNING",
    )
    tmf = Organisation.objects.get(short_name="TMF")
    SubAgreement.objects.create(
        title="Offentlig delaftale",
        theme="Tryghed",
        administration=tmf,
        housing_organisation=Organisation.objects.get(name="Boligselskabet"),
        period_start=date(2025, 1, 1),
        period_end=date(2026, 12, 31),
        is_published=True,
    )
    # Funding pools: one the secretariat marked public (walked), one it did not (never shown).
    for public, name in ((True, "Offentlig pulje"), (False, f"{SECRET}-MARKØR-PULJE")):
        Pool.objects.create(
            name=name,
            slug="offentlig" if public else "intern",
            purpose=name,
            amount=Decimal("500000.00"),
            authorised_on=date(2024, 12, 1),
            authorisation_reference=f"{SECRET}-MARKØR-BR" if not public else "BR 1/2024",
            period_start=date(2025, 1, 1),
            period_end=date(2030, 12, 31),
            is_public=public,
        )


def test_every_endpoint_fetched_anonymously_shows_no_marker_of_what_is_not_public(planted):  # noqa: F811
    pf = Meeting.objects.get(forum__slug=PUBLIC_FORUM)
    plant_more()
    client = Client()

    with travel(APPROVED + timedelta(hours=1)):
        bodies = fetch_every_endpoint(client)

    leaks = {url: re.findall(rf"{SECRET}[-\w]*", body) for url, body in bodies.items()}
    assert {url: found for url, found in leaks.items() if found} == {}
    # The walk reached what is public: Partnerskabsforum's agenda and approved minutes,
    # with the closed item by its number alone, and every kind of object.
    event = bodies[reverse("api:event-detail", args=[pf.pk])]
    closed = pf.items.get(is_closed=True).position
    assert f"{PUBLIC} sagsfremstilling" in event
    assert f"{PUBLIC} beslutning" in event
    assert f"Punkt {closed}: Lukket punkt" in event
    reached = {urlsplit(url).path.split("/")[3] for url in bodies}
    assert {
        "organizations",
        "events",
        "agreements",
        "initiatives",
        "subagreements",
        "pools",
    } <= reached
