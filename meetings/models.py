"""Meetings, agenda-item proposals, agendas with their versions, attachments, attendance."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.closed_items import withhold_closed
from forums.models import Forum, Organisation, Person
from meetings.storage import get_private_storage


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    AGENDA_SENT = "agenda_sent", _("Agenda sent")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Treatment(models.TextChoices):
    ORIENTATION = "orientation", _("For information")
    DISCUSSION = "discussion", _("For discussion")
    DECISION = "decision", _("For decision")


class Meeting(models.Model):
    """A meeting of a forum. Its deadlines are stored, computed from the forum's rules
    whenever the meeting is scheduled or moved (meetings.deadlines)."""

    Status = MeetingStatus

    forum = models.ForeignKey(
        Forum, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("forum")
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    is_archive = models.BooleanField(
        _("archive entry"),
        default=False,
        help_text=_("A record of an earlier meeting: it notifies no one and arms no deadline."),
    )
    uid = models.CharField(max_length=100, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)

    proposals_close_at = models.DateTimeField(
        _("proposals close"), null=True, blank=True, db_index=True
    )
    agenda_due_at = models.DateTimeField(_("agenda due"), null=True, blank=True, db_index=True)
    minutes_due_at = models.DateTimeField(_("minutes due"), null=True, blank=True, db_index=True)

    # Which deadline each reminder was sent for: a move changes the deadline, which arms
    # the reminder again; a compare-and-set on these columns makes each one happen once.
    proposal_reminder_sent_for = models.DateTimeField(null=True, blank=True, editable=False)
    agenda_reminder_sent_for = models.DateTimeField(null=True, blank=True, editable=False)
    agenda_alert_sent_for = models.DateTimeField(null=True, blank=True, editable=False)
    minutes_reminder_sent_for = models.DateTimeField(null=True, blank=True, editable=False)
    minutes_alert_sent_for = models.DateTimeField(null=True, blank=True, editable=False)

    agenda_sent_at = models.DateTimeField(_("agenda sent"), null=True, blank=True)
    # A call, move or cancellation whose e-mails wait in their grace period
    # (settings.SEND_GRACE_MINUTES, core/grace.py): its kind, when they leave, and what
    # "Fortryd udsendelse" restores (meetings.services.meeting_mail_undo).
    mail_pending_kind = models.CharField(max_length=40, blank=True, editable=False)
    mail_pending_until = models.DateTimeField(null=True, blank=True, editable=False)
    mail_pending_undo = models.JSONField(default=dict, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["status", "agenda_due_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=MeetingStatus.values), name="meeting_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.forum.name} {timezone.localtime(self.starts_at):%d.%m.%Y}"

    def save(self, *args, **kwargs):
        if not self.uid:
            self.uid = f"{uuid.uuid4()}@faellesindgang"
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("meetings:public", kwargs={"pk": self.pk})

    @property
    def display_title(self) -> str:
        return self.title or self.forum.name

    @property
    def day(self):
        return timezone.localtime(self.starts_at).date()

    @property
    def is_active(self) -> bool:
        return self.status in (MeetingStatus.PLANNED, MeetingStatus.AGENDA_SENT)

    def status_at(self, now=None) -> str:
        """The status to show at `now` (default: this moment), a MeetingStatus value: the
        stored one, except that a planned meeting (agenda sent or not) whose end has passed
        is held (issue 13). The sweep's `mark_held` stores the same rule within minutes;
        deriving it here means no page says »Planlagt« in between."""
        now = now or timezone.now()
        if self.is_active and self.ends_at < now:
            return MeetingStatus.HELD
        return self.status

    @property
    def shown_status(self) -> str:
        """`status_at()` now, for templates (with `shown_status_label`)."""
        return self.status_at()

    @property
    def shown_status_label(self) -> str:
        return str(MeetingStatus(self.shown_status).label)

    def agenda_pending(self, now=None) -> bool:
        """True while the first agenda send is inside its grace period: the status says
        "agenda sent", but nothing has left and the send can still be undone."""
        from core.grace import in_grace

        return self.status == MeetingStatus.AGENDA_SENT and in_grace(self.agenda_sent_at, now)

    def mail_pending(self, now=None) -> bool:
        """True while the e-mails of a call, move or cancellation wait in their grace
        period and the change can still be undone."""
        from core.grace import in_grace

        return bool(self.mail_pending_kind) and in_grace(self.mail_pending_until, now)

    def get_mail_pending_kind_label(self) -> str:
        """»Indkaldelse«, »Flytning« or »Aflysning«: what waits in the grace period."""
        labels = {
            "meeting_called": gettext("The call"),
            "meeting_moved": gettext("The move"),
            "meeting_cancelled": gettext("The cancellation"),
        }
        return labels.get(self.mail_pending_kind, "")

    @property
    def status_text(self) -> str:
        """The status as pages show it: during the agenda's grace period »Dagsorden:
        Udsendes kl. HH:MM — kan fortrydes indtil da«; while a call, move or cancellation
        waits, the status followed by the same sentence; otherwise get_status_display()."""
        from core.grace import pending_text

        if self.agenda_pending():
            return gettext("Agenda: %(pending)s") % {"pending": pending_text(self.agenda_sent_at)}
        if self.mail_pending():
            return gettext("%(status)s; e-mails: %(pending)s") % {
                "status": self.shown_status_label,
                "pending": pending_text(self.mail_pending_until),
            }
        return self.shown_status_label

    @property
    def public_status_text(self) -> str:
        """The status as members and the public read it: during the agenda's grace period
        »Dagsorden: Udsendes kl. HH:MM« (no undo: that is the secretariat's); a call, move
        or cancellation waiting in its grace period is not theirs to see yet."""
        from core.grace import pending_text_public

        if self.agenda_pending():
            return gettext("Agenda: %(pending)s") % {
                "pending": pending_text_public(self.agenda_sent_at)
            }
        return self.shown_status_label

    @property
    def status_value(self) -> str:
        """The status code for the status badge's class ("agenda_pending" in the grace period)."""
        return "agenda_pending" if self.agenda_pending() else self.shown_status

    def same_day_meetings(self) -> models.QuerySet:
        """The forum's other meetings (any status, archive entries aside) on this meeting's
        local day, by start: two meetings on one day are allowed, but must be told apart."""
        return (
            Meeting.objects.filter(
                forum_id=self.forum_id, starts_at__date=self.day, is_archive=False
            )
            .exclude(pk=self.pk)
            .order_by("starts_at")
        )

    @property
    def subject_day(self) -> str:
        """The meeting's day as e-mail subjects name it, e.g. "4. maj 2027"; with the time
        ("4. maj 2027 kl. 14:00") when the forum has another meeting that day."""
        from core.wallclock import wall_clock

        day = date_format(timezone.localtime(self.starts_at), "j. F Y")
        if self.same_day_meetings().exists():
            return gettext("%(day)s at %(time)s") % {"day": day, "time": wall_clock(self.starts_at)}
        return day


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Proposal(models.Model):
    """A proposal for an item on a meeting's agenda."""

    Status = ProposalStatus

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("meeting")
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
        verbose_name=_("proposed by"),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"))
    treatment = models.CharField(_("treatment asked for"), max_length=20, choices=Treatment.choices)
    responsible = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible administration"),
        limit_choices_to={"kind": "administration"},
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    referred_from = models.ForeignKey(
        "AgendaItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals",
        verbose_name=_("referred from"),
    )
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("agenda proposal")
        verbose_name_plural = _("agenda proposals")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values), name="proposal_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="items", verbose_name=_("meeting")
    )
    position = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    presentation = models.TextField(_("case presentation"), blank=True)
    recommendation = models.TextField(_("recommendation"), blank=True)
    treatment = models.CharField(
        _("treatment"), max_length=20, choices=Treatment.choices, default=Treatment.ORIENTATION
    )
    responsible = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible administration"),
        limit_choices_to={"kind": "administration"},
    )
    is_closed = models.BooleanField(
        _("closed item"), default=False, help_text=_("A closed item is never public.")
    )
    is_standard = models.BooleanField(default=False, editable=False)
    # Copied from the forum's standard item: a procedural item needs no responsible.
    is_procedural = models.BooleanField(default=False, editable=False)
    standard_item = models.ForeignKey(
        "forums.StandardAgendaItem",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    from_proposal = models.OneToOneField(
        Proposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="agenda_item"
    )
    # Who made the item and when: a repeated post (the back button) lands on it.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}/{filename}"


class CurrentAttachmentManager(models.Manager):
    """Attachments not removed: the default manager, so `item.attachments` and
    `proposal.attachments` list only the current files. A removed attachment that went out
    with a sent agenda version is kept (`Attachment.all_objects`) so that version's history
    can still offer it."""

    def get_queryset(self):
        return super().get_queryset().filter(removed_at__isnull=True)


class AllAttachmentsManager(models.Manager):
    """Every attachment, removed ones too: file downloads and the versions' history."""


class Attachment(models.Model):
    """A file ("bilag") on a proposal and, once accepted, on its agenda item, in the order
    the secretariat (or the proposer) gives it (`position`, then upload time)."""

    file = models.FileField(storage=get_private_storage, upload_to=attachment_path, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    position = models.PositiveIntegerField(_("order"), default=0)
    removed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The file's text for the search (meetings.attachment_text), extracted once by a
    # Celery task after the upload commits; `text_of` names the stored file it was read
    # from, so a changed file is read again and an unchanged one never.
    text = models.TextField(blank=True, editable=False)
    text_of = models.CharField(max_length=300, blank=True, editable=False)

    objects = CurrentAttachmentManager()
    all_objects = AllAttachmentsManager()

    class Meta:
        ordering = ["position", "uploaded_at", "id"]
        base_manager_name = "all_objects"
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(
                condition=Q(proposal__isnull=False) | Q(item__isnull=False),
                name="attachment_belongs_somewhere",
            ),
        ]
        # The sweep's catch-up looks only at attachments whose text was never read.
        indexes = [
            models.Index(
                fields=["uploaded_at"], name="attachment_text_unread_idx", condition=Q(text_of="")
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("meetings:attachment", kwargs={"pk": self.pk})


class AgendaVersion(models.Model):
    """The agenda as it was sent: version 1 when first sent, then one per revision."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    change_note = models.TextField(_("change note"), blank=True)
    snapshot = models.JSONField(default=dict)
    pdf = models.FileField(
        storage=get_private_storage, upload_to="agendas/", blank=True, max_length=300
    )
    public_pdf = models.FileField(
        storage=get_private_storage, upload_to="agendas/", blank=True, max_length=300
    )
    pdf_rendered_at = models.DateTimeField(null=True, blank=True)
    # The agenda pack (meetings/pack.py): the agenda followed by every attachment as one
    # PDF, built by a task after the send; the public one only for a public agenda.
    pack = models.FileField(
        storage=get_private_storage, upload_to="agendas/", blank=True, max_length=300
    )
    public_pack = models.FileField(
        storage=get_private_storage, upload_to="agendas/", blank=True, max_length=300
    )
    pack_built_at = models.DateTimeField(null=True, blank=True)
    # The end of the grace period (settings.SEND_GRACE_MINUTES): no e-mail is written
    # before it, and until then the secretariat can withdraw the version. Null: at once.
    send_after = models.DateTimeField(_("goes out"), null=True, blank=True)
    distributed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "number"]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="agenda_version_pending_idx",
                condition=Q(distributed_at__isnull=True),
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="agenda_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} v{self.number}"

    @property
    def items(self) -> list[dict]:
        return self.snapshot.get("items", [])

    @property
    def went_out_at(self):
        """When the version goes (or went) out, an aware datetime: the end of its grace
        period (send_after) where there was one, else the moment it was made. Version lists
        show this, never the time of the click (issue 13)."""
        return self.send_after or self.created_at

    def in_grace(self, now=None) -> bool:
        """True while the send can still be undone: nothing e-mailed, grace not over."""
        now = now or timezone.now()
        return not self.distributed_at and self.send_after is not None and now < self.send_after

    @property
    def public_items(self) -> list[dict]:
        """The items as the public sees them: a closed item keeps its place and number
        with nothing else (core.closed_items.withhold_closed)."""
        return withhold_closed(self.items)


class ConversionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for conversion")
    DONE = "done", _("Converted")
    FAILED = "failed", _("Could not be converted")


class AttachmentPdf(models.Model):
    """An attachment's content converted to PDF for the agenda pack, once per content:
    keyed by the SHA-256 of the file's bytes, so a rebuilt pack, a revised agenda version
    or a referred item's copy never converts the same file again."""

    sha256 = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        max_length=10, choices=ConversionStatus.choices, default=ConversionStatus.PENDING
    )
    pdf = models.FileField(
        storage=get_private_storage, upload_to="attachment-pdfs/", blank=True, max_length=300
    )
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    # Set when a build queues the conversion, so the builds that each finished conversion
    # triggers do not queue the others again (a lost message is queued again after
    # the stale time).
    queued_at = models.DateTimeField(null=True, blank=True)
    # Set when a conversion task claims the row; a claim older than the task's hard time
    # limit is a conversion that died (killed at the limit) and counts as failed.
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ConversionStatus.values), name="attachment_pdf_status"
            ),
            models.CheckConstraint(
                condition=~Q(status=ConversionStatus.DONE) | ~Q(pdf=""),
                name="attachment_pdf_done_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sha256[:12]} {self.status}"


class AttendanceStatus(models.TextChoices):
    ATTENDING = "attending", _("Attending")
    ABSENT = "absent", _("Absent (afbud)")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(_("attendance"), max_length=20, choices=AttendanceStatus.choices)
    substitute = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="substitutions",
        verbose_name=_("substitute"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["person__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_unique"),
            models.CheckConstraint(
                condition=Q(status__in=AttendanceStatus.values), name="attendance_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_status_display()}"


class CalendarToken(models.Model):
    """The secret in a member's personal calendar feed URL; revoking makes a new one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"calendar token of {self.user}"


class PresenceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Sent apologies")
    ABSENT = "absent", _("Absent")
    REPRESENTED = "represented", _("Represented by a substitute")


class Presence(models.Model):
    """Who was actually at the meeting, recorded by the secretariat at or after it.

    Kept apart from `Attendance`, the member's own answer beforehand (an RSVP): the minutes
    print this record, never an RSVP. A substitute is named exactly when the member was
    represented."""

    Status = PresenceStatus

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="presence")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="presence")
    status = models.CharField(_("presence"), max_length=20, choices=PresenceStatus.choices)
    substitute = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="represented",
        verbose_name=_("substitute"),
    )
    recorded_at = models.DateTimeField(_("recorded"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["person__name", "person_id"]
        verbose_name = _("recorded attendance")
        verbose_name_plural = _("recorded attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="presence_unique"),
            models.CheckConstraint(
                condition=Q(status__in=PresenceStatus.values), name="presence_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=PresenceStatus.REPRESENTED, substitute__isnull=False)
                | (~Q(status=PresenceStatus.REPRESENTED) & Q(substitute__isnull=True)),
                name="presence_substitute_iff_represented",
                violation_error_message=_(
                    "A substitute is named exactly when the member was represented."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_status_display()}"

    @property
    def label(self) -> str:
        """»Til stede«, or »Repræsenteret ved suppleant X« with the substitute's name."""
        if self.substitute_id:
            return gettext("Represented by substitute %(name)s") % {"name": self.substitute.name}
        return str(self.get_status_display())
