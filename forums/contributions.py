"""What `forums` adds to pages of the apps below it (core/contributions.py)."""

from core.contributions import contribution_register


def _home(request) -> dict:
    from forums.selectors import forum_list

    return {"forums": forum_list()}


def _account_page(request) -> dict:
    from forums.selectors import forums_for_user, person_for_user

    return {"person": person_for_user(request.user), "forums": forums_for_user(request.user)}


def register() -> None:
    """Called from ForumsConfig.ready()."""
    contribution_register("home", _home)
    contribution_register("account_page", _account_page)
