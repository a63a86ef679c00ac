"""Production: DEBUG off, HTTPS only, secrets from the environment."""

from config.env import env_bool, env_int

from .base import *  # noqa: F403
from .base import DEBUG, SECOND_FACTOR_EXEMPT_EMAILS

if DEBUG:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("DJANGO_DEBUG must be false with the production settings.")
if SECOND_FACTOR_EXEMPT_EMAILS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "SECOND_FACTOR_EXEMPT_EMAILS must be empty with the production settings: "
        "every secretariat account needs its second factor."
    )

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
