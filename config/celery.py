"""The Celery application. The beat schedule is defined here, in one place."""

import os

from celery import Celery
from celery.signals import beat_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("faellesindgang")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def setup_periodic_tasks(sender: Celery, **kwargs) -> None:
    from django.conf import settings

    # The deadline sweep: every rule that is due (reminders, alerts, sending the outbox
    # that a broker outage left behind, later approvals) is found from stored state and
    # acted on once. Every 5 minutes is fine-grained enough for rules counted in days.
    sender.add_periodic_task(
        settings.SWEEP_INTERVAL_SECONDS, sender.signature("core.tasks.run_sweep"), name="sweep"
    )


@beat_init.connect
def sweep_at_start(sender, **kwargs) -> None:
    """A fresh deployment sweeps at once rather than after the first interval, so that
    /healthz is ready within seconds and nothing due waits five minutes."""
    sender.app.send_task("core.tasks.run_sweep")
