"""Secrets in URLs kept out of log lines.

Some addresses carry a secret in their path (a password-reset or invitation link, the
personal calendar feed). Django logs the path of a request that fails (``Not Found: …``,
``Internal Server Error: …``), runserver and gunicorn log every request line. Each app
registers the shape of its secret paths from its `AppConfig.ready()` with
`secret_path_register`; `RedactSecrets` (a logging filter on every handler, see LOGGING in
config/settings/base.py) and `GunicornLogger` (gunicorn's ``--logger-class``) replace the
secret parts with "…" before a line is written.
"""

import logging
import re

_PATTERNS: list[tuple[re.Pattern[str], str]] = []

HIDDEN = "…"


def secret_path_register(pattern: str, replacement: str) -> None:
    """Hide what `pattern` (a regular expression) matches in log lines, writing
    `replacement` instead (``re.sub`` syntax: keep the non-secret parts as groups).

    Example: ``secret_path_register(r"(/kalender/)[^/\\s]+(\\.ics)", r"\\1…\\2")``."""
    compiled = re.compile(pattern)
    if all(existing.pattern != pattern for existing, _ in _PATTERNS):
        _PATTERNS.append((compiled, replacement))


def redact(text: str) -> str:
    """`text` with every registered secret path part replaced."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecrets(logging.Filter):
    """A logging filter that formats the record's message and hides secret paths in it.
    It never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def gunicorn_atoms_redacted(atoms: dict) -> dict:
    """Gunicorn's access-log atoms (request line, path, query …) with secret paths hidden."""
    return {key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()}
