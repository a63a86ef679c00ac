"""The theme groups' reports as a source of the registry of what is due (core/due.py,
key "theme_group_reports"; issue 14 §6): every report date a forum has set for a theme
group (ThemeGroup.report_due_dates) that no report answers yet, overdue ones included."""

from collections.abc import Iterator
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.due import DueItem
from forums.models import ThemeGroup
from meetings.deadlines import act_by, end_of_day, local_day

RULE = _("Kommissorium: theme groups report to the forum that set them up")


def theme_group_reports_due(*, now: datetime, until: datetime) -> Iterator[DueItem]:
    """One DueItem (kind "theme_group_report") per unanswered report date at or before
    `until`'s local day: due at the end of that Copenhagen day, to act on by the working
    day before when it is a weekend or holiday, linking to the report form with the date
    chosen. `now` is unused beyond the registry's signature (overdue is the reader's)."""
    last = local_day(until)
    groups = (
        ThemeGroup.objects.filter(first_report_on__lte=last)
        .select_related("forum")
        .prefetch_related("reports")
        .order_by("pk")
    )
    for group in groups:
        answered = {report.due_on for report in group.reports.all()}
        for day in group.report_due_dates(until=last):
            if day in answered:
                continue
            url = reverse("theme_reports:report_new", args=[group.pk])
            yield DueItem(
                kind="theme_group_report",
                label=_("Theme group report due"),
                due=end_of_day(day),
                act_on=act_by(day),
                url=f"{url}?frist={day.isoformat()}",
                forum_name=group.forum.name,
                rule=str(RULE),
                detail=group.name,
                forum_id=group.forum_id,
            )
