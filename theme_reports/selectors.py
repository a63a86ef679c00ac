"""Permission-free reads of theme groups' reports for the secretariat's pages (the views
that call them are secretariat-only)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from forums.models import ThemeGroup
from minutes.models import MinutesItem
from theme_reports.models import ThemeGroupReport


@dataclass(frozen=True)
class ReportDate:
    """One of a theme group's report dates that no report answers yet."""

    day: date
    overdue: bool


def theme_group_report_dates_open(theme_group: ThemeGroup, *, until: date) -> list[date]:
    """The group's report dates up to `until` (ThemeGroup.report_due_dates) that no report
    answers yet, oldest first."""
    answered = set(theme_group.reports.exclude(due_on=None).values_list("due_on", flat=True))
    return [day for day in theme_group.report_due_dates(until=until) if day not in answered]


def theme_group_report_dates(
    group: ThemeGroup, *, today: date | None = None, ahead: int = 1
) -> list[ReportDate]:
    """The group's unanswered report dates up to `today` (overdue ones, oldest first) and
    the next `ahead` ones after it; [] when the forum has set no report date."""
    today = today or timezone.localdate()
    horizon = date(today.year + 3, today.month, 1)
    days = theme_group_report_dates_open(group, until=horizon)
    past = [d for d in days if d < today]
    coming = [d for d in days if d >= today][:ahead]
    return [ReportDate(d, d < today) for d in [*past, *coming]]


def theme_group_reports(group: ThemeGroup) -> QuerySet[ThemeGroupReport]:
    """The group's reports, newest first, with the trail each has made: the proposal and
    its meeting, the agenda item it became, and that item's minutes (their decision);
    for the secretariat's theme group page."""
    decided = (
        MinutesItem.objects.exclude(minutes__status="draft").exclude(decision="").order_by("pk")
    )
    return group.reports.select_related(
        "proposal__meeting__forum", "proposal__agenda_item", "submitted_by"
    ).prefetch_related(
        "documents",
        Prefetch("proposal__agenda_item__minutes_items", queryset=decided, to_attr="decisions"),
    )
