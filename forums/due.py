"""Members without an e-mail address in the secretariat's cockpit (core.due, issue 14 §3).

"member_without_email": every current membership (any forum) whose person has no e-mail
address: calls, agendas and minutes cannot reach them. One item per membership, due at the
end of today: a missing address is to be fixed now, but it is no deadline that passed long
ago (dating it by the membership's start put 16-year-old »overdue« rows first); one query.
"""

from collections.abc import Iterator
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.due import DueItem
from core.workdays import act_by, end_of_day, local_day
from forums.models import Membership


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
        day = today
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
