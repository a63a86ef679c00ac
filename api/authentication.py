"""The API authenticates no one; it only leaves the site's own sign-in where it was."""

from rest_framework.authentication import BaseAuthentication


class SiteUserUntouched(BaseAuthentication):
    """Hands DRF the user Django's middleware already found (or no one), so that DRF,
    which writes its user back onto the Django request, does not turn a signed-in person
    into an anonymous one: the site's middleware then still marks their answers
    `private, no-store` (core/middleware.py) and the page cache still skips them
    (core/cache_stamps.py). No session authentication of DRF's, so no CSRF check: the API
    takes no writes. Every endpoint is AllowAny and shows the same public data to all."""

    def authenticate(self, request):
        user = getattr(request._request, "user", None)
        if user is not None and user.is_authenticated:
            return (user, None)
        return None
