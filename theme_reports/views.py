"""The secretariat's pages for theme groups' reports: the report form and a document's
download (the reports' trail shows on forums' theme group page, core/contributions.py)."""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.permissions import secretariat_required
from core.forms import call_service
from core.pages import form_page
from forums.models import ThemeGroup
from theme_reports import selectors, services
from theme_reports.forms import ThemeGroupReportForm
from theme_reports.models import ThemeGroupReportDocument


@secretariat_required
def theme_group_report_new(request, pk: int):
    """The secretariat submits a report on the theme group's behalf; it becomes a proposal
    to the parent forum's next meeting that takes proposals, or waits for one."""
    group = get_object_or_404(ThemeGroup.objects.select_related("forum"), pk=pk)
    dates = [row.day for row in selectors.theme_group_report_dates(group)]
    wanted = request.GET.get("frist", "")
    initial = {"due_on": wanted if wanted in {d.isoformat() for d in dates} else ""}
    form = ThemeGroupReportForm(
        request.POST or None, request.FILES or None, dates=dates, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        report = call_service(
            form,
            lambda: services.theme_group_report_submit(
                actor=request.user, theme_group=group, **form.cleaned_data
            ),
        )
        if report:
            messages.success(request, _report_outcome(report))
            return redirect("secretariat:theme_group", pk=pk)
    return form_page(
        request,
        form,
        title=_("Report from %(name)s") % {"name": group.name},
        intro=_(
            "The report becomes a proposal for the next meeting of %(forum)s that takes "
            "proposals; if none does, it waits for the next meeting to be called."
        )
        % {"forum": group.forum.name},
        cancel_url=reverse("secretariat:theme_group", args=[pk]),
        multipart=True,
    )


def _report_outcome(report) -> str:
    if report.waiting:
        return _(
            "The report is saved. No meeting of %(forum)s takes proposals now: it waits for "
            "the next meeting."
        ) % {"forum": report.theme_group.forum.name}
    return _("The report is saved and proposed for the meeting of %(forum)s on %(day)s.") % {
        "forum": report.theme_group.forum.name,
        "day": date_format(timezone.localtime(report.proposal.meeting.starts_at), "j. F Y"),
    }


@secretariat_required
def theme_group_report_document(request, pk: int):
    """A report's document as a download (secretariat only; 404 for an unknown pk)."""
    document = get_object_or_404(ThemeGroupReportDocument, pk=pk)
    response = FileResponse(document.file.open("rb"), as_attachment=True, filename=document.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
