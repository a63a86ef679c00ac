"""The secretariat's cockpit, »Hvad skal jeg nå?« (issue 14 §3): what core.due's sources
say is due, split into overdue and the coming weeks, optionally for one forum."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from core.due import DueItem, due_items

# The cockpit looks this far ahead; everything overdue is shown whatever its age.
COCKPIT_WEEKS = 8


@dataclass(frozen=True)
class Cockpit:
    """`overdue`: items whose moment has passed, oldest first; `coming`: items due from
    `now` to `until` (now + COCKPIT_WEEKS weeks), soonest first."""

    now: datetime
    until: datetime
    overdue: list[DueItem]
    coming: list[DueItem]

    @property
    def empty(self) -> bool:
        return not self.overdue and not self.coming


def cockpit(*, now: datetime, forum_id: int | None = None) -> Cockpit:
    """The cockpit at `now` (aware). With `forum_id`, only that forum's items (items that
    belong to no forum — the outbox, agreements — are left out then). Each registered
    source runs its own constant number of queries. For the secretariat only: callers
    check the permission."""
    until = now + timedelta(weeks=COCKPIT_WEEKS)
    items = due_items(now=now, until=until)
    if forum_id is not None:
        items = [item for item in items if item.forum_id == forum_id]
    return Cockpit(
        now=now,
        until=until,
        overdue=[item for item in items if item.overdue(now)],
        coming=[item for item in items if not item.overdue(now)],
    )
