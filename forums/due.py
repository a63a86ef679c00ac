"""Forums' sources of the registry of what is due (core/due.py, issue 14 §3 and §6).

Members without an e-mail address in the secretariat's cockpit.

"member_without_email": every current membership (any forum) whose person has no e-mail
address: calls, agendas and minutes cannot reach them. One item per membership, dated by
the day the membership began (it was due then); one query.
"""

from collections.abc import Iterator
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.due import DueItem
from core.workdays import act_by, end_of_day, local_day
from forums.models import Membership, ThemeGroup


def members_without_email(*, now: datetime, until: datetime) -> Iterator[DueItem]:
    """Current memberships (at `now`'s local day) of people with an empty e-mail address."""
    today = local_day(now)
    rows = (
        Membership.objects.current(today)
        .filter(person__email="")
        .select_related("person", "forum")
        .order_by("forum__position", "person__name")
    )
    for membership in rows:
        day = membership.starts_on
        yield DueItem(
            kind="member_without_email",
            label=str(_("Member without an e-mail address")),
            due=end_of_day(day),
            act_on=act_by(day),
            url=reverse("secretariat:person_edit", args=[membership.person_id]),
            forum_name=membership.forum.name,
            forum_id=membership.forum_id,
            rule=str(_("Calls and agendas go by e-mail")),
            detail=membership.person.name,
        )


def register() -> None:
    from core.due import due_source_register

    due_source_register("member_without_email", members_without_email)


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
            url = reverse("secretariat:theme_group_report_new", args=[group.pk])
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
