"""Helpers for the tests that run real processes against the services `make test` starts
(PostgreSQL, Redis): the URLs a subprocess needs, and a real Celery worker."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def database_url() -> str:
    """The test database's URL, for a worker in another process (PostgreSQL only)."""
    s = connection.settings_dict
    if connection.vendor != "postgresql":
        pytest.fail("This integration test needs PostgreSQL: run it through `make test`.")
    return f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def redis_url(db: int | None = None) -> str:
    """REDIS_URL from `make test`, optionally with database number `db` of its own."""
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.fail("REDIS_URL is not set: run the suite through `make test`, which starts Redis.")
    return url if db is None else url.rsplit("/", 1)[0] + f"/{db}"


def start_worker(*, broker: str, settings_module: str, log_level: str = "warning", **env):
    """A real Celery worker (solo pool) on `broker` and the test database; its output is
    in the returned process's stdout."""
    return subprocess.Popen(
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
            log_level,
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": settings_module,
            "CELERY_BROKER_URL": broker,
            "DATABASE_URL": database_url(),
            **env,
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
