"""Secretariat sessions: 30 minutes idle, 10 hours in all; members keep today's sessions."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages

from conftest import verify_second_factor
from forums.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 8, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))


def at(time_machine, minutes: float) -> None:
    time_machine.move_to(START + timedelta(minutes=minutes), tick=False)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def sign_in(client, user) -> None:
    response = client.post(
        "/konto/log-ind/", {"username": user.email, "password": "korrekt-hest-batteri"}
    )
    assert response.status_code == 302
    verify_second_factor(client, user)  # the second step is tested in test_second_factor.py


def test_a_secretariat_session_ends_after_thirty_idle_minutes(
    client, secretariat_user, time_machine
):
    at(time_machine, 0)
    sign_in(client, secretariat_user)
    assert client.session["signin_at"] == client.session["signin_seen_at"] == START.timestamp()
    at(time_machine, 29)
    assert client.get("/sekretariat/").status_code == 200
    at(time_machine, 58)  # 29 minutes after the last request: still active
    assert client.get("/sekretariat/").status_code == 200
    at(time_machine, 88.5)
    response = client.get("/sekretariat/")
    assert response.status_code == 302 and response["Location"].startswith("/konto/log-ind/")
    assert not signed_in(client)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Du blev logget ud efter 30 minutter uden aktivitet. Log ind igen."
    ]


def test_a_secretariat_session_ends_ten_hours_after_sign_in_however_busy(
    client, secretariat_user, time_machine
):
    at(time_machine, 0)
    sign_in(client, secretariat_user)
    for minutes in range(20, 600, 20):
        at(time_machine, minutes)
        assert client.get("/sekretariat/").status_code == 200
    at(time_machine, 600.5)
    response = client.get("/sekretariat/")
    assert response.status_code == 302 and not signed_in(client)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Du blev logget ud efter 10 timer. Log ind igen."
    ]


def test_staff_without_the_group_get_the_short_session_too(client, forums, time_machine):
    staff = UserFactory(email="drift@example.org", is_staff=True)
    at(time_machine, 0)
    client.force_login(staff)
    at(time_machine, 31)
    client.get("/konto/")
    assert not signed_in(client)


def test_a_member_session_is_not_ended_after_an_idle_afternoon(client, member_user, time_machine):
    at(time_machine, 0)
    sign_in(client, member_user)
    at(time_machine, 11 * 60)
    assert client.get("/konto/").status_code == 200
    assert signed_in(client)


def test_the_limits_are_settings(client, secretariat_user, time_machine, settings):
    settings.SECRETARIAT_SESSION_IDLE_MINUTES = 5
    at(time_machine, 0)
    sign_in(client, secretariat_user)
    at(time_machine, 6)
    client.get("/sekretariat/")
    assert not signed_in(client)
