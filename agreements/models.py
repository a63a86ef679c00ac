"""The 4-year framework agreement ("hovedaftale") with its themes, approvals and
adjustments; the sub-agreements ("delaftaler"); the area-based initiatives."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from forums.models import Organisation
from meetings.models import Meeting
from meetings.storage import get_private_storage


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft (prepared by Borgmesterforum)")
    NEGOTIATED = "negotiated", _("Negotiated in Partnerskabsforum")
    IN_FORCE = "in_force", _("In force")
    EXPIRED = "expired", _("Expired")
    REPLACED = "replaced", _("Replaced by its successor")


class FrameworkAgreement(models.Model):
    Status = AgreementStatus

    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"), db_index=True)
    period_reason = models.TextField(
        _("reason for another period than four years"),
        blank=True,
        help_text=_("Only when the period is not four years, e.g. a transition period."),
    )
    parties = models.CharField(
        _("parties"),
        max_length=300,
        default="Borgerrepræsentationen og BL – Danmarks Almene Boliger, 1. kreds",
    )
    introduction = models.TextField(_("introduction"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    prepared_at = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("prepared at the Borgmesterforum meeting"),
    )
    negotiated_at = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("negotiated at the Partnerskabsforum meeting"),
    )
    br_approved_on = models.DateField(_("approved by the City Council"), null=True, blank=True)
    br_case_reference = models.CharField(
        _("City Council case reference"), max_length=100, blank=True
    )
    housing_approved_on = models.DateField(
        _("approved by the housing organisations"), null=True, blank=True
    )
    in_force_since = models.DateField(_("in force since"), null=True, blank=True)
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    replaced_by = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="predecessor"
    )
    renewal_12_sent_for = models.DateField(null=True, blank=True, editable=False)
    renewal_6_sent_for = models.DateField(null=True, blank=True, editable=False)
    preparation_suggested_for = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_start"]
        verbose_name = _("framework agreement")
        verbose_name_plural = _("framework agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gt=models.F("period_start")),
                name="agreement_period_valid",
                violation_error_message=_("The period must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=AgreementStatus.values), name="agreement_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("agreements:detail", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.status in (
            AgreementStatus.IN_FORCE,
            AgreementStatus.EXPIRED,
            AgreementStatus.REPLACED,
        )

    @property
    def status_line(self) -> str:
        """The status as pages show it (Danish): »Udkast (udarbejdet af Borgmesterforum)« only
        when the preparing Borgmesterforum meeting is recorded, else plain »Udkast«."""
        if self.status == AgreementStatus.DRAFT and not self.prepared_at_id:
            return str(_("Draft"))
        return self.get_status_display()


class Theme(models.Model):
    """A theme of the agreement with its goals and political priorities: the working text
    that the next adjustment freezes into a version."""

    agreement = models.ForeignKey(
        FrameworkAgreement, on_delete=models.CASCADE, related_name="themes"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("theme"), max_length=200)
    goals = models.TextField(_("goals"), blank=True)
    priorities = models.TextField(_("political priorities"), blank=True)

    class Meta:
        ordering = ["agreement", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "title"], name="theme_title_unique")
        ]

    def __str__(self) -> str:
        return self.title


class AgreementVersion(models.Model):
    """The consolidated text as adopted: version 1 when the agreement comes into force,
    then one per adjustment decided by Partnerskabsforum."""

    agreement = models.ForeignKey(
        FrameworkAgreement, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    adopted_on = models.DateField(_("adopted on"))
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided at the meeting"),
    )
    decision = models.TextField(_("decision"), blank=True)
    change_note = models.TextField(_("what changed"), blank=True)
    snapshot = models.JSONField(default=dict)
    pdf = models.FileField(
        storage=get_private_storage, upload_to="agreements/", blank=True, max_length=300
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["agreement", "number"]
        indexes = [
            models.Index(
                fields=["created_at"], name="agreement_version_pending_idx", condition=Q(pdf="")
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="agreement_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agreement} – version {self.number}"

    def get_absolute_url(self) -> str:
        return reverse(
            "agreements:version", kwargs={"pk": self.agreement_id, "number": self.number}
        )


class SubAgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    NEGOTIATING = "negotiating", _("In negotiation")
    SIGNED = "signed", _("Signed")
    EXPIRED = "expired", _("Expired")


class SubAgreement(models.Model):
    """A sub-agreement ("delaftale") between an administration and a housing organisation
    that makes goals of the framework agreement concrete."""

    Status = SubAgreementStatus

    title = models.CharField(_("title"), max_length=200)
    theme = models.CharField(_("theme"), max_length=200)
    goals = models.ManyToManyField(
        Theme,
        blank=True,
        related_name="sub_agreements",
        verbose_name=_("goals of the framework agreement it makes concrete"),
    )
    administration = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "administration"},
        verbose_name=_("administration"),
    )
    housing_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "housing_organisation"},
        verbose_name=_("housing organisation"),
    )
    summary = models.TextField(_("summary"), blank=True)
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"), db_index=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SubAgreementStatus.choices,
        default=SubAgreementStatus.DRAFT,
    )
    prepared_at = models.ManyToManyField(
        Meeting,
        blank=True,
        related_name="sub_agreements",
        limit_choices_to={"forum__slug": "samarbejdsforum"},
        verbose_name=_("prepared at the Samarbejdsforum meetings"),
    )
    is_published = models.BooleanField(_("published"), default=False)
    expiry_reminder_sent_for = models.DateField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period_start", "title"]
        verbose_name = _("sub-agreement")
        verbose_name_plural = _("sub-agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gt=models.F("period_start")),
                name="subagreement_period_valid",
                violation_error_message=_("The period must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=SubAgreementStatus.values), name="subagreement_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("agreements:sub_detail", kwargs={"pk": self.pk})


class SubAgreementDocument(models.Model):
    sub_agreement = models.ForeignKey(
        SubAgreement, on_delete=models.CASCADE, related_name="documents"
    )
    file = models.FileField(storage=get_private_storage, upload_to="subagreements/", max_length=300)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class InitiativeKind(models.TextChoices):
    AREA_RENEWAL = "area_renewal", _("Area renewal (områdefornyelse)")
    MASTER_PLAN = "master_plan", _("Housing-social master plan (helhedsplan)")
    OTHER = "other", _("Other area-based initiative")


class InitiativeStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")


class Initiative(models.Model):
    """An area-based initiative: area renewal, master plan or other."""

    Kind = InitiativeKind
    Status = InitiativeStatus

    name = models.CharField(_("name"), max_length=200)
    area = models.CharField(_("area or district"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=InitiativeKind.choices)
    description = models.TextField(_("description"), blank=True)
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=InitiativeStatus.choices,
        default=InitiativeStatus.PLANNED,
    )
    responsible = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "administration"},
        verbose_name=_("responsible administration"),
    )
    meetings = models.ManyToManyField(
        Meeting, blank=True, related_name="initiatives", verbose_name=_("meetings that concern it")
    )
    decisions = models.ManyToManyField(
        "minutes.MinutesItem",
        blank=True,
        related_name="initiatives",
        verbose_name=_("decisions that concern it"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["status", "name"]
        verbose_name = _("area-based initiative")
        verbose_name_plural = _("area-based initiatives")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__isnull=True) | Q(period_end__gt=models.F("period_start")),
                name="initiative_period_valid",
                violation_error_message=_("The period must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("agreements:initiative", kwargs={"pk": self.pk})


class InitiativeStepKind(models.TextChoices):
    PROPOSED = "proposed", _("Proposed by Borgmesterforum")
    ADOPTED = "adopted", _("Decided: adopted")
    NOT_ADOPTED = "not_adopted", _("Decided: not adopted")


class InitiativeStep(models.Model):
    """The trail of a proposed area-based initiative (issue 10 §4): Borgmesterforum
    »indstiller nye indsatsområder herunder konkrete forslag til nye
    områdefornyelsesprojekter« at a meeting, then the competent body decides."""

    Kind = InitiativeStepKind

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("step"), max_length=20, choices=InitiativeStepKind.choices)
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("meeting"),
    )
    on = models.DateField(_("date"))
    decided_by = models.CharField(_("decided by"), max_length=200, blank=True)
    reference = models.CharField(_("case reference"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["initiative", "on", "pk"]
        verbose_name = _("initiative step")
        verbose_name_plural = _("initiative steps")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=InitiativeStepKind.values), name="initiative_step_kind_valid"
            ),
            models.UniqueConstraint(
                fields=["initiative"],
                condition=Q(kind="proposed"),
                name="initiative_proposed_once",
            ),
            models.UniqueConstraint(
                fields=["initiative"],
                condition=Q(kind__in=["adopted", "not_adopted"]),
                name="initiative_decided_once",
            ),
            models.CheckConstraint(
                condition=~Q(kind="proposed") | Q(meeting__isnull=False),
                name="initiative_proposal_has_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative}: {self.get_kind_display()}"
