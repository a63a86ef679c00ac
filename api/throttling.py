"""The anonymous clients' rate limit."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousRate(AnonRateThrottle):
    """At most settings.API_ANON_THROTTLE_RATE ("<n>/<second|minute|hour|day>") answers
    rendered for one client address; over it, 429 with Retry-After (RFC 6585 §4). Read at
    each request, so a changed setting applies (DRF's own class reads it once, at import).
    Answers from the public page cache never reach the view and are not counted."""

    def get_rate(self) -> str:
        return settings.API_ANON_THROTTLE_RATE
