"""Every write to theme groups' reports (issue 14 §6). A theme group reports to the forum
that set it up (MANDATES.md, "the flow between the forums"): its report becomes an agenda
proposal of that forum, with the report's documents as the proposal's attachments."""

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.errors import DomainError
from core.search import search_index
from forums.models import Forum, ThemeGroup
from meetings.attachments import check_limits, clean_name, storage_name, validate_upload
from meetings.models import Attachment, Meeting, Proposal, Treatment
from meetings.selectors import proposals_open
from theme_reports.models import ThemeGroupReport, ThemeGroupReportDocument


def _report_document_store(report: ThemeGroupReport, upload) -> ThemeGroupReportDocument:
    content_type, extension = validate_upload(upload)  # the agenda attachments' own check
    name = clean_name(upload.name, extension)
    document = ThemeGroupReportDocument(
        report=report, name=name, content_type=content_type, size=upload.size
    )
    document.file.save(storage_name(name), upload, save=False)
    document.save()
    return document


@transaction.atomic
def theme_group_report_submit(
    *,
    actor: Any,
    theme_group: ThemeGroup,
    title: str,
    text: str,
    due_on: date | None = None,
    files=(),
    now: datetime | None = None,
) -> ThemeGroupReport:
    """Store a theme group's report, submitted by the secretariat on the group's behalf,
    with its documents (PDF, DOCX, XLSX, PPTX, ODT, PNG, JPEG, checked by content as
    agenda attachments are), and make it a proposal to the parent forum's next meeting
    whose proposal window is open (`theme_group_report_propose`); without one it waits.

    `due_on`: the report date it answers (one of `theme_group_report_dates_open` up to
    today), or None for a report between the dates. Errors: DomainError (a date already
    answered, not one of the group's dates, or the group has ended); ValidationError from
    the document check (a field error on `files`)."""
    now = now or timezone.now()
    theme_group = ThemeGroup.objects.select_for_update().get(pk=theme_group.pk)
    today = timezone.localdate(now)
    if theme_group.ends_on and theme_group.ends_on < today:
        raise DomainError(_("The theme group has ended and reports no more."))
    if due_on is not None and theme_group.reports.filter(due_on=due_on).exists():
        raise DomainError({"due_on": _("A report for this date has already been submitted.")})
    if due_on is not None and due_on not in theme_group.report_due_dates(until=due_on):
        raise DomainError({"due_on": _("Choose one of the theme group's report dates.")})
    files = list(files)
    check_limits(files)
    report = ThemeGroupReport.objects.create(
        theme_group=theme_group,
        due_on=due_on,
        title=title,
        text=text,
        submitted_at=now,
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    for upload in files:
        _report_document_store(report, upload)
    audit_record(
        actor=actor,
        action="theme_group_report.submit",
        obj=report,
        data={"theme_group": theme_group.pk, "due_on": due_on.isoformat() if due_on else None},
    )
    theme_group_report_propose(report=report, now=now)
    return report


def _next_open_meeting(forum: Forum, now: datetime):
    """The forum's earliest coming meeting whose proposal window is open at `now`, or None."""
    coming = Meeting.objects.filter(
        forum=forum, status=Meeting.Status.PLANNED, is_archive=False, starts_at__gt=now
    ).order_by("starts_at", "pk")
    return next((m for m in coming if proposals_open(m, now)), None)


def theme_group_report_propose(*, report: ThemeGroupReport, now: datetime):
    """Make a waiting report an agenda proposal ("for information") of the parent forum's
    next meeting whose proposal window is open, its documents attached (the same stored
    files); return the Proposal, or None when the report has one already or no meeting
    takes proposals (it goes on waiting). Call inside a transaction that holds the report."""
    if report.proposal_id is not None:
        return None
    group = report.theme_group
    meeting = _next_open_meeting(group.forum, now)
    if meeting is None:
        return None
    proposal = Proposal.objects.create(
        meeting=meeting,
        proposer=report.submitted_by,
        title=_("Report from the theme group %(group)s: %(title)s")
        % {"group": group.name, "title": report.title},
        description=report.text,
        treatment=Treatment.ORIENTATION,
    )
    for position, document in enumerate(report.documents.all(), start=1):
        Attachment.objects.create(
            proposal=proposal,
            file=document.file.name,
            name=document.name,
            content_type=document.content_type,
            size=document.size,
            uploaded_by=report.submitted_by,
            position=position,
        )
    report.proposal, report.proposed_at = proposal, now
    report.save(update_fields=["proposal", "proposed_at"])
    audit_record(
        actor=None,
        action="theme_group_report.propose",
        obj=report,
        data={"proposal": proposal.pk, "meeting": meeting.pk},
    )
    search_index(meeting)
    return proposal


def theme_group_reports_propose_waiting(*, now: datetime) -> dict[str, int]:
    """Sweep step (core/sweep.py): every waiting report becomes a proposal as soon as its
    forum has a meeting taking proposals (one called since the report came in). Each
    report is claimed with a row lock (skip_locked), so two sweeps propose it once."""
    proposed = 0
    waiting = ThemeGroupReport.objects.filter(proposal__isnull=True).values_list("pk", flat=True)
    for pk in list(waiting):
        with transaction.atomic():
            report = (
                ThemeGroupReport.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("theme_group__forum")
                .filter(pk=pk, proposal__isnull=True)
                .first()
            )
            if report is not None and theme_group_report_propose(report=report, now=now):
                proposed += 1
    return {"proposed": proposed}
