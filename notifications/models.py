from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

KIND_LABELS = {
    "invitation": _("Invitation"),
    "password_reset": _("Password reset"),
    "meeting_called": _("Call to a meeting"),
    "meeting_moved": _("Meeting moved"),
    "meeting_cancelled": _("Meeting cancelled"),
    "proposal_reminder": _("Reminder: proposals close"),
    "proposal_decided": _("Decision on a proposal"),
    "agenda_reminder": _("Reminder: agenda due"),
    "agenda_overdue": _("Alert: agenda overdue"),
    "agenda_sent": _("Agenda"),
    "agenda_revised": _("Revised agenda"),
    "minutes_sent": _("Minutes for comments"),
    "minutes_revised": _("Revised draft minutes"),
    "minutes_approved": _("Minutes approved"),
    "minutes_comment_reminder": _("Reminder: comment on the minutes"),
    "minutes_disposition_warning": _("Warning: comments without a disposition"),
    "minutes_due_reminder": _("Reminder: minutes due"),
    "minutes_overdue": _("Alert: minutes overdue"),
    "agreement_approval": _("Approval of the framework agreement"),
    "agreement_version": _("New version of the framework agreement"),
    "agreement_renewal": _("Reminder: renewal of the framework agreement"),
    "sub_agreement_expiry": _("Reminder: sub-agreement ends"),
}


class OutboxMessage(models.Model):
    """One e-mail to one recipient, written in the same transaction as the change that
    causes it and sent afterwards by a task. `key` makes a duplicate impossible."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=60, db_index=True)
    recipient = models.EmailField(_("recipient"))
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.CharField(max_length=64, blank=True)
    concerns = GenericForeignKey("content_type", "object_id")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # When the first attempt was made: transient failures are retried for
    # OUTBOX_RETRY_HOURS from here (reset when the secretariat sends a failure again).
    first_attempt_at = models.DateTimeField(_("first attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    retry_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["status", "retry_at"], name="outbox_status_retry_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "sending", "sent", "failed"]),
                name="outbox_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.recipient}"

    def get_absolute_url(self) -> str:
        return reverse("notifications:detail", kwargs={"pk": self.pk})

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))


class OutboxAttachment(models.Model):
    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=200)
    mimetype = models.CharField(max_length=100)
    content = models.BinaryField()

    def __str__(self) -> str:
        return self.filename
