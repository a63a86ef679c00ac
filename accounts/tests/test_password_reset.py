"""A reset answers alike for known and unknown addresses, and is rate-limited in the task."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import tasks
from accounts.models import PasswordResetRequest
from accounts.services import password_reset_request_handle, password_reset_requests_prune
from forums.tests.factories import UserFactory
from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
NOON = datetime(2026, 3, 2, 12, 0, tzinfo=CPH)


@pytest.fixture
def birthe(forums):
    return UserFactory(email="birthe@example.org", password="en-lang-adgangskode")


@pytest.fixture
def queued(monkeypatch):
    """The tasks the view queues, instead of running them."""
    calls = []
    monkeypatch.setattr(tasks.password_reset_request, "delay", lambda *args: calls.append(args))
    return calls


def request_reset(client, address: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            "/konto/nulstil-adgangskode/", {"email": address}, REMOTE_ADDR="198.51.100.7"
        )
    return response, [q["sql"] for q in queries.captured_queries]


def test_known_and_unknown_addresses_get_the_same_answer_and_the_same_database_work(
    client, birthe, queued
):
    known, known_sql = request_reset(client, "Birthe@Example.org")
    unknown, unknown_sql = request_reset(client, "ukendt@example.org")
    assert (known.status_code, known["Location"]) == (302, "/konto/nulstil-adgangskode/sendt/")
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert known.content == unknown.content
    assert known_sql == unknown_sql
    assert not [q for q in known_sql if q.split()[0] in {"INSERT", "UPDATE", "DELETE"}]
    assert queued == [
        ("Birthe@Example.org", "198.51.100.7"),
        ("ukendt@example.org", "198.51.100.7"),
    ]
    assert PasswordResetRequest.objects.count() == 0 and OutboxMessage.objects.count() == 0


def test_the_task_sends_a_link_to_a_known_address_in_any_case(
    client, birthe, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/konto/nulstil-adgangskode/", {"email": "BIRTHE@example.org"})
    message = OutboxMessage.objects.get()
    assert (message.kind, message.recipient, message.status) == (
        "password_reset",
        "birthe@example.org",
        "sent",
    )
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["birthe@example.org"]
    assert PasswordResetRequest.objects.get().outcome == "sent"


def test_an_unknown_address_is_recorded_and_sent_nothing(client, forums):
    client.post("/konto/nulstil-adgangskode/", {"email": "ukendt@example.org"})
    assert OutboxMessage.objects.count() == 0 and len(mail.outbox) == 0
    assert PasswordResetRequest.objects.get().outcome == "unknown"


def test_a_malformed_address_is_refused_at_the_field_and_kept(client, forums, queued):
    response = client.post("/konto/nulstil-adgangskode/", {"email": "birthe@"})
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["Angiv en gyldig e-mailadresse."]
    assert 'value="birthe@"' in response.content.decode()
    assert queued == []


def test_the_fourth_link_to_one_address_within_an_hour_is_not_sent(
    birthe, time_machine, django_capture_on_commit_callbacks
):
    for n in range(4):
        time_machine.move_to(NOON + timedelta(minutes=10 * n), tick=False)
        with django_capture_on_commit_callbacks(execute=True):
            tasks.password_reset_request("birthe@example.org", f"198.51.100.{n}")
    outcomes = PasswordResetRequest.objects.order_by("requested_at").values_list(
        "outcome", flat=True
    )
    assert list(outcomes) == ["sent", "sent", "sent", "limited"]
    assert OutboxMessage.objects.filter(kind="password_reset").count() == 3
    assert len(mail.outbox) == 3
    time_machine.move_to(NOON + timedelta(hours=1), tick=False)
    tasks.password_reset_request("BIRTHE@example.org", "198.51.100.9")
    assert PasswordResetRequest.objects.order_by("requested_at").last().outcome == "sent"
    assert OutboxMessage.objects.filter(kind="password_reset").count() == 4


def test_one_client_address_gets_ten_requests_an_hour_whatever_the_addresses(birthe):
    for n in range(10):
        password_reset_request_handle(
            address=f"ukendt{n}@example.org",
            client_address="198.51.100.66",
            now=NOON + timedelta(minutes=n),
        )
    over = password_reset_request_handle(
        address="birthe@example.org",
        client_address="198.51.100.66",
        now=NOON + timedelta(minutes=11),
    )
    assert over.outcome == "limited"
    assert OutboxMessage.objects.count() == 0
    elsewhere = password_reset_request_handle(
        address="birthe@example.org",
        client_address="198.51.100.7",
        now=NOON + timedelta(minutes=12),
    )
    assert elsewhere.outcome == "sent"
    assert OutboxMessage.objects.get().recipient == "birthe@example.org"


def test_an_account_without_a_usable_password_or_deactivated_is_sent_nothing(forums):
    UserFactory(email="inviteret@example.org", password=None)
    UserFactory(email="stoppet@example.org", is_active=False)
    for address in ("inviteret@example.org", "stoppet@example.org"):
        request = password_reset_request_handle(address=address, client_address=None, now=NOON)
        assert request.outcome == "unknown"
    assert OutboxMessage.objects.count() == 0


def test_the_sweep_forgets_requests_older_than_a_day(birthe):
    password_reset_request_handle(address="birthe@example.org", client_address=None, now=NOON)
    assert password_reset_requests_prune(now=NOON + timedelta(hours=23)) == {"deleted": 0}
    assert password_reset_requests_prune(now=NOON + timedelta(days=1, seconds=1)) == {"deleted": 1}
    assert PasswordResetRequest.objects.count() == 0
