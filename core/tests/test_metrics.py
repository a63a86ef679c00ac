"""/metrics for Prometheus: only with the token, request figures from django-prometheus and
the application's own gauges (sweep lag and duration, outbox backlog and failures)."""

import pytest

from core import sweep
from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

TOKEN = "m3tr1cs-" + "t" * 40


def test_metrics_do_not_exist_without_a_token_setting(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404


def test_metrics_refuse_a_wrong_token(client, settings):
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403


def test_metrics_show_requests_the_sweep_and_the_outbox(client, settings):
    settings.METRICS_TOKEN = TOKEN
    sweep.sweep_run()
    OutboxMessage.objects.create(
        key="m:1",
        kind="agenda_sent",
        recipient="a@example.org",
        subject="x",
        body_text="x",
        status=OutboxMessage.Status.FAILED,
    )
    OutboxMessage.objects.create(
        key="m:2", kind="agenda_sent", recipient="b@example.org", subject="y", body_text="y"
    )
    client.get("/fora/")

    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    assert response.status_code == 200
    text = response.content.decode()
    assert "django_http_requests_latency_seconds_by_view_method" in text
    assert 'faellesindgang_outbox_messages{status="failed"} 1.0' in text
    assert 'faellesindgang_outbox_messages{status="queued"} 1.0' in text
    assert "faellesindgang_outbox_failed 1.0" in text
    assert "faellesindgang_sweep_lag_seconds" in text
    assert "faellesindgang_sweep_duration_seconds" in text
