"""Theme groups' reports to the forum that set them up (issue 14 §6). The group's report
dates (ThemeGroup.first_report_on, report_every_months, report_due_dates) stay in forums."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forums.models import ThemeGroup
from meetings.storage import get_private_storage


def report_document_path(instance: "ThemeGroupReportDocument", filename: str) -> str:
    """Where a report's document is stored in the private storage: `theme-group-reports/
    YYYY/MM/<random hex>/<filename>` (a fresh folder per file, so names never collide)."""
    return f"theme-group-reports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}/{filename}"


class ThemeGroupReport(models.Model):
    """A theme group's report to the forum that set it up, submitted by the secretariat on
    the group's behalf (issue 14 §6). It becomes a proposal (`proposal`) for the forum's
    next meeting whose proposal window is open; until there is one it waits (`proposal`
    empty: »afventer næste møde«) and the sweep proposes it when a meeting is called."""

    theme_group = models.ForeignKey(
        ThemeGroup, on_delete=models.PROTECT, related_name="reports", verbose_name=_("theme group")
    )
    due_on = models.DateField(
        _("report due on"),
        null=True,
        blank=True,
        help_text=_("The report date it answers; empty for a report between the dates."),
    )
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("report"))
    submitted_at = models.DateTimeField(_("submitted"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposal = models.OneToOneField(
        "meetings.Proposal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="theme_group_report",
        verbose_name=_("agenda proposal"),
    )
    proposed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("theme group report")
        verbose_name_plural = _("theme group reports")
        constraints = [
            models.UniqueConstraint(
                fields=["theme_group", "due_on"],
                condition=Q(due_on__isnull=False),
                name="theme_group_report_once_per_date",
                violation_error_message=_("A report for this date has already been submitted."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def waiting(self) -> bool:
        """True until the report has become a proposal (»afventer næste møde«)."""
        return self.proposal_id is None


class ThemeGroupReportDocument(models.Model):
    """A document of a report, checked by its content as agenda attachments are
    (meetings.attachments.validate_upload); it goes along with the proposal."""

    report = models.ForeignKey(ThemeGroupReport, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(
        storage=get_private_storage, upload_to=report_document_path, max_length=300
    )
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name
