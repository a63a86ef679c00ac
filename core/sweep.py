"""The deadline sweep: one idempotent pass over stored state that acts on what is due.

Each step is a function ``step(*, now) -> dict`` that finds what is due at ``now``, claims
it so that a second sweep running at the same time cannot act on it too, acts, and
reports what it did. Each app registers its steps from its AppConfig.ready()
(``sweep_step_register``), so `core` names no app.
"""

import logging
from datetime import datetime

from django.utils import timezone
from django.utils.module_loading import import_string

from core.models import SweepState

logger = logging.getLogger(__name__)

# Filled by the apps from their AppConfig.ready() (sweep_step_register), each in its own
# order; the order matters only where one step produces work for the next: rules that write
# outbox rows come before the step that sends what the outbox holds (registered `last`).
SWEEP_STEPS: list[str] = []
_LAST_STEPS: set[str] = set()


def sweep_step_register(path: str, *, last: bool = False) -> None:
    """Add the step at dotted `path` (a function ``step(*, now) -> dict``) to the sweep.
    Steps run in the order registered, except those registered with `last=True`, which run
    after every other (the outbox, which sends what the rules queued). Registering a path
    again has no effect; the path is also the step's key in the sweep's report."""
    if path in SWEEP_STEPS:
        return
    if last:
        _LAST_STEPS.add(path)
        SWEEP_STEPS.append(path)
        return
    first_last = next((i for i, p in enumerate(SWEEP_STEPS) if p in _LAST_STEPS), len(SWEEP_STEPS))
    SWEEP_STEPS.insert(first_last, path)


def sweep_run(*, now: datetime | None = None) -> dict[str, dict]:
    """Run every step at ``now`` and record when the sweep ran.

    1. mark the start (so /healthz sees a sweep that hangs);
    2. run each step; one failing step is logged and does not stop the others;
    3. record the finish and what each step did.
    """
    now = now or timezone.now()
    state, _ = SweepState.objects.get_or_create(name="sweep")
    SweepState.objects.filter(pk=state.pk).update(last_started_at=timezone.now())
    report: dict[str, dict] = {}
    for path in SWEEP_STEPS:
        try:
            report[path] = import_string(path)(now=now)
        except Exception as exc:  # one broken rule must not stop the others
            logger.exception("Sweep step %s failed", path)
            report[path] = {"error": repr(exc)}
    SweepState.objects.filter(pk=state.pk).update(
        last_finished_at=timezone.now(), last_report=report
    )
    return report


def sweep_last_finished() -> datetime | None:
    return (
        SweepState.objects.filter(name="sweep").values_list("last_finished_at", flat=True).first()
    )
