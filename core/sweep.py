"""The deadline sweep: one idempotent pass over stored state that acts on what is due.

Each step is a function ``step(*, now) -> dict`` that finds what is due at ``now``, claims
it so that a second sweep running at the same time cannot act on it too, acts, and
reports what it did. Later features add their steps to ``SWEEP_STEPS``.
"""

import logging
from datetime import datetime

from django.utils import timezone
from django.utils.module_loading import import_string

from core.models import SweepState

logger = logging.getLogger(__name__)

# The order matters only where one step produces work for the next: rules that write
# outbox rows come before the step that sends what the outbox holds.
SWEEP_STEPS: list[str] = [
    "meetings.services.mark_held",
    "meetings.services.remind_proposals",
    "meetings.services.remind_agenda",
    "meetings.services.alert_agenda_overdue",
    "meetings.services.agenda_catch_up",
    "meetings.services.agenda_pack_catch_up",
    "minutes.services.remind_minutes_due",
    "minutes.services.alert_minutes_overdue",
    "minutes.services.remind_comment_window",
    "minutes.services.approve_due",
    "minutes.services.versions_catch_up",
    "agreements.services.expire_agreements",
    "agreements.services.remind_renewal",
    "agreements.services.remind_sub_agreement_expiry",
    "agreements.services.versions_catch_up",
    "accounts.services.password_reset_requests_prune",
    "core.submission.submission_keys_prune",
    "forums.retention.contact_data_expire",
    "core.audit.audit_entries_prune",
    "notifications.services.outbox_sweep",
]


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
