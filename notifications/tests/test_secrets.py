"""A secret link (password reset, invitation) reaches its owner's mailbox and nothing else:
the outbox row, its key, its error text and the log hold a marker instead, and the link is
made when the message is delivered, for the account behind it."""

import importlib
import logging
import re
import smtplib
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.apps import apps as django_apps
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from accounts.services import account_invite, password_reset_enqueue
from core.models import AuditEntry
from forums.tests.factories import PersonFactory, UserFactory
from notifications.models import OutboxMessage
from notifications.secrets import redaction_marker
from notifications.services import outbox_deliver, outbox_enqueue, outbox_resend

pytestmark = pytest.mark.django_db

MOMENT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
PASSWORD = "Ny-adgangskode-2026!"


@pytest.fixture
def frozen():
    with time_machine.travel(MOMENT, tick=False) as traveller:
        yield traveller


def link_in(body: str) -> str:
    return re.search(r"http://testserver(/konto/\S+/)", body).group(1)


def token_of(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[1]


def stored_text(message: OutboxMessage) -> str:
    message.refresh_from_db()
    return " ".join([message.key, message.body_text, message.body_html, message.last_error])


def refused_because_no_link_may_be_made(message: OutboxMessage) -> bool:
    message.refresh_from_db()
    return message.status == "failed" and message.last_error.startswith("SecretUnavailable:")


def set_password_with(client, path: str) -> None:
    form_url = client.get(path, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})


def test_a_reset_is_stored_with_a_marker_and_delivered_with_a_link_that_sets_the_password(
    client, forums, frozen, django_capture_on_commit_callbacks
):
    user = UserFactory(email="birthe@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/konto/nulstil-adgangskode/", {"email": "birthe@example.org"})
    message = OutboxMessage.objects.get(kind="password_reset")
    path = link_in(mail.outbox[0].body)
    assert message.status == "sent" and message.recipient_user == user
    assert redaction_marker() in message.body_text and redaction_marker() in message.body_html
    assert token_of(path) == default_token_generator.make_token(user)
    assert token_of(path) not in stored_text(message)
    assert "/nulstil-adgangskode/" not in stored_text(message)
    assert path in mail.outbox[0].alternatives[0][0]
    assert redaction_marker() not in mail.outbox[0].body

    set_password_with(client, path)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_an_invitation_is_stored_and_audited_without_its_link_or_token(
    secretariat_user, frozen, django_capture_on_commit_callbacks
):
    person = PersonFactory(name="Lars Lejer", email="lars@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        user = account_invite(actor=secretariat_user, person=person)
    message = OutboxMessage.objects.get(kind="invitation")
    token = token_of(link_in(mail.outbox[0].body))
    assert token == default_token_generator.make_token(user)
    assert token not in stored_text(message) and "/invitation/" not in stored_text(message)
    assert not message.key.endswith(token)
    audit = AuditEntry.objects.get(action="account.invite")
    assert token not in str(audit.data) and token not in audit.object_repr


def delivered_then_failed():
    """The server takes the message and then answers with a permanent error: the row is
    marked failed although the recipient may have the first link."""
    original = EmailBackend.send_messages

    def deliver_then_fail(backend, messages):
        original(backend, messages)
        raise smtplib.SMTPDataError(554, b"transaction failed")

    return mock.patch.object(
        EmailBackend, "send_messages", autospec=True, side_effect=deliver_then_fail
    )


def test_sending_again_issues_a_fresh_working_link_and_the_row_never_held_either(
    client, secretariat_user, forums, frozen, django_capture_on_commit_callbacks
):
    user = UserFactory(email="birthe@example.org")
    password_reset_enqueue(user=user)
    message = OutboxMessage.objects.get()
    with delivered_then_failed():
        assert outbox_deliver(message_id=message.pk) == "failed"
    first = link_in(mail.outbox[0].body)
    frozen.shift(timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        outbox_resend(actor=secretariat_user, message=message)
    second = link_in(mail.outbox[1].body)
    message.refresh_from_db()
    assert message.status == "sent" and len(mail.outbox) == 2
    assert token_of(first) != token_of(second)
    assert token_of(first) not in stored_text(message)
    assert token_of(second) not in stored_text(message)

    set_password_with(client, second)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert client.get(first, follow=True).context["validlink"] is False


def test_a_link_is_not_sent_to_an_address_the_account_no_longer_has(forums):
    user = UserFactory(email="birthe@example.org")
    password_reset_enqueue(user=user)
    user.email = "birthe.ny@example.org"
    user.save()
    message = OutboxMessage.objects.get()
    assert outbox_deliver(message_id=message.pk) == "failed"
    message.refresh_from_db()
    assert mail.outbox == [] and message.status == "failed"
    assert refused_because_no_link_may_be_made(message)


def test_no_link_is_made_for_a_deactivated_account(forums):
    user = UserFactory(email="birthe@example.org")
    password_reset_enqueue(user=user)
    user.is_active = False
    user.save()
    message = OutboxMessage.objects.get()
    assert outbox_deliver(message_id=message.pk) == "failed"
    assert mail.outbox == []
    assert refused_because_no_link_may_be_made(message)


def test_no_link_is_made_when_the_account_is_gone(forums):
    user = UserFactory(email="birthe@example.org")
    password_reset_enqueue(user=user)
    user.delete()
    message = OutboxMessage.objects.get()
    assert message.recipient_user is None
    assert outbox_deliver(message_id=message.pk) == "failed"
    assert mail.outbox == []
    assert refused_because_no_link_may_be_made(message)


def test_a_secret_message_needs_the_account_it_is_for(forums):
    with pytest.raises(ValueError):
        outbox_enqueue(
            kind="password_reset", key="k", to="birthe@example.org", context={}, user=None
        )
    assert OutboxMessage.objects.count() == 0


def test_a_link_passed_by_the_caller_never_reaches_the_stored_row(forums):
    user = UserFactory(email="birthe@example.org")
    message = outbox_enqueue(
        kind="password_reset",
        key="k",
        to=user.email,
        user=user,
        context={"user": user, "secret_link": "http://testserver/konto/x/hemmelig/"},
    )
    assert "hemmelig" not in stored_text(message)
    assert redaction_marker() in message.body_text


def test_a_secret_message_without_a_place_for_its_link_is_not_sent(forums):
    user = UserFactory(email="birthe@example.org")
    message = OutboxMessage.objects.create(
        key="k",
        kind="password_reset",
        recipient=user.email,
        recipient_user=user,
        subject="Ny adgangskode",
        body_text="Tekst uden link",
    )
    assert outbox_deliver(message_id=message.pk) == "failed"
    assert mail.outbox == []
    assert refused_because_no_link_may_be_made(message)


def test_an_smtp_error_that_quotes_the_message_is_stored_and_logged_without_the_link(
    forums, frozen, caplog
):
    user = UserFactory(email="birthe@example.org")
    password_reset_enqueue(user=user)
    message = OutboxMessage.objects.get()

    def echo(backend, messages):
        raise smtplib.SMTPDataError(554, messages[0].body.encode())

    token = default_token_generator.make_token(user)
    with (
        caplog.at_level(logging.WARNING),
        mock.patch.object(EmailBackend, "send_messages", autospec=True, side_effect=echo),
    ):
        assert outbox_deliver(message_id=message.pk) == "failed"
    assert "554" in stored_text(message)
    assert token not in stored_text(message)
    assert caplog.records and token not in caplog.text


def test_the_migration_takes_live_links_out_of_rows_written_before(forums):
    user = UserFactory(email="birthe@example.org")
    token = default_token_generator.make_token(user)
    link = f"http://testserver/konto/nulstil-adgangskode/MQ/{token}/"
    message = OutboxMessage.objects.create(
        key=f"password_reset:{user.pk}:{token}",
        kind="password_reset",
        recipient=user.email,
        recipient_user=user,
        subject="Ny adgangskode",
        body_text=f"Vælg en her:\n\n{link}\n\nHilsen",
        body_html=f'<p><a href="{link}">Vælg</a></p>',
        last_error=f"SMTPDataError: {link}",
    )
    migration = importlib.import_module("notifications.migrations.0002_redact_secret_links")
    migration.redact(django_apps, None)
    assert token not in stored_text(message) and "/nulstil-adgangskode/" not in stored_text(message)
    assert message.key == f"password_reset:{user.pk}:redacted-{message.pk}"
    assert outbox_deliver(message_id=message.pk) == "sent"
    assert token_of(link_in(mail.outbox[0].body)) == default_token_generator.make_token(user)
