"""Secretariat sessions end after a while idle and after a working day, whatever happens.

A member's session keeps Django's defaults (SESSION_COOKIE_AGE); a signed-in secretariat
user (the group settings.SECRETARIAT_GROUP, staff or superuser) can change everything, so
an unattended browser is signed out sooner.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

SIGNED_IN_AT = "signin_at"  # POSIX seconds, set when the user signs in
SEEN_AT = "signin_seen_at"  # POSIX seconds of the last request


def has_short_session(user) -> bool:
    """True for the secretariat, staff and superusers: their sessions expire early."""
    return user.is_authenticated and (user.is_staff or user.is_superuser or user.is_secretariat)


@receiver(user_logged_in)
def _record_sign_in(sender, request: HttpRequest, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        now = timezone.now().timestamp()
        request.session[SIGNED_IN_AT] = now
        request.session[SEEN_AT] = now


def session_expiry_reason(session, *, now: float) -> str | None:
    """Why a short session has ended at ``now`` (POSIX seconds), or None if it has not.

    Idle: more than SECRETARIAT_SESSION_IDLE_MINUTES since the last request.
    Absolute: more than SECRETARIAT_SESSION_MAX_HOURS since signing in (OWASP Session
    Management Cheat Sheet, "idle" and "absolute" timeouts). A session from before this
    rule (no timestamps) counts from now.
    """
    signed_in = session.setdefault(SIGNED_IN_AT, now)
    seen = session.get(SEEN_AT, now)
    idle = timedelta(minutes=settings.SECRETARIAT_SESSION_IDLE_MINUTES).total_seconds()
    absolute = timedelta(hours=settings.SECRETARIAT_SESSION_MAX_HOURS).total_seconds()
    if now - signed_in > absolute:
        return "absolute"
    if now - seen > idle:
        return "idle"
    return None


class SecretariatSessionMiddleware:
    """Sign out a secretariat session that is idle or too old; otherwise note the activity.

    Must come after AuthenticationMiddleware and MessageMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and has_short_session(user):
            now = timezone.now().timestamp()
            reason = session_expiry_reason(request.session, now=now)
            if reason is None:
                request.session[SEEN_AT] = now
            else:
                logout(request)
                messages.info(request, self._message(reason))
        return self.get_response(request)

    @staticmethod
    def _message(reason: str) -> str:
        if reason == "idle":
            return _(
                "You were signed out after %(minutes)s minutes without activity. Sign in again."
            ) % {"minutes": settings.SECRETARIAT_SESSION_IDLE_MINUTES}
        return _("You were signed out after %(hours)s hours. Sign in again.") % {
            "hours": settings.SECRETARIAT_SESSION_MAX_HOURS
        }
