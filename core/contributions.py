"""What an app higher up adds to a page or an output of an app lower down (issue 14 §7).

The import arrows run one way only: `core` and `notifications` below all, then `accounts`,
`forums` ← `meetings` ← `minutes` ← `agreements`, and the apps built on those above them
(`tests/test_architecture.py` checks it with import-linter). Where a lower app's page shows
something a higher app owns — the forum page lists meetings, a meeting's page links its
minutes, the agenda's standing item names the agreement in force — the lower app asks this
registry at a named *point*, and the higher app registers its part there from its
`AppConfig.ready()`. Every point, with the call it makes and the shape it expects back:
"""

from collections.abc import Callable
from typing import Any

POINTS: dict[str, str] = {
    # Pages: each contributor returns a dict merged into the template context.
    "home": "fn(request) -> dict: the front page's context",
    "account_page": "fn(request) -> dict: the signed-in user's own page (/konto/)",
    "forum_page": "fn(request, forum) -> dict: the public forum page's context",
    "meeting_public": "fn(request, meeting) -> dict: the public meeting page's context",
    "meeting_member": "fn(request, meeting) -> dict: the members' meeting page's context",
    "theme_group_page": (
        "fn(request, theme_group) -> dict: the secretariat's theme group page's context"
    ),
    # Lists: each contributor annotates the objects in place and returns None.
    "archive_meetings": (
        "fn(request, meetings: list[Meeting]) -> None: set attributes shown in the archive"
    ),
    # Outputs: each contributor returns its part; the caller combines them.
    "agenda_standing_text": (
        "fn(forum, item: AgendaItem) -> str: the text of a standing item this app owns, "
        "'' for any other item"
    ),
    "agenda_follow_up": (
        "fn(meeting) -> list[str]: one line per open follow-up action of the meeting's forum"
    ),
    "personal_feed_deadlines": (
        "fn(meetings: list[Meeting]) -> list[dict]: deadlines for the member's feed, each "
        "{'meeting_id': int, 'uid': str, 'summary': str, 'at': aware datetime, "
        "'stamp': aware datetime}"
    ),
    "year_wheel": (
        "fn(year: int) -> dict | None: a section of the year wheel (page and PDF): "
        "{'template': name, ...data the template reads as `section`}; None when none"
    ),
    "user_admin_actions": "fn -> an admin action (a callable with `short_description`) on users",
}

CONTRIBUTIONS: dict[str, list[Callable[..., Any]]] = {point: [] for point in POINTS}


def contribution_register(point: str, fn: Callable[..., Any]) -> None:
    """Add `fn` at `point` (one of POINTS; a KeyError names an unknown point). Registering
    the same function twice has no effect, so a repeated `ready()` does not double it."""
    if point not in POINTS:
        raise KeyError(f"No contribution point {point!r}; known: {', '.join(POINTS)}")
    if fn not in CONTRIBUTIONS[point]:
        CONTRIBUTIONS[point].append(fn)


def contributions(point: str) -> list[Callable[..., Any]]:
    """The functions registered at `point`, in the order of registration."""
    return list(CONTRIBUTIONS[point])


def contributed_context(point: str, *args: Any) -> dict:
    """Call every contributor at a page point with `args` and merge the dicts they return
    (a later app's key wins; apps use distinct keys)."""
    context: dict = {}
    for fn in CONTRIBUTIONS[point]:
        context.update(fn(*args))
    return context
