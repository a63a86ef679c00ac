"""A worker stopped at any moment loses no e-mail: a real worker on the real Redis broker
delivers a batch to a real (slow) SMTP server and is stopped as compose stops it — SIGTERM,
then SIGKILL after 10 seconds — in the middle of the batch. What it had not sent, and the
message in its hands, are delivered by the sweep afterwards: every recipient gets the
e-mail, none fails, and at most the one message in flight at the kill is delivered twice
(SMTP has no two-phase commit; the row was not yet marked sent)."""

import asyncio
import signal
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from celery import Celery
from django.utils import timezone

from notifications.models import OutboxMessage
from notifications.services import outbox_sweep, sending_timeout
from notifications.tasks import send_outbox_messages
from notifications.tests.test_outage import Handler, MailServer, free_port
from tests import integration

ROOT = Path(__file__).resolve().parents[2]
BATCH = 20  # at a second each, far more than the 10 s between SIGTERM and SIGKILL
SECONDS_PER_MESSAGE = 1.0

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


class SlowHandler(Handler):
    """A mail server that takes its time over each message (a busy relay)."""

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(SECONDS_PER_MESSAGE)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def redis_url() -> str:
    return integration.redis_url(db=8)


def start_worker(redis_url: str, smtp_port: int, tmp_path: Path) -> subprocess.Popen:
    # not the test settings: they pin the in-memory e-mail backend
    return integration.start_worker(
        broker=redis_url,
        settings_module="config.settings.local",
        log_level="info",
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}?timeout=30",
        VAR_DIR=str(tmp_path),
    )


def stop_as_compose_does(worker: subprocess.Popen, grace: float = 10.0) -> str:
    worker.send_signal(signal.SIGTERM)
    try:
        return worker.communicate(timeout=grace)[0]
    except subprocess.TimeoutExpired:
        worker.kill()
        return worker.communicate(timeout=30)[0]


def test_a_worker_killed_mid_batch_leaves_every_message_to_be_delivered(
    redis_url, tmp_path, settings, monkeypatch
):
    server = MailServer(free_port())
    server.handler = SlowHandler()
    server.start()
    recipients = [f"medlem{n}@example.org" for n in range(BATCH)]
    rows = [
        OutboxMessage.objects.create(
            key=f"kill:{n}",
            kind="agenda_sent",
            recipient=to,
            subject="Dagsorden",
            body_text="Dagsordenen er udsendt.",
        )
        for n, to in enumerate(recipients)
    ]
    # The suite's own app runs tasks eagerly, and Celery prefers CELERY_BROKER_URL from the
    # environment over the broker argument.
    monkeypatch.setenv("CELERY_BROKER_URL", redis_url)
    producer = Celery("test-producer", broker=redis_url, set_as_current=False)
    worker = start_worker(redis_url, server.port, tmp_path)
    try:
        producer.send_task(send_outbox_messages.name, args=[[row.pk for row in rows]])
        deadline = time.monotonic() + 120
        while len(server.recipients()) < 2:
            if time.monotonic() > deadline:
                worker.kill()
                pytest.fail("the worker delivered nothing:\n" + worker.communicate()[0])
            assert worker.poll() is None, worker.communicate()[0]
            time.sleep(0.2)
        stop_as_compose_does(worker)
    finally:
        if worker.poll() is None:
            worker.kill()
    delivered_by_the_worker = len(server.recipients())
    assert delivered_by_the_worker < BATCH, "the batch finished before the kill"

    # Later, the sweep (beat, every five minutes) finds what the stopped worker left.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    later = timezone.now() + sending_timeout() + timedelta(minutes=1)
    for sweep_at in (later, later + timedelta(minutes=5)):
        with time_machine.travel(sweep_at):
            outbox_sweep(now=timezone.now())
    server.stop()

    got = server.recipients()
    states = list(
        OutboxMessage.objects.values_list(
            "recipient", "status", "attempts", "retry_at", "last_error"
        )
    )
    assert set(got) == set(recipients), (states, later)
    assert len(got) <= BATCH + 1, sorted(got)
    statuses = set(OutboxMessage.objects.values_list("status", flat=True))
    assert statuses == {OutboxMessage.Status.SENT}
