"""A real Celery worker on the real Redis broker runs the sweep once (make test starts both
services; REDIS_URL and a PostgreSQL DATABASE_URL come from it)."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection
from django.utils import timezone

from core.models import SweepState
from notifications.models import OutboxMessage

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor != "postgresql":
        pytest.fail("The worker integration test needs PostgreSQL: run it through `make test`.")
    return f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.fail("REDIS_URL is not set: run the suite through `make test`, which starts Redis.")
    return url


@pytest.fixture
def worker(redis_url):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_BROKER_URL": redis_url,
        "DATABASE_URL": database_url(),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "-l",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
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
