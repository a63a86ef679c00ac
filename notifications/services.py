"""The e-mail outbox: queue a message (idempotently), deliver it once, resend a failure.

1. `outbox_enqueue` writes the row inside the caller's transaction and queues delivery
   after commit; a second call with the same key returns the row already there.
2. `outbox_deliver` claims a queued row with a compare-and-set update, so that two
   workers, or a retried task, never send it twice. Only a refusal by the mail server
   (5xx on the recipient or the message) fails it at once; every other failure (the
   server down, timeouts, 4xx, an unexpected error, the worker being stopped) puts it
   back in the queue with backoff, for OUTBOX_RETRY_HOURS from its first attempt.
3. `outbox_sweep` (a step of the deadline sweep) re-queues rows whose retry time has come
   or whose task was lost (the broker was down), and reclaims rows left in "sending" by a
   worker that died, once no live worker can still be sending them.

A kind with a secret link (see `notifications.secrets`) is stored with a marker where the
link goes; `outbox_deliver` makes the link for the recipient at delivery, so the stored
row, its pages and its logs never hold it, and a resend issues a fresh one.
"""

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.errors import DomainError
from core.queue import queue_at_after_commit, send_task
from notifications import secrets
from notifications.mail import CALENDAR_TYPE, AutomaticEmail, attach_calendar, automatic_headers
from notifications.models import OutboxAttachment, OutboxMessage

logger = logging.getLogger(__name__)

REQUEUE_AFTER = timedelta(minutes=2)
# A claim ("sending") younger than this may belong to a live worker; see `sending_timeout`.
STALE_SENDING_AFTER = timedelta(minutes=15)
# smtplib bounds each blocking step (connect, EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA, the
# message itself, QUIT) by EMAIL_TIMEOUT; a claim older than this many timeouts is dead.
SMTP_STEPS_PER_MESSAGE = 20


@dataclass(frozen=True)
class Attachment:
    filename: str
    mimetype: str
    content: bytes


def attachment_fits(size: int) -> bool:
    """Whether a file of `size` bytes goes with an e-mail as an attachment: at most
    settings.MINUTES_PDF_ATTACH_MAX_MB MB (1 MB = 1,048,576 bytes). A larger one is linked
    (the members' page, never a secret URL) by the caller instead."""
    return size <= settings.MINUTES_PDF_ATTACH_MAX_MB * 1024 * 1024


def pdf_attachment(field, filename: str) -> tuple[tuple[Attachment, ...], dict]:
    """The stored PDF `field` as the attachments of an e-mail about it, and the e-mail's
    context: ((Attachment,), {"pdf_attached": True, "pdf_size": bytes}) when it fits
    (attachment_fits), else ((), {"pdf_attached": False, "pdf_size": bytes}) and the
    e-mail links the members' page."""
    size = field.size
    if not attachment_fits(size):
        return (), {"pdf_attached": False, "pdf_size": size}
    with field.open("rb") as handle:
        content = handle.read()
    return (Attachment(filename, "application/pdf", content),), {
        "pdf_attached": True,
        "pdf_size": size,
    }


def _render_text(name: str, context: dict) -> str:
    """A plain-text template rendered with autoescaping off: `Tom's "plan" & co` arrives as
    typed, not as `Tom&#x27;s &quot;plan&quot; &amp; co` (text/plain is not HTML)."""
    return get_template(name).template.render(Context(context, autoescape=False))


def render_email(kind: str, context: dict) -> tuple[str, str, str]:
    """Subject, text body and HTML body of one kind of message, in Danish.

    `notifications/email/<kind>_subject.txt` and `<kind>_body.txt` are rendered as plain
    text (autoescaping off, whatever they contain); `<kind>_body.html` with autoescaping on,
    so that what people typed is escaped there and only there.

    For a kind with a secret link, ``secret_link`` in the context is always the redaction
    marker, whatever the caller passed: the link itself is made only at delivery."""
    context = {"site_url": settings.SITE_URL, **context}
    if secrets.has_secret(kind):
        context["secret_link"] = secrets.redaction_marker()
    with translation.override(settings.LANGUAGE_CODE):
        subject = _render_text(f"notifications/email/{kind}_subject.txt", context)
        text = _render_text(f"notifications/email/{kind}_body.txt", context)
        html = render_to_string(f"notifications/email/{kind}_body.html", context)
    return " ".join(subject.split()), text.strip() + "\n", html


def render_subject(kind: str, context: dict) -> str:
    """The subject one kind of message would have, in Danish, on one line (for the
    confirmation page that says what will go out before it does)."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _render_text(f"notifications/email/{kind}_subject.txt", context)
    return " ".join(subject.split())


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


def _is_permanent(exc: BaseException) -> bool:
    """True when the mail server refused this recipient or this message for good: a 5yz
    reply (RFC 5321 §4.2.1, permanent negative completion) to RCPT (SMTPRecipientsRefused,
    every recipient 5xx), to DATA (SMTPDataError) or to MAIL FROM (SMTPSenderRefused).
    Everything else is worth another try: connection errors, timeouts, 4xx replies,
    SMTPServerDisconnected, a refused login (the secretariat's configuration, not the
    message), and unexpected errors. A secret link that may not be made
    (`secrets.SecretUnavailable`) is permanent too."""
    if isinstance(exc, secrets.SecretUnavailable):
        return True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(exc, (smtplib.SMTPDataError, smtplib.SMTPSenderRefused)):
        return 500 <= exc.smtp_code < 600
    return False


def retry_window() -> timedelta:
    """How long transient failures are retried, from the first attempt (OUTBOX_RETRY_HOURS)."""
    return timedelta(hours=settings.OUTBOX_RETRY_HOURS)


def sending_timeout() -> timedelta:
    """How old a claim (status "sending", `claimed_at`) must be before the sweep may take
    it back from a worker that died: 15 minutes, or longer when EMAIL_TIMEOUT (seconds per
    blocking SMTP step) allows a live worker to take longer over one message."""
    per_step = float(getattr(settings, "EMAIL_TIMEOUT", None) or 0)
    return max(STALE_SENDING_AFTER, timedelta(seconds=per_step * SMTP_STEPS_PER_MESSAGE))


def _bodies(message: OutboxMessage) -> tuple[str, str, str]:
    """The text and HTML to send, and the secret link in them ("" for a kind without one).
    Raises `SecretUnavailable` when the kind's link may not be made."""
    if not secrets.has_secret(message.kind):
        return message.body_text, message.body_html, ""
    link = secrets.secret_link(
        kind=message.kind, user=message.recipient_user, recipient=message.recipient
    )
    text, html = secrets.fill_in(text=message.body_text, html=message.body_html, link=link)
    return text, html, link


def _forum_slug(message: OutboxMessage) -> str:
    """The slug of the forum a message is about: its object's `forum`, or the forum of its
    object's `meeting` (minutes, proposals); "" when it is about no forum."""
    obj = message.concerns if message.content_type_id else None
    forum = getattr(obj, "forum", None) or getattr(getattr(obj, "meeting", None), "forum", None)
    return getattr(forum, "slug", "") or ""


def _build_email(message: OutboxMessage, text: str, html: str) -> EmailMultiAlternatives:
    email = AutomaticEmail(
        subject=message.subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        connection=get_connection(fail_silently=False),
        headers={
            "X-Faellesindgang-Message": str(message.pk),
            **automatic_headers(now=timezone.now(), forum_slug=_forum_slug(message)),
        },
    )
    if html:
        email.attach_alternative(html, "text/html")
    for attachment in message.attachments.all():
        content = bytes(attachment.content)
        if attachment.mimetype.startswith(CALENDAR_TYPE):
            attach_calendar(
                email, filename=attachment.filename, mimetype=attachment.mimetype, content=content
            )
        else:
            email.attach(attachment.filename, content, attachment.mimetype)
    return email


def outbox_deliver(*, message_id: int) -> str:
    """Send one message if it is queued and its retry time has come. Returns "sent",
    "skipped" (sent, failed, claimed by another worker, or not due yet), "retry" (queued
    again with `retry_at`) or "failed" (a 5xx refusal, or failures for longer than
    `retry_window()`).

    1. claim: compare-and-set queued (and `retry_at` passed, so that a duplicate task
       cannot shorten the backoff) → sending, `claimed_at` = now, one more attempt,
       `first_attempt_at` set the first time;
    2. send through the configured backend;
    3. mark sent, or hand the failure to `_record_failure`: an unexpected error (such as
       the pool's NotImplementedError when a worker is stopped) is retried like a transient
       one; a BaseException (SystemExit, KeyboardInterrupt) puts the row back in the queue
       and is raised again.

    A kind with a secret link gets a fresh link for its recipient here (and only here);
    when none may be made (`secrets.SecretUnavailable`) the row fails with the reason.
    The link never reaches the row, the error text or the log.
    """
    now = timezone.now()
    not_before_retry = Q(retry_at__isnull=True) | Q(retry_at__lte=now)
    claimed = OutboxMessage.objects.filter(
        not_before_retry, pk=message_id, status=OutboxMessage.Status.QUEUED
    ).update(
        status=OutboxMessage.Status.SENDING,
        claimed_at=now,
        attempts=F("attempts") + 1,
        first_attempt_at=Coalesce(F("first_attempt_at"), Value(now)),
    )
    if claimed != 1:
        return "skipped"
    message = OutboxMessage.objects.select_related("recipient_user").get(pk=message_id)
    link = ""
    try:
        text, html, link = _bodies(message)
        _build_email(message, text, html).send()
    except BaseException as exc:
        outcome = _record_failure(message_id, exc, claimed_at=now, link=link)
        if not isinstance(exc, Exception):
            raise
        return outcome
    OutboxMessage.objects.filter(pk=message_id).update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def _record_failure(
    message_id: int, exc: BaseException, *, claimed_at: datetime, link: str = ""
) -> str:
    """Release our claim after a failed send: "failed" for a refusal by the server or once
    the retry window is over, otherwise "retry" (queued again after `retry_delay`). An
    error text that quotes the message's secret `link` keeps the marker instead."""
    now = timezone.now()
    ours = OutboxMessage.objects.filter(
        pk=message_id, status=OutboxMessage.Status.SENDING, claimed_at=claimed_at
    )
    state = ours.values_list("attempts", "first_attempt_at").first()
    attempts, first_attempt_at = state if state else (0, None)
    error = f"{type(exc).__name__}: {exc}"
    if link:  # an error that quotes the message must not keep its link
        path = link.removeprefix(settings.SITE_URL)
        error = error.replace(link, secrets.redaction_marker()).replace(path, "…")
    error = error[:2000]
    interrupted = not isinstance(exc, Exception)  # the worker stops: not the message's fault
    permanent = _is_permanent(exc)
    expired = (
        not interrupted
        and first_attempt_at is not None
        and now >= first_attempt_at + retry_window()
    )
    if permanent or expired:
        if not permanent:
            error = (
                _("Gave up after %(hours)s hours of failed attempts.")
                % {"hours": settings.OUTBOX_RETRY_HOURS}
                + f"\n{error}"
            )
        ours.update(status=OutboxMessage.Status.FAILED, retry_at=None, last_error=error)
        logger.error("Outbox message %s failed for good: %s", message_id, error)
        return "failed"
    delay = retry_delay(1 if interrupted else attempts)
    ours.update(
        status=OutboxMessage.Status.QUEUED,
        retry_at=now + timedelta(seconds=delay),
        last_error=error,
    )
    logger.warning("Outbox message %s will be retried in %ss: %s", message_id, delay, error)
    return "retry"


def outbox_retry_countdown(*, message_id: int, now: datetime) -> int:
    """Seconds from `now` until the row's `retry_at` (0 when it has none or it has passed):
    when a task should come back for a message that `outbox_deliver` queued again."""
    retry_at = (
        OutboxMessage.objects.filter(pk=message_id).values_list("retry_at", flat=True).first()
    )
    return max(0, int((retry_at - now).total_seconds()) + 1) if retry_at else 0


def retry_delay(attempts: int) -> int:
    """Seconds to wait after the `attempts`-th failed attempt: 1, 2, 4, 8 … minutes, at
    most an hour (exponential backoff, capped)."""
    return min(60 * 2 ** min(max(attempts - 1, 0), 6), 3600)


def outbox_resend(*, actor: Any, message: OutboxMessage) -> OutboxMessage:
    """Queue a failed message again (DomainError for any other status) with a fresh retry
    window, and audit who did. Its body is sent as stored; a kind with a secret link gets a
    fresh link at delivery, so the owner receives a new secret and the old one is never
    replayed."""
    with transaction.atomic():
        updated = OutboxMessage.objects.filter(
            pk=message.pk, status=OutboxMessage.Status.FAILED
        ).update(
            status=OutboxMessage.Status.QUEUED, attempts=0, retry_at=None, first_attempt_at=None
        )
        if updated != 1:
            raise DomainError(_("Only a failed message can be sent again."))
        audit_record(actor=actor, action="outbox.resend", obj=message)
        transaction.on_commit(lambda: _queue_delivery(message.pk))
    message.refresh_from_db()
    return message


def outbox_sweep(*, now: datetime) -> dict[str, int]:
    """Deliver what is due. Returns {"requeued": rows queued for delivery, "reclaimed":
    rows taken back from a worker that died}.

    1. reclaim: a row claimed ("sending") longer ago than `sending_timeout()` belongs to
       no live worker (one that is stopped releases its rows itself), so it goes back to
       the queue, due at once;
    2. queue delivery of queued rows whose retry time has come, or that were never tried
       (their task was lost), oldest first, at most 500 per run; the claim in
       `outbox_deliver` makes a row queued twice go out once.
    """
    reclaimed = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.SENDING, claimed_at__lt=now - sending_timeout()
    ).update(
        status=OutboxMessage.Status.QUEUED,
        retry_at=now,
        last_error=_("Sending was interrupted (the worker stopped); the message is queued again."),
    )
    queued = OutboxMessage.objects.filter(status=OutboxMessage.Status.QUEUED)
    # Two index range scans rather than one OR (which would read every queued row): rows
    # never tried whose task was lost, on (status, created_at); rows whose retry time has
    # come, on (status, retry_at).
    lost = queued.filter(retry_at__isnull=True, created_at__lt=now - REQUEUE_AFTER)
    retry = queued.filter(retry_at__lte=now)
    candidates = [
        *lost.order_by("created_at").values_list("created_at", "pk")[:500],
        *retry.order_by("retry_at").values_list("created_at", "pk")[:500],
    ]
    waiting = [pk for _created, pk in sorted(set(candidates))[:500]]
    for message_id in waiting:
        _queue_delivery(message_id)
    return {"requeued": len(waiting), "reclaimed": reclaimed}


def outbox_enqueue_many(
    *,
    kind: str,
    concerns: models.Model | None,
    messages: list[tuple[str, str, Any, dict]],
    attachments: tuple[Attachment, ...] = (),
    attachments_by_key: dict[str, tuple[Attachment, ...]] | None = None,
    not_before: datetime | None = None,
) -> int:
    """Write many messages of one kind at once: `messages` holds (key, recipient, user,
    context). Rows whose key exists are left alone, as in `outbox_enqueue`; the new ones
    are delivered after commit by one task. A bulk insert keeps a sweep that approves a
    thousand sets of minutes to a few queries per set. Every message gets `attachments`,
    and the message with key K also `attachments_by_key[K]` (an invitation that names its
    own recipient).

    `not_before` (aware; a send's grace period, core/grace.py) holds the rows until then:
    they wait queued with `retry_at` = `not_before` (which the claim in `outbox_deliver`
    respects), their task is queued for that moment, and the sweep finds them if it is
    lost; until then `outbox_withdraw` can take them back."""
    if not messages:
        return 0
    if secrets.has_secret(kind) and any(user is None for _key, _to, user, _ctx in messages):
        raise ValueError(f"A {kind!r} message carries a secret and needs its recipient_user.")
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
                    retry_at=not_before,
                )
            )
        OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
        created_keys = dict(
            OutboxMessage.objects.filter(
                key__in=[row.key for row in rows], attachments__isnull=True
            ).values_list("pk", "key")
        )
        created = list(created_keys)
        by_key = attachments_by_key or {}
        OutboxAttachment.objects.bulk_create(
            OutboxAttachment(
                message_id=pk, filename=a.filename, mimetype=a.mimetype, content=a.content
            )
            for pk, key in created_keys.items()
            for a in (*attachments, *by_key.get(key, ()))
        )
        if created and not_before is not None:
            from notifications.tasks import send_outbox_messages

            queue_at_after_commit(send_outbox_messages, created, eta=not_before)
        elif created:
            transaction.on_commit(lambda: _queue_batch(created))
    return len(messages)


def outbox_withdraw(*, key_prefix: str) -> int:
    """Take back the messages whose key starts with `key_prefix` before any has left (a
    send undone in its grace period). Returns how many were deleted.

    Only rows still queued and never tried are deleted, in one statement: a row a worker
    has claimed is no longer "queued", so it is either withdrawn or sent, never both.
    Raises DomainError when any row of the send has already been tried or sent."""
    rows = OutboxMessage.objects.filter(key__startswith=key_prefix)
    if rows.exclude(status=OutboxMessage.Status.QUEUED, attempts=0).exists():
        raise DomainError(_("Some of these e-mails have already left; they cannot be withdrawn."))
    deleted, _details = rows.filter(status=OutboxMessage.Status.QUEUED, attempts=0).delete()
    return deleted


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
    attachments_for: Callable[[Any], tuple[Attachment, ...]] | None = None,
    not_before: datetime | None = None,
) -> int:
    """One message per person with an e-mail address; `key` + the person makes it once
    each; held until `not_before` when given (see outbox_enqueue_many). Returns how many
    were written (or were already there). `attachments_for(person)` gives the attachments
    of that person's message alone (beside the shared ones)."""
    people = [person for person in people if person.email]
    return outbox_enqueue_many(
        kind=kind,
        concerns=concerns,
        attachments=attachments,
        attachments_by_key={f"{key}:{person.pk}": attachments_for(person) for person in people}
        if attachments_for
        else None,
        not_before=not_before,
        messages=[
            (f"{key}:{person.pk}", person.email, person.user, {**context, "person": person})
            for person in people
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
