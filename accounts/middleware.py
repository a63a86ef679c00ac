"""Sign-in middleware: the second step is owed before any page opens, and secretariat
sessions end after a while idle and after a working day, whatever happens.

A member's session keeps Django's defaults (SESSION_COOKIE_AGE); a signed-in secretariat
user (the group settings.SECRETARIAT_GROUP, staff or superuser) can change everything, so
an unattended browser is signed out sooner.
"""

from collections.abc import Callable
from datetime import timedelta
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.second_factor import session_needs_second_step

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


def _open_prefixes() -> tuple[str, ...]:
    """Paths a half-signed-in user may still open: the second step and its setup (with the
    passkey endpoints under it), signing out, static files and the health check."""
    return (
        reverse("accounts:second_factor"),
        reverse("accounts:logout"),
        reverse("core:healthz"),
        settings.STATIC_URL,
    )


class SecondFactorMiddleware:
    """Send a signed-in user who still owes a second factor to the second step, then back.

    Who owes one is decided by accounts.second_factor.session_needs_second_step: the
    secretariat, staff and superusers always (ASVS 4.0 V2.7/V2.8, level 2), members once
    they have opted in. Every other path (secretariat pages, /admin/, members' pages) answers
    a redirect to /konto/totrin/?next=<the path>; the second step sends a user without a
    device on to set one up. Must come after django_otp.middleware.OTPMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(_open_prefixes()) and session_needs_second_step(request):
            target = reverse("accounts:second_factor")
            return HttpResponseRedirect(f"{target}?next={quote(request.get_full_path())}")
        return self.get_response(request)
