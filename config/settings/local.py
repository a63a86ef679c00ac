"""`make run`: the embedded defaults (SQLite and a file-system broker in var/)."""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")

from .base import *  # noqa: E402,F403
from .base import VAR_DIR  # noqa: E402

if not os.environ.get("EMAIL_URL") and not os.environ.get("EMAIL_HOST"):
    # No SMTP server on a developer's machine: every e-mail lands as a file in var/mail.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")

# The demo logins printed by `make run` (demo/management/commands/seed_demo.py) sign in
# with the password alone. Never in production: config/settings/production.py refuses it.
SECOND_FACTOR_EXEMPT_EMAILS = ["sekretariat@example.org", "admin@example.org"]
# The demo data (seed_demo) may be loaded here.
DEMO_DATA_ALLOWED = True
