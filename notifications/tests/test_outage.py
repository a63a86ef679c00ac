"""Mail survives an outage of the mail server: a real SMTP server (aiosmtpd) on a loopback
port is stopped and started again while the outbox retries, with time moved by
time_machine and the sweep driven by hand."""

import smtplib
import socket
from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from forums.tests.factories import UserFactory
from notifications.models import OutboxMessage
from notifications.services import (
    outbox_deliver,
    outbox_enqueue,
    outbox_retry_countdown,
    outbox_sweep,
)
from notifications.tasks import send_outbox_messages

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
REFUSED = "ukendt@example.org"
DATA_REFUSED = "spamfilter@example.org"
GREYLISTED = "graaliste@example.org"


class Handler:
    """Accepts mail like a real server, except: RCPT for REFUSED gets 550, DATA for
    DATA_REFUSED gets 554, and GREYLISTED gets 451 the first time it is tried."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], bytes]] = []
        self.greylisted_once = False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == REFUSED:
            return "550 5.1.1 No such user here"
        if address == GREYLISTED and not self.greylisted_once:
            self.greylisted_once = True
            return "451 4.7.1 Greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if DATA_REFUSED in envelope.rcpt_tos:
            return "554 5.7.1 Message rejected as spam"
        self.received.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


class MailServer:
    """A local SMTP server that can be stopped and started again on the same port."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.handler = Handler()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def recipients(self) -> list[str]:
        return [to for rcpt_tos, _content in self.handler.received for to in rcpt_tos]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def mail_server():
    server = MailServer(free_port())
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=server.port,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        EMAIL_TIMEOUT=5,
    ):
        server.start()
        yield server
        server.stop()


def enqueue(to: str, key: str) -> OutboxMessage:
    """An invitation: a kind whose link is made at delivery, so the retries go through it."""
    user = User.objects.filter(email=to).first() or UserFactory(email=to)
    person = mock.Mock(name="person")
    person.name = "Birthe Boligsen"
    return outbox_enqueue(kind="invitation", key=key, to=to, user=user, context={"person": person})


def row(message: OutboxMessage) -> OutboxMessage:
    message.refresh_from_db()
    return message


def sweep_at(moment: datetime) -> dict[str, int]:
    with time_machine.travel(moment, tick=False):
        return outbox_sweep(now=timezone.now())


def test_mail_queued_while_the_server_is_down_is_retried_and_arrives_once_when_it_is_back(
    mail_server, secretariat_client
):
    mail_server.stop()
    with time_machine.travel(T0, tick=False):
        first = enqueue("birthe@example.org", "outage:1")
        second = enqueue("bo@example.org", "outage:2")
        assert outbox_deliver(message_id=first.pk) == "retry"  # the task after commit
    assert row(first).status == "queued" and row(first).first_attempt_at == T0
    assert "Connection" in row(first).last_error
    assert row(first).retry_at == T0 + timedelta(minutes=1)
    assert sweep_at(T0 + timedelta(seconds=30))["requeued"] == 0  # second's task was lost
    detail = secretariat_client.get(f"/sekretariat/udbakke/{first.pk}/").content.decode()
    assert 'Første forsøg</dt><dd class="col-sm-9">30. november 2026 09:00' in detail
    assert 'Næste forsøg</dt><dd class="col-sm-9">30. november 2026 09:01' in detail

    # Ten hours down: far longer than the old limit of five attempts (~25 minutes).
    moment = T0 + timedelta(minutes=3)
    while moment < T0 + timedelta(hours=10):
        sweep_at(moment)
        moment = max(row(first).retry_at, row(second).retry_at) + timedelta(seconds=1)
    assert [row(first).status, row(second).status] == ["queued", "queued"]
    assert row(first).attempts >= 15
    assert row(first).retry_at - row(first).claimed_at == timedelta(hours=1)  # capped
    assert mail_server.handler.received == []

    mail_server.start()
    back = moment + timedelta(hours=1)
    assert sweep_at(back)["requeued"] == 2
    assert sweep_at(back + timedelta(minutes=5))["requeued"] == 0
    assert outbox_deliver(message_id=first.pk) == "skipped"
    assert sorted(mail_server.recipients()) == ["birthe@example.org", "bo@example.org"]
    assert [row(first).status, row(second).status] == ["sent", "sent"]
    assert row(first).sent_at == back and row(first).last_error == ""


def test_a_duplicate_task_before_the_retry_time_does_not_shorten_the_backoff(mail_server):
    mail_server.stop()
    with time_machine.travel(T0, tick=False):
        message = enqueue("birthe@example.org", "early:1")
        assert outbox_deliver(message_id=message.pk) == "retry"
    mail_server.start()
    with time_machine.travel(T0 + timedelta(seconds=30), tick=False):
        assert outbox_deliver(message_id=message.pk) == "skipped"
        assert outbox_retry_countdown(message_id=message.pk, now=timezone.now()) == 31
    assert row(message).attempts == 1 and mail_server.handler.received == []
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        assert outbox_deliver(message_id=message.pk) == "sent"
    assert mail_server.recipients() == ["birthe@example.org"]


def test_a_recipient_refused_with_550_is_failed_for_good_at_once(mail_server):
    with time_machine.travel(T0, tick=False):
        refused = enqueue(REFUSED, "refused:1")
        accepted = enqueue("birthe@example.org", "refused:2")
        assert outbox_deliver(message_id=refused.pk) == "failed"
        assert outbox_deliver(message_id=accepted.pk) == "sent"
    assert row(refused).status == "failed" and row(refused).attempts == 1
    assert "550" in row(refused).last_error and row(refused).retry_at is None
    assert sweep_at(T0 + timedelta(hours=1))["requeued"] == 0
    assert mail_server.recipients() == ["birthe@example.org"]


def test_a_message_refused_with_554_after_data_is_failed_for_good_at_once(mail_server):
    message = enqueue(DATA_REFUSED, "data-refused:1")
    assert outbox_deliver(message_id=message.pk) == "failed"
    assert row(message).status == "failed" and "SMTPDataError" in row(message).last_error
    assert mail_server.handler.received == []


def test_a_greylisting_451_is_retried_and_then_delivered_once(mail_server):
    with time_machine.travel(T0, tick=False):
        message = enqueue(GREYLISTED, "greylisted:1")
        assert outbox_deliver(message_id=message.pk) == "retry"
    assert row(message).status == "queued" and "451" in row(message).last_error
    assert sweep_at(T0 + timedelta(minutes=2))["requeued"] == 1
    assert sweep_at(T0 + timedelta(minutes=10))["requeued"] == 0
    assert row(message).status == "sent" and row(message).attempts == 2
    assert mail_server.recipients() == [GREYLISTED]


def test_a_message_that_fails_for_more_than_48_hours_is_failed(mail_server):
    mail_server.stop()
    with time_machine.travel(T0, tick=False):
        message = enqueue("birthe@example.org", "old:1")
        outbox_deliver(message_id=message.pk)
    sweep_at(T0 + timedelta(hours=47, minutes=59))
    assert row(message).status == "queued"
    sweep_at(T0 + timedelta(hours=48, minutes=1))
    assert row(message).status == "failed" and row(message).attempts == 3
    assert "48" in row(message).last_error and "Connection" in row(message).last_error
    mail_server.start()
    assert sweep_at(T0 + timedelta(hours=50))["requeued"] == 0
    assert mail_server.handler.received == []


@override_settings(OUTBOX_RETRY_HOURS=72)
def test_the_retry_window_follows_outbox_retry_hours(mail_server):
    mail_server.stop()
    with time_machine.travel(T0, tick=False):
        message = enqueue("birthe@example.org", "window:1")
        outbox_deliver(message_id=message.pk)
    sweep_at(T0 + timedelta(hours=60))
    assert row(message).status == "queued"
    sweep_at(T0 + timedelta(hours=72, minutes=1))
    assert row(message).status == "failed"


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, SystemExit])
def test_a_worker_stopped_mid_batch_leaves_its_rows_queued_to_be_sent_later(
    mail_server, interruption
):
    """A second Ctrl-C under `make run` stops the worker inside the batch task."""
    with time_machine.travel(T0, tick=False):
        messages = [enqueue(f"medlem{n}@example.org", f"batch:{n}") for n in range(3)]
        real_send = smtplib.SMTP.sendmail
        calls = []

        def stopped_on_the_second(self, *args, **kwargs):
            calls.append(args)
            if len(calls) == 2:
                raise interruption()
            return real_send(self, *args, **kwargs)

        with (
            mock.patch.object(smtplib.SMTP, "sendmail", stopped_on_the_second),
            pytest.raises(interruption),
        ):
            send_outbox_messages([m.pk for m in messages])
    sent, in_hand, untouched = (row(m) for m in messages)
    assert sent.status == "sent"
    assert in_hand.status == "queued" and in_hand.retry_at == T0 + timedelta(minutes=1)
    assert interruption.__name__ in in_hand.last_error
    assert untouched.status == "queued" and untouched.attempts == 0
    assert sweep_at(T0 + timedelta(minutes=5))["requeued"] == 2
    assert sorted(mail_server.recipients()) == [f"medlem{n}@example.org" for n in range(3)]


def test_an_unexpected_error_in_delivery_is_retried_not_failed(mail_server):
    """E.g. the pool's NotImplementedError("... kill_job") when the worker is stopped."""
    with time_machine.travel(T0, tick=False):
        message = enqueue("birthe@example.org", "unexpected:1")
        with mock.patch.object(
            smtplib.SMTP, "sendmail", side_effect=NotImplementedError("kill_job")
        ):
            assert outbox_deliver(message_id=message.pk) == "retry"
    assert row(message).status == "queued" and "kill_job" in row(message).last_error
    sweep_at(T0 + timedelta(minutes=2))
    assert row(message).status == "sent" and mail_server.recipients() == ["birthe@example.org"]


def test_a_claim_a_live_worker_may_still_hold_is_left_alone(mail_server):
    message = enqueue("birthe@example.org", "claim:1")
    OutboxMessage.objects.filter(pk=message.pk).update(status="sending", claimed_at=T0, attempts=1)
    assert sweep_at(T0 + timedelta(minutes=14))["reclaimed"] == 0
    assert row(message).status == "sending"
    with override_settings(EMAIL_TIMEOUT=60):  # 20 steps × 60 s: a live worker may take 20 min
        assert sweep_at(T0 + timedelta(minutes=19))["reclaimed"] == 0
    assert mail_server.handler.received == []


def test_a_claim_of_a_worker_that_died_is_reclaimed_and_sent_once(mail_server):
    message = enqueue("birthe@example.org", "claim:2")
    OutboxMessage.objects.filter(pk=message.pk).update(status="sending", claimed_at=T0, attempts=1)
    assert sweep_at(T0 + timedelta(minutes=16)) == {"requeued": 1, "reclaimed": 1}
    assert sweep_at(T0 + timedelta(minutes=30)) == {"requeued": 0, "reclaimed": 0}
    assert row(message).status == "sent" and row(message).attempts == 2
    assert mail_server.recipients() == ["birthe@example.org"]


def test_a_message_sent_again_by_the_secretariat_gets_a_fresh_retry_window(
    mail_server, secretariat_user, django_capture_on_commit_callbacks
):
    from notifications.services import outbox_resend

    mail_server.stop()
    with time_machine.travel(T0, tick=False):
        message = enqueue("birthe@example.org", "resend:1")
        outbox_deliver(message_id=message.pk)
    sweep_at(T0 + timedelta(hours=49))
    assert row(message).status == "failed"
    with (
        time_machine.travel(T0 + timedelta(hours=50), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        outbox_resend(actor=secretariat_user, message=message)
    assert row(message).status == "queued"  # still down: the first try of the new window
    assert row(message).first_attempt_at == T0 + timedelta(hours=50)
    mail_server.start()
    sweep_at(T0 + timedelta(hours=51))
    assert row(message).status == "sent" and mail_server.recipients() == ["birthe@example.org"]


def test_the_secretariat_sees_the_mail_backlog_the_age_of_the_oldest_and_the_failed(
    client, secretariat_user
):
    with time_machine.travel(T0, tick=False):
        enqueue("birthe@example.org", "backlog:1")
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        enqueue("bo@example.org", "backlog:2")
        failed = enqueue(REFUSED, "backlog:3")
    OutboxMessage.objects.filter(pk=failed.pk).update(status="failed")
    with time_machine.travel(T0 + timedelta(hours=2, minutes=5), tick=False):
        client.force_login(secretariat_user)  # signed in now: secretariat sessions are short
        pages = [client.get(url) for url in ("/sekretariat/", "/sekretariat/udbakke/")]
    for page in pages:
        html = page.content.decode()
        assert (
            "2 e-mails venter på at blive sendt; den ældste har ventet 2\xa0timer, 5\xa0minutter."
            in html
        )
        assert "E-mails kommer ikke igennem" in html and "i 48 timer" in html
        assert "1 e-mail er fejlet og blev ikke sendt." in html
        assert 'href="/sekretariat/udbakke/?status=failed"' in html


def test_a_backlog_younger_than_a_quarter_of_an_hour_raises_no_alarm(client, secretariat_user):
    with time_machine.travel(T0, tick=False):
        enqueue("birthe@example.org", "calm:1")
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        client.force_login(secretariat_user)
        html = client.get("/sekretariat/").content.decode()
    assert "1 e-mail venter på at blive sendt; den har ventet 10\xa0minutter." in html
    assert "E-mails kommer ikke igennem" not in html and "Ingen e-mails er fejlet." in html
    OutboxMessage.objects.update(status="sent")
    client.force_login(secretariat_user)
    html = client.get("/sekretariat/").content.decode()
    assert "Ingen e-mails venter på at blive sendt." in html


def test_a_worker_stopped_after_48_hours_of_failures_still_leaves_the_row_queued(mail_server):
    mail_server.stop()
    with time_machine.travel(T0, tick=False):
        message = enqueue("birthe@example.org", "late-stop:1")
        outbox_deliver(message_id=message.pk)
    mail_server.start()
    with (
        time_machine.travel(T0 + timedelta(hours=49), tick=False),
        mock.patch.object(smtplib.SMTP, "sendmail", side_effect=KeyboardInterrupt),
        pytest.raises(KeyboardInterrupt),
    ):
        outbox_deliver(message_id=message.pk)
    assert row(message).status == "queued"
    sweep_at(T0 + timedelta(hours=49, minutes=2))
    assert row(message).status == "sent" and mail_server.recipients() == ["birthe@example.org"]


@pytest.mark.parametrize(("value", "starts"), [("0", False), ("retten", False), ("72", True)])
def test_outbox_retry_hours_must_be_a_whole_number_of_at_least_one(value, starts):
    from core.tests.test_env import run_settings

    result = run_settings(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "OUTBOX_RETRY_HOURS": value,
        }
    )
    assert (result.returncode == 0) is starts, result.stderr
    assert starts or "OUTBOX_RETRY_HOURS" in result.stderr
