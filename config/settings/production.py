"""Production: DEBUG off, HTTPS only, secrets from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int

from .base import *  # noqa: F403
from .base import ACCESSIBILITY_CONTACT_EMAIL, DEBUG, SECOND_FACTOR_EXEMPT_EMAILS, SECRET_KEY

# What would hurt in production stops start-up, naming the variable to fix.
MIN_SECRET_KEY_LENGTH = 50
PLACEHOLDER_MARKERS = ("change-me", "insecure", "dummy", "example")

if len(SECRET_KEY) < MIN_SECRET_KEY_LENGTH or any(
    marker in SECRET_KEY.lower() for marker in PLACEHOLDER_MARKERS
):
    raise ImproperlyConfigured(
        f"The environment variable SECRET_KEY must be a random value of at least "
        f"{MIN_SECRET_KEY_LENGTH} characters, not a placeholder. Generate one with: "
        "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured(
        "The environment variable DATABASE_URL must be set with the production settings "
        "(postgres://user:password@host:5432/name); they never fall back to SQLite."
    )
if ACCESSIBILITY_CONTACT_EMAIL.endswith(".example"):
    raise ImproperlyConfigured(
        "The environment variable ACCESSIBILITY_CONTACT_EMAIL must be the real address for "
        "accessibility questions, not the example address."
    )

if DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be false with the production settings.")
if SECOND_FACTOR_EXEMPT_EMAILS:
    raise ImproperlyConfigured(
        "SECOND_FACTOR_EXEMPT_EMAILS must be empty with the production settings: "
        "every secretariat account needs its second factor."
    )

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
# Health probes (and the metrics scrape) come over plain HTTP from inside the deployment (compose, an orchestrator).
# /metrics too: Prometheus scrapes inside the deployment; its bearer token guards it.
SECURE_REDIRECT_EXEMPT = [r"^healthz(/live)?$", r"^metrics$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
