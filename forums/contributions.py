"""What `forums` adds to pages of the apps below it (core/contributions.py)."""

from core.contributions import contribution_register


def _home(request) -> dict:
    from forums.selectors import forum_list

    return {"forums": forum_list()}


def register() -> None:
    """Called from ForumsConfig.ready()."""
    contribution_register("home", _home)
