"""Two beats for availability never double a task: with Redis, beat's schedule sits behind
a lock (celery-redbeat), so the second beat waits while the first one sends the sweep."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

from tests import integration

ROOT = Path(__file__).resolve().parents[1]
RUN_SECONDS = 15
SENT = "Sending due task sweep"

pytestmark = pytest.mark.integration


@pytest.fixture
def beat_redis_url() -> str:
    url = integration.redis_url(db=7)  # a database of its own
    redis.Redis.from_url(url).flushdb()
    return url


def start_beat(url: str, tmp_path: Path, name: str) -> subprocess.Popen:
    (tmp_path / name).mkdir()
    env = {
        **os.environ,
        # not the test settings: they run tasks eagerly, in beat's own process
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "CELERY_BROKER_URL": url,
        "SWEEP_INTERVAL_SECONDS": "1",
        "VAR_DIR": str(tmp_path / name),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "beat", "-l", "info"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def queued(url: str) -> int:
    """Task messages waiting in the default queue (no worker consumes them here)."""
    return redis.Redis.from_url(url).llen("celery")


def test_a_second_beat_waits_for_the_lock_instead_of_sending_every_sweep_twice(
    beat_redis_url, tmp_path
):
    first = start_beat(beat_redis_url, tmp_path, "first")
    second = start_beat(beat_redis_url, tmp_path, "second")
    try:
        time.sleep(RUN_SECONDS)
    finally:
        for beat in (first, second):
            beat.terminate()
        logs = [beat.communicate(timeout=30)[0] for beat in (first, second)]

    periodic = [log.count(SENT) for log in logs]
    # exactly one beat sends the periodic sweep (about once a second); the other waits
    assert sorted(periodic)[0] == 0 and sorted(periodic)[1] >= 3, (periodic, logs)
    # what reached the broker: those sends and the one sweep each beat asks for as it starts
    assert queued(beat_redis_url) <= sum(periodic) + 2
