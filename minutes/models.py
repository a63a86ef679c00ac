"""Minutes: the draft, its frozen versions, the members' comments, automatic approval,
errata, and the follow-up actions that make up the decisions register.

Approved minutes cannot change: the models refuse it, and on PostgreSQL a trigger refuses
UPDATE and DELETE of approved rows (migration 0002)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from forums.models import Organisation, Person
from meetings.models import AgendaItem, Meeting
from meetings.storage import get_private_storage


class ApprovedMinutesError(Exception):
    """Approved minutes cannot change; a correction is an erratum."""


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent for comments")
    APPROVED = "approved", _("Finally approved")


class Minutes(models.Model):
    Status = MinutesStatus

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="minutes")
    status = models.CharField(
        _("status"), max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    introduction = models.TextField(_("introduction"), blank=True)
    lock_version = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    comments_close_at = models.DateTimeField(
        _("comment window closes"), null=True, blank=True, db_index=True
    )
    approved_at = models.DateTimeField(_("finally approved"), null=True, blank=True)
    approval_recorded_at = models.DateTimeField(null=True, blank=True)
    member_reminder_sent_for = models.DateTimeField(null=True, blank=True, editable=False)
    disposition_warning_sent_for = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        indexes = [models.Index(fields=["status", "comments_close_at"], name="minutes_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=MinutesStatus.values), name="minutes_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(sent_at__isnull=False, comments_close_at__isnull=False),
                name="minutes_sent_has_window",
            ),
        ]

    def __str__(self) -> str:
        return f"Referat: {self.meeting}"

    def save(self, *args, **kwargs):
        if self.pk and Minutes.objects.filter(pk=self.pk, status=MinutesStatus.APPROVED).exists():
            raise ApprovedMinutesError("Approved minutes cannot change.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("minutes:member", kwargs={"pk": self.meeting_id})

    def delete(self, *args, **kwargs):
        if self.status == MinutesStatus.APPROVED:
            raise ApprovedMinutesError("Approved minutes cannot be deleted.")
        return super().delete(*args, **kwargs)


class FrozenWhenApproved(models.Model):
    """A part of the minutes (an item, a comment): once the minutes are approved it can
    neither change nor go (on PostgreSQL the trigger of migration 0002 refuses it too)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._refuse_if_approved()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_approved()
        return super().delete(*args, **kwargs)

    def _refuse_if_approved(self) -> None:
        if Minutes.objects.filter(pk=self.minutes_id, status=MinutesStatus.APPROVED).exists():
            raise ApprovedMinutesError("Approved minutes cannot change.")


class MinutesItem(FrozenWhenApproved):
    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="items")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="minutes_items"
    )
    position = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    is_closed = models.BooleanField(_("closed item"), default=False)
    summary = models.TextField(_("summary"), blank=True)
    decision = models.TextField(_("decision"), blank=True)

    class Meta:
        ordering = ["minutes", "position"]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class FollowUpAction(models.Model):
    """A follow-up action of a decision: what, who, by when. Its status moves on after
    the minutes are approved (it lives in the decisions register, not in the minutes)."""

    Status = ActionStatus

    item = models.ForeignKey(MinutesItem, on_delete=models.PROTECT, related_name="actions")
    what = models.TextField(_("what"))
    responsible = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible administration"),
        limit_choices_to={"kind": "administration"},
    )
    due_on = models.DateField(_("due date"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ActionStatus.choices,
        default=ActionStatus.OPEN,
        db_index=True,
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="action_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.what[:80]


class MinutesVersion(models.Model):
    """A frozen version: 1 when sent, 2, 3 … for revised drafts, and the final one."""

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    is_final = models.BooleanField(default=False)
    change_note = models.TextField(_("change note"), blank=True)
    snapshot = models.JSONField(default=dict)
    pdf = models.FileField(
        storage=get_private_storage, upload_to="minutes/", blank=True, max_length=300
    )
    public_pdf = models.FileField(
        storage=get_private_storage, upload_to="minutes/", blank=True, max_length=300
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    distributed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["minutes", "number", "is_final"]
        # The catch-up sweep looks only at versions whose PDF or e-mails are still due.
        indexes = [
            models.Index(
                fields=["created_at"],
                name="minutes_version_pending_idx",
                condition=Q(pdf="") | Q(is_final=False, distributed_at__isnull=True),
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "number", "is_final"], name="minutes_version_unique"
            ),
            models.UniqueConstraint(
                fields=["minutes"], condition=Q(is_final=True), name="minutes_one_final_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.minutes} v{self.number}{' (endelig)' if self.is_final else ''}"

    @property
    def items(self) -> list[dict]:
        return self.snapshot.get("items", [])

    @property
    def public_items(self) -> list[dict]:
        return [item for item in self.items if not item["is_closed"]]


class Disposition(models.TextChoices):
    NONE = "", _("No disposition yet")
    INCORPORATED = "incorporated", _("Incorporated")
    NOT_INCORPORATED = "not_incorporated", _("Not incorporated")
    ANSWERED = "answered", _("Answered")


class Comment(FrozenWhenApproved):
    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="comments")
    item = models.ForeignKey(
        MinutesItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="comments",
        verbose_name=_("item"),
    )
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="minutes_comments")
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    disposition = models.CharField(
        _("disposition"), max_length=20, choices=Disposition.choices, blank=True, default=""
    )
    disposition_note = models.TextField(_("reason or answer"), blank=True)
    disposed_at = models.DateTimeField(null=True, blank=True)
    disposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(disposition="not_incorporated") | ~Q(disposition_note=""),
                name="comment_not_incorporated_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:60]}"


class Receipt(models.Model):
    """A member's state towards the sent minutes: opened, and/or "no remarks"."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="receipts")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(null=True, blank=True)
    no_remarks_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["minutes", "person"], name="receipt_unique")]

    def __str__(self) -> str:
        return f"{self.person} / {self.minutes}"


class Erratum(models.Model):
    """A dated correction ("rettelse") to approved minutes, shown with them and in the PDF."""

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="errata")
    text = models.TextField(_("correction"))
    pdf = models.FileField(
        storage=get_private_storage, upload_to="minutes/", blank=True, max_length=300
    )
    public_pdf = models.FileField(
        storage=get_private_storage, upload_to="minutes/", blank=True, max_length=300
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("erratum")
        verbose_name_plural = _("errata")

    def __str__(self) -> str:
        return f"Rettelse {self.created_at:%d.%m.%Y}"
