"""Prometheus metrics at /metrics (django-prometheus for requests and the database, plus the
application's own gauges read from stored state at scrape time).

A registry: an app adds a gauge from its ``AppConfig.ready()``::

    metric_register("outbox_messages", "E-mails in the outbox by status", outbox_counts,
                    labels=("status",))

where the function returns ``{label values tuple: number}`` (or a number when there are no
labels). Every gauge is named ``faellesindgang_<name>``. The endpoint answers only with the
token in settings.METRICS_TOKEN (``Authorization: Bearer <token>``); without the setting it
does not exist (404).
"""

import hmac
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import REGISTRY
from prometheus_client.core import GaugeMetricFamily

PREFIX = "faellesindgang_"


@dataclass(frozen=True)
class Gauge:
    name: str
    documentation: str
    read: Callable[[], object]
    labels: tuple[str, ...] = ()


_GAUGES: dict[str, Gauge] = {}


def metric_register(
    name: str, documentation: str, read: Callable[[], object], *, labels: tuple[str, ...] = ()
) -> None:
    """Register (or replace) the gauge `faellesindgang_<name>`."""
    _GAUGES[name] = Gauge(name, documentation, read, labels)


class ApplicationCollector:
    """Reads every registered gauge when Prometheus scrapes."""

    def describe(self):
        # Without describe() prometheus_client would collect (query the database) while
        # registering, at start-up, before migrations may have run.
        return []

    def collect(self):
        for gauge in _GAUGES.values():
            family = GaugeMetricFamily(
                PREFIX + gauge.name, gauge.documentation, labels=list(gauge.labels)
            )
            value = gauge.read()
            if gauge.labels:
                for label_values, number in value.items():
                    family.add_metric(list(label_values), float(number))
            elif value is not None:
                family.add_metric([], float(value))
            yield family


_collector = ApplicationCollector()


def metrics_install() -> None:
    """Register the application collector with prometheus_client once per process."""
    if _collector not in getattr(REGISTRY, "_collector_to_names", {}):
        REGISTRY.register(_collector)


def _sweep_lag() -> float | None:
    from core.models import SweepState

    state = SweepState.objects.filter(name="sweep").first()
    if state is None or state.last_finished_at is None:
        return None
    return (timezone.now() - state.last_finished_at).total_seconds()


def _sweep_duration() -> float | None:
    from core.models import SweepState

    state = SweepState.objects.filter(name="sweep").first()
    if state is None or not (state.last_finished_at and state.last_started_at):
        return None
    return max(0.0, (state.last_finished_at - state.last_started_at).total_seconds())


def _tasks_waiting() -> float | None:
    """Task messages waiting in the broker's default queue (Redis only)."""
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return None
    import redis

    try:
        return redis.Redis.from_url(url, socket_timeout=2).llen("celery")
    except redis.RedisError:
        return None


def register_core_metrics() -> None:
    metric_register(
        "sweep_lag_seconds", "Seconds since the deadline sweep last finished", _sweep_lag
    )
    metric_register(
        "sweep_duration_seconds", "How long the last deadline sweep took", _sweep_duration
    )
    metric_register(
        "tasks_waiting", "Task messages waiting in the broker's default queue", _tasks_waiting
    )


@require_GET
@never_cache
def metrics(request):
    """The Prometheus text exposition; 404 without METRICS_TOKEN, 403 with a wrong token."""
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), token.encode()):
        return HttpResponse("Forbidden", status=403, content_type="text/plain")
    from django_prometheus.exports import ExportToDjangoView

    return ExportToDjangoView(request)
