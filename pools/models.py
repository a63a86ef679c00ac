"""Funding pools ("puljer", issue 10 §1): money the City Council (Borgerrepræsentationen)
has authorised Samarbejdsforum to dispose of for a stated purpose, within a period, and the
grants Samarbejdsforum decides from it, each tied to the minutes item that decided it.

Amounts are Decimal kroner with two decimals (øre), never float."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from forums.models import Organisation
from meetings.models import Meeting

MONEY = {"max_digits": 14, "decimal_places": 2}


class Pool(models.Model):
    """A pool: purpose, amount, the City Council's authorisation (date and case reference)
    and the period within which grants may be decided."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("address name"),
        max_length=80,
        unique=True,
        error_messages={"unique": _("A funding pool with this address name already exists.")},
    )
    purpose = models.TextField(_("purpose"))
    amount = models.DecimalField(_("amount (DKK)"), **MONEY)
    authorised_on = models.DateField(_("authorised by the City Council on"), null=True, blank=True)
    authorisation_reference = models.CharField(
        _("City Council case reference"), max_length=100, blank=True
    )
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"), db_index=True)
    is_public = models.BooleanField(
        _("public summary"),
        default=False,
        help_text=_("Shows purpose, amount and grants on the public page /puljer/."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period_start", "name"]
        verbose_name = _("funding pool")
        verbose_name_plural = _("funding pools")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="pool_amount_positive",
                violation_error_message=_("The amount must be more than 0 kr."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="pool_period_valid",
                violation_error_message=_("The period must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("pools:detail", kwargs={"slug": self.slug})

    @property
    def is_authorised(self) -> bool:
        """The City Council's authorisation is recorded (a date and a case reference)."""
        return bool(self.authorised_on and self.authorisation_reference)


class GrantStatus(models.TextChoices):
    PENDING = "pending", _("Decided, awaiting approved minutes")
    FINAL = "final", _("Final (minutes approved)")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Grant(models.Model):
    """Money granted from a pool by a Samarbejdsforum decision: pending (it already reserves
    its amount) until the minutes that decided it are approved, then final."""

    Status = GrantStatus

    pool = models.ForeignKey(Pool, on_delete=models.PROTECT, related_name="grants")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="pool_grants", verbose_name=_("meeting")
    )
    minutes_item = models.ForeignKey(
        "minutes.MinutesItem",
        on_delete=models.PROTECT,
        related_name="pool_grants",
        verbose_name=_("minutes item"),
    )
    amount = models.DecimalField(_("amount (DKK)"), **MONEY)
    recipient_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pool_grants",
        verbose_name=_("housing organisation"),
    )
    recipient_project = models.CharField(_("project"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=GrantStatus.choices, default=GrantStatus.PENDING
    )
    finalised_at = models.DateTimeField(_("final since"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["pool", "created_at", "pk"]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="grant_amount_positive",
                violation_error_message=_("The amount must be more than 0 kr."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=GrantStatus.values), name="grant_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(recipient_organisation__isnull=False) | ~Q(recipient_project=""),
                name="grant_has_recipient",
                violation_error_message=_("Name the housing organisation or the project."),
            ),
            models.CheckConstraint(
                condition=Q(status=GrantStatus.FINAL) | Q(finalised_at__isnull=True),
                name="grant_final_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} – {self.amount} kr."

    @property
    def recipient(self) -> str:
        """The housing organisation, the project, or both (»Fsb: Tingbjerg-projektet«)."""
        names = [self.recipient_organisation.name if self.recipient_organisation else ""]
        names.append(self.recipient_project)
        return ": ".join(n for n in names if n)


ZERO = Decimal("0.00")
