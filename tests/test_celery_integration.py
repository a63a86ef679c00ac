"""A real Celery worker on the real Redis broker runs the sweep once (make test starts both
services; REDIS_URL and a PostgreSQL DATABASE_URL come from it)."""

import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest
from celery import Celery
from django.utils import timezone

from core.models import SweepState
from notifications.models import OutboxMessage
from tests import integration

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_url() -> str:
    return integration.redis_url()


@pytest.fixture
def worker(redis_url):
    process = integration.start_worker(broker=redis_url, settings_module="config.settings.test")
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_a_real_worker_runs_the_sweep_from_the_broker_once(worker, redis_url):
    message = OutboxMessage.objects.create(
        key="integration:1",
        kind="agenda_sent",
        recipient="birthe@example.org",
        subject="Emne",
        body_text="Tekst",
    )
    OutboxMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )

    sender = Celery(broker=redis_url)
    sender.send_task("core.tasks.run_sweep")

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        message.refresh_from_db()
        if message.status == OutboxMessage.Status.SENT and SweepState.objects.exists():
            break
        if worker.poll() is not None:
            pytest.fail(f"the worker stopped:\n{worker.stdout.read()}")
        time.sleep(0.5)
    else:
        pytest.fail("the worker did not run the sweep within 90 seconds")
    state = SweepState.objects.get()
    assert state.last_report["notifications.services.outbox_sweep"]["requeued"] == 1
    assert message.attempts == 1 and message.sent_at is not None
