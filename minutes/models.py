"""Minutes: the draft, its frozen versions, the members' comments, automatic approval,
errata, and the follow-up actions that make up the decisions register.

Approved minutes cannot change by any path: the models' save/delete and their QuerySets'
update/delete/bulk writes refuse it (ApprovedMinutesError), and on PostgreSQL the triggers
of migration 0004 refuse INSERT, UPDATE and DELETE of every part of approved minutes with
SQLSTATE 23F01. The only writes the rules allow after approval: the final version (once,
by the approval itself) and its PDFs (written once), a dated erratum, and the *status* of a
follow-up action."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import IntegrityError, models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.closed_items import withhold_closed
from core.errors import DomainError
from forums.models import Organisation, Person
from meetings.models import AgendaItem, Meeting
from meetings.storage import get_private_storage

# The SQLSTATE of the PostgreSQL triggers (migration 0004): class 23, integrity constraint
# violation, so that psycopg and Django raise it as an IntegrityError.
FROZEN_SQLSTATE = "23F01"


class ApprovedMinutesError(DomainError):
    """Approved minutes cannot change; a correction is an erratum.

    A DomainError, so every page that calls a service (core.pages.post_action,
    core.forms.call_service) shows it as a Danish message instead of a 500."""

    def __init__(self, message=None):
        super().__init__(
            message
            or _("The minutes are finally approved and cannot change. Add a correction instead.")
        )


def sqlstate_of(exc: BaseException) -> str | None:
    """The SQLSTATE of a database error Django wrapped (psycopg2 `pgcode`, psycopg `sqlstate`)."""
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)


@contextmanager
def refusing_approved() -> Iterator[None]:
    """Turn the trigger's refusal (an IntegrityError with SQLSTATE 23F01, raised when the
    minutes were approved between a guard's read and the write) into ApprovedMinutesError."""
    try:
        yield
    except IntegrityError as exc:
        if sqlstate_of(exc) == FROZEN_SQLSTATE:
            raise ApprovedMinutesError() from exc
        raise


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent for comments")
    APPROVED = "approved", _("Finally approved")


class FrozenQuerySet(models.QuerySet):
    """The bulk paths refuse what the model's save/delete refuse: update(), delete() and
    bulk_create() of rows that belong to approved minutes raise ApprovedMinutesError, except
    the writes the model allows (`refused_rows`). bulk_update() goes through update()."""

    def _refuse(self, rows: models.QuerySet) -> None:
        if rows.exists():
            raise ApprovedMinutesError()

    def update(self, **kwargs):
        """As QuerySet.update (returns the number of rows); ApprovedMinutesError if a row
        of approved minutes would take a column it may no longer take."""
        self._refuse(self.model.refused_rows(self, set(kwargs)))
        with refusing_approved():
            return super().update(**kwargs)

    def delete(self):
        """As QuerySet.delete; ApprovedMinutesError if a row of approved minutes is among
        the rows."""
        self._refuse(self.model.refused_rows(self, None))
        with refusing_approved():
            return super().delete()

    def bulk_create(self, objs: Iterable, *args, **kwargs):
        """As QuerySet.bulk_create; ApprovedMinutesError if any object would be added to
        approved minutes (other than what the model allows: the final version, an erratum)."""
        objs = list(objs)
        self.model.refuse_inserts(objs)
        with refusing_approved():
            return super().bulk_create(objs, *args, **kwargs)


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

    objects = FrozenQuerySet.as_manager()

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
        if self._stored_approved():
            raise ApprovedMinutesError()
        with refusing_approved():
            super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("minutes:member", kwargs={"pk": self.meeting_id})

    def delete(self, *args, **kwargs):
        if self._stored_approved():
            raise ApprovedMinutesError()
        with refusing_approved():
            return super().delete(*args, **kwargs)

    @classmethod
    def refused_rows(cls, rows: models.QuerySet, fields: set[str] | None) -> models.QuerySet:
        """Approved minutes take no write at all (the approval itself moves a row from
        sent to approved, so it is not among them)."""
        return rows.filter(status=MinutesStatus.APPROVED)

    @classmethod
    def refuse_inserts(cls, objs: list) -> None:
        """New minutes are never approved minutes that change."""

    def _stored_approved(self) -> bool:
        return (
            bool(self.pk)
            and Minutes.refused_rows(Minutes.objects.filter(pk=self.pk), None).exists()
        )


class FrozenWhenApproved(models.Model):
    """A part of the minutes (an item, a comment, an action, a version, an erratum): once
    the minutes are approved it can neither be added, change nor go, except for the
    writes a subclass lets through (`WRITABLE_WHEN_APPROVED`, `insert_allowed_when_approved`,
    `refused_rows`). On PostgreSQL the triggers of migration 0004 refuse the same."""

    # How to reach the minutes from this model in a lookup ("minutes__", "item__minutes__").
    MINUTES_LOOKUP = "minutes__"
    # Columns that may still be written once the minutes are approved.
    WRITABLE_WHEN_APPROVED: frozenset[str] = frozenset()

    objects = FrozenQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._refuse_save(kwargs.get("update_fields"))
        with refusing_approved():
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        stored = type(self)._default_manager.filter(pk=self.pk)
        if type(self).refused_rows(stored, None).exists():
            raise ApprovedMinutesError()
        with refusing_approved():
            return super().delete(*args, **kwargs)

    @classmethod
    def refused_rows(cls, rows: models.QuerySet, fields: set[str] | None) -> models.QuerySet:
        """The rows among `rows` of approved minutes that a write of `fields` (None: a
        delete) may not touch."""
        if fields is not None and fields <= cls.WRITABLE_WHEN_APPROVED:
            return rows.none()
        return rows.filter(**{f"{cls.MINUTES_LOOKUP}status": MinutesStatus.APPROVED})

    @classmethod
    def parents_of(cls, objs: list) -> Q:
        """A filter on Minutes for the minutes the (unsaved) `objs` belong to."""
        return Q(pk__in={obj.minutes_id for obj in objs})

    def insert_allowed_when_approved(self) -> bool:
        return False

    @classmethod
    def refuse_inserts(cls, objs: list) -> None:
        """ApprovedMinutesError if any of `objs` would be added to approved minutes."""
        objs = [obj for obj in objs if not obj.insert_allowed_when_approved()]
        parents = Minutes.objects.filter(cls.parents_of(objs), status=MinutesStatus.APPROVED)
        if objs and parents.exists():
            raise ApprovedMinutesError()

    def _refuse_save(self, update_fields) -> None:
        if self._state.adding:
            type(self).refuse_inserts([self])
            return
        names = {f.attname: f.name for f in self._meta.concrete_fields}
        fields = (
            set(names.values())
            if update_fields is None
            else {names.get(name, name) for name in update_fields}
        )
        stored = type(self)._default_manager.filter(pk=self.pk)
        if type(self).refused_rows(stored, fields).exists():
            raise ApprovedMinutesError()
        if not fields <= self.WRITABLE_WHEN_APPROVED:
            type(self).refuse_inserts([self])  # nor may a row move into approved minutes


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


class FollowUpAction(FrozenWhenApproved):
    """A follow-up action of a decision: what, who, by when. The decision (what, who, by
    when) is frozen with the minutes; only its status moves on after approval (it lives
    in the decisions register): save(update_fields=["status", "updated_at", "updated_by"])."""

    Status = ActionStatus
    MINUTES_LOOKUP = "item__minutes__"
    WRITABLE_WHEN_APPROVED = frozenset({"status", "updated_at", "updated_by"})

    # The agreements of both forums bind both sides (issue 10 §3): an action goes to an
    # administration or to a housing organisation, whose people see and update it alike.
    RESPONSIBLE_KINDS = ("administration", "housing_organisation")

    item = models.ForeignKey(MinutesItem, on_delete=models.PROTECT, related_name="actions")
    what = models.TextField(_("what"))
    responsible = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible administration or housing organisation"),
        limit_choices_to={"kind__in": RESPONSIBLE_KINDS},
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

    @classmethod
    def parents_of(cls, objs: list) -> Q:
        return Q(items__in={obj.item_id for obj in objs})


class MinutesVersion(FrozenWhenApproved):
    """A frozen version: 1 when sent, 2, 3 … for revised drafts, and the final one.

    Once the minutes are approved the only writes are the final version itself (added by
    the approval; one per minutes, a unique constraint) and each version's PDFs, written
    once (while `pdf` is still empty)."""

    WRITABLE_WHEN_APPROVED = frozenset({"pdf", "public_pdf"})

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
    # The end of the grace period (settings.SEND_GRACE_MINUTES): its e-mails are held in
    # the outbox until then, and minutes_send_undo can withdraw it. Null: no grace period.
    send_after = models.DateTimeField(null=True, blank=True, editable=False)

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
    def went_out_at(self):
        """When the version goes (or went) out, an aware datetime: the end of its grace
        period (send_after) where there was one, else the moment it was made. The version
        list shows this, never the time of the click (issue 13)."""
        return self.send_after or self.created_at

    @classmethod
    def refused_rows(cls, rows: models.QuerySet, fields: set[str] | None) -> models.QuerySet:
        approved = rows.filter(minutes__status=MinutesStatus.APPROVED)
        if fields is not None and fields <= cls.WRITABLE_WHEN_APPROVED:
            return approved.exclude(pdf="")  # the PDFs are written once
        return approved

    def insert_allowed_when_approved(self) -> bool:
        return self.is_final

    @property
    def items(self) -> list[dict]:
        return self.snapshot.get("items", [])

    @property
    def public_items(self) -> list[dict]:
        """The items as the public sees them: a closed item keeps its place and number
        with nothing else (core.closed_items.withhold_closed)."""
        return withhold_closed(self.items)


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


class Erratum(FrozenWhenApproved):
    """A dated correction ("rettelse") to approved minutes, shown with them and in the PDF.

    It is added to approved minutes only (minutes.services.erratum_add) and is itself part
    of the record: once added it neither changes nor goes (a wrong erratum is corrected by
    another)."""

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

    def insert_allowed_when_approved(self) -> bool:
        return True
