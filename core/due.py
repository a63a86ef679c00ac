"""What is due, as a registry (issue 14 §3, §7): the secretariat's cockpit asks every app.

Each app registers, from its `AppConfig.ready()`, one or more *sources*:
`due_source_register("minutes", source)`. A source is called as
`source(now=<aware datetime>, until=<aware datetime>)` and yields a `DueItem` for every
deadline of its kind that is not yet met and falls at or before `until` (so everything
overdue as well as what is coming). `due_items(now=…, until=…)` collects them, overdue first,
then by date. `core` imports no app; the cockpit page and the year wheel read only this.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class DueItem:
    """One deadline that someone must act on.

    `kind`: a stable key ("proposals_close", "agenda_due", "minutes_due", …), used for
    filters and tests; `label`: the rule's name for people (lazy/translated Danish);
    `due`: the aware moment the deadline falls; `act_on`: the working day to act on (the
    last working day at or before `due`'s local day: `meetings.deadlines.act_by`);
    `url`: the site path where it is done; `forum_name` / `meeting_label`: what it belongs
    to ("" when none); `rule`: where the rule comes from (e.g. "Kommissorium §3"), may be
    ""; `detail`: one short extra line (a count, a name), may be ""; `forum_id` for filters.
    """

    kind: str
    label: str
    due: datetime
    act_on: date
    url: str
    forum_name: str = ""
    meeting_label: str = ""
    rule: str = ""
    detail: str = ""
    forum_id: int | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def overdue(self, now: datetime) -> bool:
        """True when `due` lies before `now`."""
        return self.due < now


DueSource = Callable[..., Iterable[DueItem]]

DUE_SOURCES: dict[str, DueSource] = {}


def due_source_register(key: str, source: DueSource) -> None:
    """Register `source` under `key` (one per key; registering a key again replaces it,
    so a reloaded `ready()` does not double the list)."""
    DUE_SOURCES[key] = source


def due_items(*, now: datetime, until: datetime) -> list[DueItem]:
    """Every registered source's items due at or before `until` and not yet met, overdue
    first, then by `due`. `now` and `until` are aware datetimes; `until` >= `now`."""
    items: list[DueItem] = []
    for source in DUE_SOURCES.values():
        items.extend(source(now=now, until=until))
    return sorted(items, key=lambda item: (not item.overdue(now), item.due, item.kind))
