"""Pages for signed-in people are never stored by a browser or a cache on the way."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


def is_private_response(request: HttpRequest) -> bool:
    """True when the answer to ``request`` must not be stored anywhere.

    Every answer to a signed-in user is private (even a public page carries their name
    and their menu); so is every answer to an anonymous visitor outside
    ``settings.PUBLIC_PAGES`` (URL names), e.g. a personal calendar feed reached by its
    secret address, a sign-in redirect or a 404.
    """
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    match = getattr(request, "resolver_match", None)
    return match is None or match.view_name not in settings.PUBLIC_PAGES


class PrivateCacheMiddleware:
    """Adds ``Cache-Control: private, no-store`` (RFC 9111 §5.2.2.3, §5.2.2.7) to every
    private response, keeping directives a view set (e.g. never_cache's)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_private_response(request):
            patch_cache_control(response, private=True, no_store=True)
        return response
