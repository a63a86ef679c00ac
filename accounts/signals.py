"""Signal receivers of the accounts app, connected in AccountsConfig.ready()."""

from typing import Any

from accounts import second_factor


def mark_second_step_pending(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """At sign-in, mark the session of a user who has a second-factor device (a member who
    opted in) as owing the second step; the secretariat's role is checked on each request."""
    if request is None or not hasattr(request, "session"):
        return
    if not second_factor.is_exempt(user) and second_factor.has_device(user):
        request.session[second_factor.PENDING_SESSION_KEY] = True
