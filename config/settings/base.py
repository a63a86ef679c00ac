"""Settings shared by every environment. The other modules change only what they must."""

from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    email_settings_from_url,
    env_bool,
    env_choice,
    env_float,
    env_int,
    env_list,
    env_str,
    env_url,
)
from config.logformat import LOG_DATEFMT, LOG_FORMAT
from config.proxies import ipware_settings

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", required=not DEBUG) or "insecure-local-development-key-change-me"
# Old keys, newest first, still accepted for signatures (sessions, password-reset and
# invitation links) while a new SECRET_KEY takes over: rotate without signing anyone out.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000", {"http", "https"}).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "simple_history",
    "django_prometheus",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "core",
    "accounts",
    "notifications",
    "forums",
    "meetings",
    "minutes",
    "agreements",
    "dialogue",
    "pools",
    "search",
    "members",
    "theme_reports",
    "demo",  # seed_demo: above every app (it uses all their services)
    # The open, read-only API (issue 10 §6): on top of every app, imported by none.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "api",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # CORS headers for GET under /api/ only (CORS_URLS_REGEX); before CommonMiddleware.
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Which second factor (if any) verified this session: request.user.is_verified().
    "django_otp.middleware.OTPMiddleware",
    "core.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SecretariatSessionMiddleware",
    # The secretariat, staff and members who opted in finish the second step first.
    "accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must be last: it answers locked-out sign-in attempts.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accounts.context_processors.roles",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env_url(
    "DATABASE_URL",
    f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
    {"sqlite", "postgres", "postgresql", "pgsql"},
)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
# A persistent connection is tested before each request reuses it, so a PostgreSQL restart
# costs no request a 500.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The worker, beat and the web server share one SQLite file: wait for locks, and
    # take the write lock at the start of a transaction so that two writers queue
    # instead of failing half-way.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and sign-in --------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3  # an invitation or reset link lasts three days
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Lock out a user name only from the address that keeps failing: an attacker elsewhere
# cannot lock a colleague out, and the lock lifts by itself after a short cool-off.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_CALLABLE = "accounts.signin.axes_username"
# The client's real address behind AXES_PROXY_COUNT reverse proxies (the deployment's
# TLS proxy: 1); see config/proxies.py. (The setting is not called AXES_PROXY_COUNT:
# axes reads that name as a deprecated setting.)
TRUSTED_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)
globals().update(ipware_settings(TRUSTED_PROXY_COUNT))
AXES_VERBOSE = False

# "Forgot your password?": at most this many links to one address, and this many
# requests from one client address, per hour; over the limit nothing is sent.
PASSWORD_RESET_MAX_PER_ADDRESS = env_int("PASSWORD_RESET_MAX_PER_ADDRESS", 3)
PASSWORD_RESET_MAX_PER_CLIENT = env_int("PASSWORD_RESET_MAX_PER_CLIENT", 10)
PASSWORD_RESET_LIMIT_WINDOW = timedelta(hours=1)

SECRETARIAT_GROUP = "Sekretariat"
# The secretariat's (and staff's) sessions end after this long without a request, and
# this long after signing in, whatever happens; members keep SESSION_COOKIE_AGE.
SECRETARIAT_SESSION_IDLE_MINUTES = env_int("SECRETARIAT_SESSION_IDLE_MINUTES", 30)
SECRETARIAT_SESSION_MAX_HOURS = env_int("SECRETARIAT_SESSION_MAX_HOURS", 10)

# The pages anyone may read without signing in (URL names). core.middleware sends
# "Cache-Control: private, no-store" with every other answer, and with every answer to a
# signed-in user. A new public page is added here (tests/test_permissions.py lists who
# may see each URL; accounts/tests/test_private_cache.py keeps the two in step).
PUBLIC_PAGES = frozenset(
    {
        "core:home",
        "core:accessibility",
        "sitemap",
        "forums:list",
        "forums:detail",
        "meetings:list",
        "meetings:public",
        "meetings:public_pdf",
        "meetings:forum_feed",
        "minutes:public",
        "minutes:public_pdf",
        "agreements:current",
        "agreements:feed",
        "agreements:detail",
        "agreements:compare",
        "agreements:version",
        "agreements:version_pdf",
        "agreements:subs",
        "agreements:sub_detail",
        "agreements:sub_document",
        "agreements:initiatives",
        "agreements:initiative",
        # The open API (api/urls.py): a new endpoint adds its -list and -detail names.
        "api:api-root",
        "api:schema",
        "api:docs",
        "api:organization-list",
        "api:organization-detail",
        "api:event-list",
        "api:event-detail",
        "api:agreement-list",
        "api:agreement-detail",
        "api:subagreement-list",
        "api:subagreement-detail",
        "api:initiative-list",
        "api:initiative-detail",
        "api:pool-list",
        "api:pool-detail",
        "meetings:embed",
        "meetings:embed_help",
    }
)

# --- Second factor (ASVS 4.0 level 2, V2.7/V2.8) ------------------------------------------
# The secretariat, staff and superusers must verify a second factor (authenticator app,
# passkey or recovery code) before any page opens; members may opt in from /konto/.
# Accounts listed here are never asked: only for the demo logins of `make run` (local.py).
# The production settings refuse to start when the list is not empty.
# `manage.py seed_demo` (demo accounts with published passwords) runs only where this is on:
# config/settings/local.py and test.py, and the benchmarks' throwaway databases.
DEMO_DATA_ALLOWED = env_bool("DEMO_DATA_ALLOWED", False)
SECOND_FACTOR_EXEMPT_EMAILS = [e.lower() for e in env_list("SECOND_FACTOR_EXEMPT_EMAILS", [])]
OTP_TOTP_ISSUER = "Fællesindgang"
OTP_TOTP_THROTTLE_FACTOR = 1  # after n failures wait 2^(n-1) seconds (django-otp)
OTP_STATIC_THROTTLE_FACTOR = 1
# Passkeys: the relying party is the site's host name. Browsers allow WebAuthn only on
# https:// or http://localhost, so a plain-http SITE_URL (make run) uses localhost.
_site = urlsplit(SITE_URL)
if _site.scheme == "https":
    OTP_WEBAUTHN_RP_ID = _site.hostname or ""
    OTP_WEBAUTHN_ALLOWED_ORIGINS = [SITE_URL]
else:
    OTP_WEBAUTHN_RP_ID = "localhost"
    OTP_WEBAUTHN_ALLOWED_ORIGINS = [
        f"http://localhost:{_site.port}" if _site.port else "http://localhost"
    ]
OTP_WEBAUTHN_RP_NAME = "Fællesindgang"
# A passkey is a second factor here, never a way to sign in without the password.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

# --- Internationalisation ----------------------------------------------------------------
LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = env_str("MEDIA_ROOT", str(VAR_DIR / "media"))
MEDIA_URL = "/media/"
# Attachments and rendered PDFs live here, outside the web root; views serve them.
PRIVATE_MEDIA_ROOT = env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private"))
# …or, with PRIVATE_S3_BUCKET set, in an S3-compatible object store (django-storages), so
# that several web and worker machines share them. The bucket must not be public: files
# are served only through the views that check who is asking.
PRIVATE_S3_BUCKET = env_str("PRIVATE_S3_BUCKET", "")
PRIVATE_S3_ENDPOINT_URL = env_str("PRIVATE_S3_ENDPOINT_URL", "") or None
PRIVATE_S3_REGION = env_str("PRIVATE_S3_REGION", "") or None
PRIVATE_S3_ACCESS_KEY_ID = env_str("PRIVATE_S3_ACCESS_KEY_ID", "") or None
PRIVATE_S3_SECRET_ACCESS_KEY = env_str("PRIVATE_S3_SECRET_ACCESS_KEY", "") or None

# Attachments ("bilag", meetings/attachments.py). Per proposal and per agenda item: at most
# ATTACHMENTS_MAX_FILES files and ATTACHMENTS_MAX_TOTAL_MB in all. Office files are ZIP
# archives; their central directory is checked, never inflated: at most so many entries, so
# many MB declared uncompressed in all, and no entry (over 1 MB) compressed harder than
# ATTACHMENTS_ARCHIVE_MAX_RATIO:1 (a zip bomb compresses ~1000:1; office XML ~5–30:1).
ATTACHMENTS_MAX_FILES = env_int("ATTACHMENTS_MAX_FILES", 20)
ATTACHMENTS_MAX_TOTAL_MB = env_int("ATTACHMENTS_MAX_TOTAL_MB", 60)
ATTACHMENTS_ARCHIVE_MAX_ENTRIES = env_int("ATTACHMENTS_ARCHIVE_MAX_ENTRIES", 5000)
ATTACHMENTS_ARCHIVE_MAX_UNCOMPRESSED_MB = env_int("ATTACHMENTS_ARCHIVE_MAX_UNCOMPRESSED_MB", 300)
ATTACHMENTS_ARCHIVE_MAX_RATIO = env_int("ATTACHMENTS_ARCHIVE_MAX_RATIO", 100)
# The search reads the text of PDF and office attachments once, in a Celery task
# (meetings.attachment_text): at most this many characters, this many seconds per file.
ATTACHMENT_TEXT_MAX_CHARS = env_int("ATTACHMENT_TEXT_MAX_CHARS", 200_000)
ATTACHMENT_TEXT_TIMEOUT_SECONDS = env_int("ATTACHMENT_TEXT_TIMEOUT_SECONDS", 30)

# --- E-mail -------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Fællesindgang <noreply@faellesindgang.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The secretariat's real mailbox: the ORGANIZER of every calendar invitation (replies and
# questions go there, not to the no-reply sender). "Name <address>" or an address.
SECRETARIAT_EMAIL = env_str(
    "SECRETARIAT_EMAIL", "Sekretariatet for Fællesindgang <sekretariat@faellesindgang.example>"
)
if "@" not in parseaddr(SECRETARIAT_EMAIL)[1]:
    raise ImproperlyConfigured(f"SECRETARIAT_EMAIL is not an e-mail address: {SECRETARIAT_EMAIL!r}")
EMAIL_TIMEOUT = env_float("EMAIL_TIMEOUT", 10.0)
if env_str("EMAIL_URL"):
    globals().update(email_settings_from_url(env_str("EMAIL_URL")))
else:
    EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
    EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
    EMAIL_PORT = env_int("EMAIL_PORT", 25)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if globals().get("EMAIL_USE_TLS") and globals().get("EMAIL_USE_SSL"):
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true.")
# How long the outbox keeps retrying a message that meets transient failures (the mail
# server down, timeouts, 4xx), counted from its first attempt; then it is failed for good.
OUTBOX_RETRY_HOURS = env_int("OUTBOX_RETRY_HOURS", 48)
if OUTBOX_RETRY_HOURS < 1:
    raise ImproperlyConfigured("The environment variable OUTBOX_RETRY_HOURS must be at least 1.")
# Sends to the members (agenda, revisions) wait this many minutes before any e-mail is
# written, so the secretariat can take a mistake back ("Fortryd udsendelse"); 0 sends at once.
SEND_GRACE_MINUTES = env_int("SEND_GRACE_MINUTES", 5)
if SEND_GRACE_MINUTES < 0:
    raise ImproperlyConfigured("The environment variable SEND_GRACE_MINUTES cannot be negative.")
# A PDF e-mailed to the members (the agenda, the draft and the approved minutes) is attached
# when it is at most this many MB (1 MB = 1,048,576 bytes), and linked (the members' page) when
# larger, so a large PDF does not bounce at the recipients' mail servers.
MINUTES_PDF_ATTACH_MAX_MB = env_float("MINUTES_PDF_ATTACH_MAX_MB", 5.0)
if MINUTES_PDF_ATTACH_MAX_MB < 0:
    raise ImproperlyConfigured(
        "The environment variable MINUTES_PDF_ATTACH_MAX_MB cannot be negative."
    )
# The agenda pack (the agenda with every attachment as one PDF, meetings/pack.py) goes with
# the agenda e-mail when it is at most this many MB; larger, the e-mail links it.
AGENDA_PACK_ATTACH_MAX_MB = env_float("AGENDA_PACK_ATTACH_MAX_MB", 5.0)
if AGENDA_PACK_ATTACH_MAX_MB < 0:
    raise ImproperlyConfigured(
        "The environment variable AGENDA_PACK_ATTACH_MAX_MB cannot be negative."
    )
# One LibreOffice conversion of an attachment to PDF may take this many seconds and this
# much address space (RLIMIT_AS); over either, the attachment is listed with a note.
AGENDA_PACK_CONVERT_TIMEOUT_SECONDS = env_int("AGENDA_PACK_CONVERT_TIMEOUT_SECONDS", 120)
AGENDA_PACK_CONVERT_MEMORY_MB = env_int("AGENDA_PACK_CONVERT_MEMORY_MB", 1536)
if AGENDA_PACK_CONVERT_TIMEOUT_SECONDS < 1 or AGENDA_PACK_CONVERT_MEMORY_MB < 256:
    raise ImproperlyConfigured(
        "AGENDA_PACK_CONVERT_TIMEOUT_SECONDS must be at least 1 and "
        "AGENDA_PACK_CONVERT_MEMORY_MB at least 256."
    )
ACCESSIBILITY_CONTACT_EMAIL = env_str(
    "ACCESSIBILITY_CONTACT_EMAIL", "tilgaengelighed@faellesindgang.example"
)
# The accessibility statement (/tilgaengelighed/, the Danish model): the telephone number to
# call about accessibility, and the address of the statement as published in the Agency for
# Digital Government's WAS-Tool (shown as a link when set).
ACCESSIBILITY_CONTACT_PHONE = env_str("ACCESSIBILITY_CONTACT_PHONE", "33 66 33 66")
ACCESSIBILITY_WAS_URL = env_str("ACCESSIBILITY_WAS_URL", "")

# Personal data (GDPR storage limitation, forums/retention.py and core/audit.py): contact
# data of people without a current membership, and audit entries, are erased after these.
PERSONAL_DATA_RETENTION_DAYS = env_int("PERSONAL_DATA_RETENTION_DAYS", 730)
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 5 * 365)

# /metrics for Prometheus answers only with this bearer token; unset, it does not exist.
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
# --- Cache (public pages by their data, core/cache_stamps.py) ---------------------------
# CACHE_URL=redis://host:port/db in production (shared by every web and worker process);
# without it, files in var/cache, which the web server, the worker and beat share too
# (a local-memory cache would not see the stamps the worker bumps).
CACHE_URL = env_str("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
elif CACHE_URL:
    raise ImproperlyConfigured(
        "The environment variable CACHE_URL must start with redis:// or rediss://, or be empty."
    )
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
PUBLIC_CACHE_ALIAS = "default"
# Off only to measure the uncached render (bench/); public pages are cached by default.
PUBLIC_CACHE_ENABLED = env_bool("PUBLIC_CACHE_ENABLED", True)

# --- Celery -----------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The embedded broker for `make run`: messages are files in var/broker.
    _broker_dir = VAR_DIR / "broker"
    (_broker_dir / "processed").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
elif not CELERY_BROKER_URL.startswith(("redis://", "rediss://", "memory://")):
    raise ImproperlyConfigured(
        "The environment variable CELERY_BROKER_URL must start with redis://, rediss:// "
        "or filesystem://."
    )
CELERY_TASK_IGNORE_RESULT = True
# Worker and beat log through Django's LOGGING (config/logformat.py: one format everywhere).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# With Redis, beat keeps its schedule in Redis behind a lock (celery-redbeat): a second beat
# for availability waits for the lock instead of sending every task twice, and takes over
# within CELERY_REDBEAT_LOCK_TIMEOUT seconds when the first one dies.
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
    CELERY_REDBEAT_REDIS_URL = CELERY_BROKER_URL
    CELERY_BEAT_MAX_LOOP_INTERVAL = 30
    CELERY_REDBEAT_LOCK_TIMEOUT = env_int("BEAT_LOCK_TIMEOUT_SECONDS", 150)
# How often the deadline sweep runs, and when /healthz calls it stale.
SWEEP_INTERVAL_SECONDS = env_int("SWEEP_INTERVAL_SECONDS", 300)
SWEEP_STALE_AFTER_SECONDS = env_int("SWEEP_STALE_AFTER_SECONDS", 3 * SWEEP_INTERVAL_SECONDS)

# --- Forms and pages ----------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Content Security Policy: everything comes from this site; no inline scripts or styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- The open API (/api/v1/, api/) and the embeddable snippet -----------------------------
# Read-only and open: DRF authenticates no one (no session authentication, so no CSRF;
# api/authentication.py only keeps the site's sign-in visible to its middleware), JSON for clients
# and DRF's browsable page at ?format=api; the same public selectors and page cache as the
# public pages (core/cache_stamps.py). Anonymous clients get API_ANON_THROTTLE_RATE
# uncached answers (DRF's "<n>/<second|minute|hour|day>"); copies from the cache are free.
API_PAGE_SIZE = 50
API_ANON_THROTTLE_RATE = env_str("API_ANON_THROTTLE_RATE", "120/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.SiteUserUntouched"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.JSONUnlessAsked",
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    "PAGE_SIZE": API_PAGE_SIZE,
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonymousRate"],
    # The client's address behind the deployment's proxies, as for sign-in (AXES_PROXY_COUNT).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Fællesindgangs API",
    "DESCRIPTION": (
        "Åbne data, kun til læsning, om Fællesindgangs offentlige fora: organisationer "
        "(fora) og deres medlemskaber, begivenheder (møder) med offentlige dagsordener og "
        "godkendte offentlige referater, hovedaftalens versioner, offentliggjorte "
        "delaftaler og indsatser. Feltnavnene følger Open Civic Data-konventionerne, hvor "
        "de passer, og er derfor på engelsk."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": ["api.authentication.SiteUserUntouched"],
    # The API authenticates no one: the schema names no security scheme.
    "AUTHENTICATION_WHITELIST": [],
    # Swagger UI from the installed drf-spectacular-sidecar, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# CORS (django-cors-headers): any site may GET the API from a browser; nothing else is
# cross-origin, and no credentials are sent.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
# The only pages that may be framed: /fora/<slug>/indlejr/, by these origins
# (scheme://host[:port], comma-separated; CSP frame-ancestors). Every other page: DENY.
EMBED_ALLOWED_HOSTS = env_list("EMBED_ALLOWED_HOSTS", ["https://www.kk.dk"])
for _origin in EMBED_ALLOWED_HOSTS:
    _parts = urlsplit(_origin)
    if _parts.scheme not in ("http", "https") or not _parts.netloc or _parts.path not in ("", "/"):
        raise ImproperlyConfigured(
            "The environment variable EMBED_ALLOWED_HOSTS must list origins such as "
            f"https://www.kk.dk, separated by commas; {_origin!r} is not one."
        )

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Every handler hides secret paths (reset links, calendar feeds: core/redaction.py);
# runserver's request lines ("django.server") get the same filter on their own handler.
# No mail_admins handler: a 500 e-mail would carry the request's path and headers.
LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"})
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "core.redaction.RedactSecrets"}},
    "formatters": {
        "plain": {"format": LOG_FORMAT, "datefmt": LOG_DATEFMT},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_secrets"],
        },
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact_secrets"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "axes": {"level": "WARNING"},
        "kombu.connection": {"level": "ERROR"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        # Django's own handlers (debug console, mail_admins) would write failing paths
        # unfiltered: its records go to the root handler instead.
        "django": {"handlers": [], "level": "INFO"},
    },
}
