"""Nothing a signed-in person sees, and nothing private, is stored by a browser or a cache:
checked over every URL of the permission table."""

import pytest
from django.conf import settings
from django.urls import reverse

from meetings.models import CalendarToken
from tests.test_permissions import EXPECTED, objects  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def directives(response) -> set[str]:
    return {d.strip() for d in response.get("Cache-Control", "").split(",") if d.strip()}


def url_for(name: str, objects) -> str:  # noqa: F811
    kwargs = {k: objects.get(v, v) for k, v in EXPECTED[name][0].items()}
    return reverse(name, kwargs=kwargs)


def test_every_page_for_a_member_and_for_the_secretariat_is_private_and_not_stored(
    objects,  # noqa: F811
    member_client,
    secretariat_client,
):
    for client in (member_client, secretariat_client):
        for name in sorted(EXPECTED):
            response = client.get(url_for(name, objects))
            assert {"private", "no-store"} <= directives(response), (name, response.status_code)


def test_an_anonymous_visitor_gets_public_pages_cacheable_and_the_rest_not_stored(
    objects,  # noqa: F811
    anonymous_client,
):
    for name in sorted(EXPECTED):
        response = anonymous_client.get(url_for(name, objects))
        if name in settings.PUBLIC_PAGES:
            assert "no-store" not in directives(response), name
        else:
            assert {"private", "no-store"} <= directives(response), (name, response.status_code)


def test_a_personal_calendar_feed_is_not_stored(objects, member_user, anonymous_client):  # noqa: F811
    token = CalendarToken.objects.create(user=member_user, token="hemmelig-kalender-adresse")
    response = anonymous_client.get(reverse("meetings:personal_feed", args=[token.token]))
    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)


def test_the_public_pages_are_url_names_of_pages_anonymous_visitors_may_see():
    for name in settings.PUBLIC_PAGES:
        assert name in EXPECTED, name
        assert EXPECTED[name][1] in (200, 404), name
