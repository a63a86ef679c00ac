"""What other apps do with a meeting's minutes, as registries (issue 10 §1, §4).

`minutes` sits below the apps that hang things on a decision (funding pools, the framework
agreement), so it must not import them. Instead:

- *on approved*: `minutes_approved_register(key, hook)`; the approval
  (`minutes.services.minutes_approve_many`, which `minutes_approve` uses for one set) calls
  `minutes_approved_run(approvals)` inside the transaction that approves the minutes,
  exactly once per approval (the approval is a compare-and-set), with every set of the
  batch at once, so that a hook can keep its queries constant in the number of sets. A hook
  is `hook(approvals: list[Approval]) -> None`; it writes its own rows and audit entries,
  and an exception rolls the approval back with it (the sweep tries again), so the record
  and what hangs on it never disagree.
- *extras*: `minutes_extras_register(key, source)`; a source is `source(meeting) ->
  Iterable[MinutesExtra]`: documents that go out with the minutes (linked from the minutes
  page, attached to the minutes e-mail). `minutes_extras(meeting)` collects them.

Apps register from their `AppConfig.ready()`; registering a key again replaces it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Approval:
    """One set of minutes approved: its meeting, itself, and the approval's moment."""

    meeting_id: int
    minutes_id: int
    approved_at: datetime


ApprovedHook = Callable[[list[Approval]], None]

APPROVED_HOOKS: dict[str, ApprovedHook] = {}


def minutes_approved_register(key: str, hook: ApprovedHook) -> None:
    """Call `hook(approvals)` whenever minutes are approved (a batch of one or more)."""
    APPROVED_HOOKS[key] = hook


def minutes_approved_run(approvals: list[Approval]) -> None:
    """Run every registered hook (in registration order) for the approvals of one batch."""
    if not approvals:
        return
    for hook in APPROVED_HOOKS.values():
        hook(approvals)


@dataclass(frozen=True)
class MinutesExtra:
    """A document that goes out with a meeting's minutes.

    `label`: what the minutes page and e-mail call it (Danish); `url`: its site path (the
    page links it); `filename` and `content()`: the attachment (`content()` returns the
    PDF's bytes, or None when it is not rendered yet: then only the link goes out);
    `mimetype` of the attachment."""

    label: str
    url: str
    filename: str = ""
    content: Callable[[], bytes | None] | None = None
    mimetype: str = "application/pdf"


ExtrasSource = Callable[[Any], Iterable[MinutesExtra]]

EXTRAS_SOURCES: dict[str, ExtrasSource] = {}


def minutes_extras_register(key: str, source: ExtrasSource) -> None:
    """Add `source(meeting)` to what goes out with a meeting's minutes."""
    EXTRAS_SOURCES[key] = source


def minutes_extras(meeting: Any) -> list[MinutesExtra]:
    """Every registered source's documents for `meeting` (a meetings.Meeting)."""
    extras: list[MinutesExtra] = []
    for source in EXTRAS_SOURCES.values():
        extras.extend(source(meeting))
    return extras
