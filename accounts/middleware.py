"""The second step of signing in, enforced before any page opens."""

from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from accounts.second_factor import session_needs_second_step


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
