"""Queueing Celery tasks from services: after the transaction commits, and without
failing the user's request when the broker is down. Every task queued this way is
also found again by a sweep step (the sweep re-queues what it finds undone), so a lost
message delays the work but never loses it."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def send_task(task, *args) -> None:
    try:
        task.delay(*args)
    except Exception as exc:  # the broker is down: the sweep catches up later
        logger.warning("Could not queue %s%r: %s", task.name, args, exc)


def queue_after_commit(task, *args) -> None:
    transaction.on_commit(lambda: send_task(task, *args))


def queue_at_after_commit(task, *args, eta) -> None:
    """Queue `task(*args)` after the commit, to run at `eta` (an aware datetime) — e.g. at
    the end of a send's grace period; a lost message is found again by the sweep."""

    def _queue() -> None:
        try:
            task.apply_async(args=args, eta=eta)
        except Exception as exc:  # the broker is down: the sweep catches up later
            logger.warning("Could not queue %s%r for %s: %s", task.name, args, eta, exc)

    transaction.on_commit(_queue)
