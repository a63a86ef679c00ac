"""/healthz tells the state of the database, the broker and the sweep; the sweep records
when it ran and survives a broken step."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from core import sweep
from core.models import SweepState

pytestmark = pytest.mark.django_db


def test_healthz_is_503_until_the_sweep_has_run(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok" and body["broker"] == "ok"
    assert body["sweep"]["status"] == "never"


def test_healthz_is_ok_after_a_sweep_and_stale_fifteen_minutes_later(client):
    sweep.sweep_run()
    ok = client.get("/healthz")
    assert ok.status_code == 200 and ok.json()["status"] == "ok"
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        stale = client.get("/healthz")
    assert stale.status_code == 503 and stale.json()["sweep"]["status"] == "stale"


def test_healthz_reports_a_broker_that_does_not_answer(client, settings):
    sweep.sweep_run()
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["broker"] == "error"


def test_run_deadlines_runs_the_sweep_at_the_given_moment_and_prints_it():
    out = StringIO()
    call_command("run_deadlines", "--now", "2027-03-01T09:00", stdout=out)
    assert "2027-03-01T09:00:00+01:00" in out.getvalue()
    assert "notifications.services.outbox_sweep" in out.getvalue()
    state = SweepState.objects.get()
    assert state.last_finished_at is not None
    assert "notifications.services.outbox_sweep" in state.last_report


def test_run_deadlines_refuses_a_malformed_moment():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ISO 8601"):
        call_command("run_deadlines", "--now", "i morgen")


def test_a_failing_step_does_not_stop_the_others(monkeypatch):
    calls = []

    def broken(*, now):
        raise RuntimeError("broken rule")

    def fine(*, now):
        calls.append(now)
        return {"done": 1}

    monkeypatch.setattr(sweep, "SWEEP_STEPS", ["broken", "fine"])
    monkeypatch.setattr(sweep, "import_string", {"broken": broken, "fine": fine}.get)
    report = sweep.sweep_run()
    assert report["fine"] == {"done": 1} and "broken rule" in report["broken"]["error"]
    assert len(calls) == 1


def test_the_sweep_task_runs_the_sweep():
    from core.tasks import run_sweep

    run_sweep.delay()
    assert SweepState.objects.get().last_finished_at is not None


def test_beat_runs_the_sweep_every_five_minutes():
    from config.celery import app

    app.loader.import_default_modules()
    schedule = app.conf.beat_schedule
    entry = schedule["sweep"]
    assert entry["task"] == "core.tasks.run_sweep"
    assert entry["schedule"] == 300


def test_liveness_answers_without_the_database_or_the_broker(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz/live")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_beat_asks_for_a_sweep_as_it_starts(monkeypatch):
    """A fresh deployment is not 'sweep never' for its first interval: beat sends one
    sweep when it starts."""
    from celery.signals import beat_init

    from config.celery import app

    sent = []
    monkeypatch.setattr(app, "send_task", lambda name, *a, **k: sent.append(name))

    class Beat:  # what celery passes as the signal's sender
        pass

    beat = Beat()
    beat.app = app
    beat_init.send(sender=beat)
    assert sent == ["core.tasks.run_sweep"]
