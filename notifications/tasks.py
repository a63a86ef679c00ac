from celery import shared_task
from django.utils import timezone

from notifications.services import outbox_deliver, outbox_retry_countdown


@shared_task(
    bind=True, name="notifications.tasks.send_outbox_message", max_retries=None, ignore_result=True
)
def send_outbox_message(self, message_id: int) -> str:
    """Deliver one outbox row; on a transient failure try again later with backoff (the
    service stops after OUTBOX_RETRY_HOURS and marks the row failed; the sweep also
    re-queues the row when its retry time comes, so a lost retry costs nothing)."""
    result = outbox_deliver(message_id=message_id)
    if result == "retry" and not self.request.is_eager:
        raise self.retry(
            countdown=outbox_retry_countdown(message_id=message_id, now=timezone.now())
        )
    return result


@shared_task(name="notifications.tasks.send_outbox_messages", ignore_result=True)
def send_outbox_messages(message_ids: list[int]) -> None:
    """Deliver a batch written at once (e.g. one e-mail per member). A row that meets a
    transient failure waits for its retry time and is sent again by the sweep; when the
    worker is stopped mid-batch, the row in hand goes back to the queue and the rest were
    never claimed."""
    for message_id in message_ids:
        outbox_deliver(message_id=message_id)
