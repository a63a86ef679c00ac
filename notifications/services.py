"""The e-mail outbox: queue a message (idempotently), deliver it once, resend a failure.

1. `outbox_enqueue` writes the row inside the caller's transaction and queues delivery
   after commit; a second call with the same key returns the row already there.
2. `outbox_deliver` claims a queued row with a compare-and-set update, so that two
   workers, or a retried task, never send it twice; transient SMTP failures put it back in
   the queue for a retry with backoff, permanent ones mark it failed.
3. `outbox_sweep` (a step of the deadline sweep) re-queues rows whose task was lost, for
   example while the broker was down, and gives up on rows stuck half-sent.
"""

import logging
import smtplib
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import models, transaction
from django.db.models import F, Q
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.errors import DomainError
from core.queue import send_task
from notifications.models import OutboxAttachment, OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
REQUEUE_AFTER = timedelta(minutes=2)
STALE_SENDING_AFTER = timedelta(minutes=15)


@dataclass(frozen=True)
class Attachment:
    filename: str
    mimetype: str
    content: bytes


def _render_text(name: str, context: dict) -> str:
    """A plain-text template rendered with autoescaping off: `Tom's "plan" & co` arrives as
    typed, not as `Tom&#x27;s &quot;plan&quot; &amp; co` (text/plain is not HTML)."""
    return get_template(name).template.render(Context(context, autoescape=False))


def render_email(kind: str, context: dict) -> tuple[str, str, str]:
    """Subject, text body and HTML body of one kind of message, in Danish.

    `notifications/email/<kind>_subject.txt` and `<kind>_body.txt` are rendered as plain
    text (autoescaping off, whatever they contain); `<kind>_body.html` with autoescaping on,
    so that what people typed is escaped there and only there."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(settings.LANGUAGE_CODE):
        subject = _render_text(f"notifications/email/{kind}_subject.txt", context)
        text = _render_text(f"notifications/email/{kind}_body.txt", context)
        html = render_to_string(f"notifications/email/{kind}_body.html", context)
    return " ".join(subject.split()), text.strip() + "\n", html


def outbox_enqueue(
    *,
    kind: str,
    key: str,
    to: str,
    context: dict,
    user: Any = None,
    concerns: models.Model | None = None,
    attachments: tuple[Attachment, ...] = (),
) -> OutboxMessage:
    """One message; a second call with the same key returns the row already there."""
    outbox_enqueue_many(
        kind=kind, concerns=concerns, messages=[(key, to, user, context)], attachments=attachments
    )
    return OutboxMessage.objects.get(key=key)


def _queue_delivery(message_id: int) -> None:
    from notifications.tasks import send_outbox_message

    send_task(send_outbox_message, message_id)


def _is_transient(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _msg in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return False
    if isinstance(exc, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)):
        return True
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, (socket.timeout, TimeoutError, ConnectionError, OSError))


def _build_email(message: OutboxMessage) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        connection=get_connection(fail_silently=False),
        headers={"X-Faellesindgang-Message": str(message.pk)},
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments.all():
        email.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
    return email


def outbox_deliver(*, message_id: int) -> str:
    """Send one message if it is still queued. Returns "sent", "skipped", "retry" or
    "failed"; "retry" means a transient failure and the row is queued again."""
    now = timezone.now()
    claimed = OutboxMessage.objects.filter(
        pk=message_id, status=OutboxMessage.Status.QUEUED
    ).update(status=OutboxMessage.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if claimed != 1:
        return "skipped"
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        _build_email(message).send()
    except Exception as exc:
        transient = _is_transient(exc) and message.attempts < MAX_ATTEMPTS
        status = OutboxMessage.Status.QUEUED if transient else OutboxMessage.Status.FAILED
        retry_at = now + timedelta(seconds=retry_delay(message.attempts)) if transient else None
        OutboxMessage.objects.filter(pk=message_id).update(
            status=status, retry_at=retry_at, last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        logger.warning("Outbox message %s: %s (%s)", message_id, exc, status)
        return "retry" if transient else "failed"
    OutboxMessage.objects.filter(pk=message_id).update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def retry_delay(attempts: int) -> int:
    """Seconds to wait before the next attempt: 1, 2, 4, 8 … minutes, at most an hour."""
    return min(60 * 2 ** max(attempts - 1, 0), 3600)


def outbox_resend(*, actor: Any, message: OutboxMessage) -> OutboxMessage:
    with transaction.atomic():
        updated = OutboxMessage.objects.filter(
            pk=message.pk, status=OutboxMessage.Status.FAILED
        ).update(status=OutboxMessage.Status.QUEUED, attempts=0, retry_at=None)
        if updated != 1:
            raise DomainError(_("Only a failed message can be sent again."))
        audit_record(actor=actor, action="outbox.resend", obj=message)
        transaction.on_commit(lambda: _queue_delivery(message.pk))
    message.refresh_from_db()
    return message


def outbox_sweep(*, now: datetime) -> dict[str, int]:
    """Queue again what a lost task left behind; fail what hangs half-sent."""
    stale = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.SENDING, claimed_at__lt=now - STALE_SENDING_AFTER
    ).update(
        status=OutboxMessage.Status.FAILED,
        last_error=_("Sending was interrupted; it is not known whether the message arrived."),
    )
    due = Q(retry_at__isnull=True, created_at__lt=now - REQUEUE_AFTER) | Q(retry_at__lt=now)
    waiting = list(
        OutboxMessage.objects.filter(due, status=OutboxMessage.Status.QUEUED)
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )
    for message_id in waiting:
        _queue_delivery(message_id)
    return {"requeued": len(waiting), "interrupted": stale}


def outbox_enqueue_many(
    *,
    kind: str,
    concerns: models.Model | None,
    messages: list[tuple[str, str, Any, dict]],
    attachments: tuple[Attachment, ...] = (),
) -> int:
    """Write many messages of one kind at once: `messages` holds (key, recipient, user,
    context). Rows whose key exists are left alone, as in `outbox_enqueue`; the new ones
    are delivered after commit by one task. A bulk insert keeps a sweep that approves a
    thousand sets of minutes to a few queries per set."""
    if not messages:
        return 0
    content_type = ContentType.objects.get_for_model(concerns) if concerns is not None else None
    with transaction.atomic():
        existing = set(
            OutboxMessage.objects.filter(key__in=[key for key, *_ in messages]).values_list(
                "key", flat=True
            )
        )
        rows = []
        for key, to, user, context in messages:
            if key in existing:
                continue
            subject, text, html = render_email(kind, context)
            rows.append(
                OutboxMessage(
                    key=key,
                    kind=kind,
                    recipient=to,
                    recipient_user=user,
                    subject=subject,
                    body_text=text,
                    body_html=html,
                    content_type=content_type,
                    object_id=str(concerns.pk) if concerns is not None else "",
                )
            )
        OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
        created = list(
            OutboxMessage.objects.filter(
                key__in=[row.key for row in rows], attachments__isnull=True
            ).values_list("pk", flat=True)
        )
        OutboxAttachment.objects.bulk_create(
            OutboxAttachment(
                message_id=pk, filename=a.filename, mimetype=a.mimetype, content=a.content
            )
            for pk in created
            for a in attachments
        )
        if created:
            transaction.on_commit(lambda: _queue_batch(created))
    return len(messages)


def _queue_batch(message_ids: list[int]) -> None:
    from notifications.tasks import send_outbox_messages

    send_task(send_outbox_messages, message_ids)


def notify_people(
    people,
    *,
    kind: str,
    key: str,
    concerns: models.Model,
    context: dict,
    attachments: tuple[Attachment, ...] = (),
) -> int:
    """One message per person with an e-mail address; `key` + the person makes it once
    each. Returns how many were written (or were already there)."""
    return outbox_enqueue_many(
        kind=kind,
        concerns=concerns,
        attachments=attachments,
        messages=[
            (f"{key}:{person.pk}", person.email, person.user, {**context, "person": person})
            for person in people
            if person.email
        ],
    )


def notify_users(users, *, kind: str, key: str, concerns: models.Model, context: dict) -> int:
    """One message per user account (e.g. the secretariat), once each by `key`."""
    return outbox_enqueue_many(
        kind=kind,
        concerns=concerns,
        messages=[
            (f"{key}:{user.pk}", user.email, user, {**context, "user": user}) for user in users
        ],
    )
