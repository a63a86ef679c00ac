"""Reading settings from environment variables.

Every reader fails loudly, naming the variable, when a value is malformed, so that a
typo in production stops start-up instead of silently falling back to a default.
"""

import os
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off"}


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str | None:
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ImproperlyConfigured(f"The environment variable {name} must be set.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.strip().lower() in TRUE_VALUES:
        return True
    if value.strip().lower() in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(
        f"The environment variable {name} must be true or false, not {value!r}."
    )


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be a whole number, not {value!r}."
        ) from None


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be a number, not {value!r}."
        ) from None


def env_choice(name: str, default: str, choices: set[str]) -> str:
    """The variable's value, upper-cased, when it is one of `choices` (upper-case words,
    e.g. log levels); otherwise ImproperlyConfigured naming the variable and the choices."""
    value = (os.environ.get(name) or default).strip().upper()
    if value not in choices:
        allowed = ", ".join(sorted(choices))
        raise ImproperlyConfigured(
            f"The environment variable {name} must be one of {allowed}, not {value!r}."
        )
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_url(name: str, default: str, schemes: set[str]) -> str:
    value = os.environ.get(name) or default
    parts = urlsplit(value)
    if parts.scheme not in schemes:
        allowed = ", ".join(sorted(schemes))
        raise ImproperlyConfigured(
            f"The environment variable {name} must be a URL with one of the schemes "
            f"{allowed}, not {value!r}."
        )
    return value


def email_settings_from_url(value: str) -> dict:
    """Translate EMAIL_URL (smtp://user:pass@host:port?timeout=10, smtps://, console://,
    file:///path, locmem://) into Django's EMAIL_* settings."""
    parts = urlsplit(value)
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    backends = {
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtps": "django.core.mail.backends.smtp.EmailBackend",
        "submission": "django.core.mail.backends.smtp.EmailBackend",
        "console": "django.core.mail.backends.console.EmailBackend",
        "file": "django.core.mail.backends.filebased.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
    }
    if parts.scheme not in backends:
        raise ImproperlyConfigured(
            f"The environment variable EMAIL_URL has an unknown scheme {parts.scheme!r}; "
            "use smtp, smtps, submission, console, file or locmem."
        )
    result: dict = {"EMAIL_BACKEND": backends[parts.scheme]}
    if parts.scheme == "file":
        result["EMAIL_FILE_PATH"] = unquote(parts.path)
        return result
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(
            "The environment variable EMAIL_URL has an invalid port."
        ) from None
    default_port = {"smtp": 25, "smtps": 465, "submission": 587}.get(parts.scheme, 25)
    result.update(
        EMAIL_HOST=parts.hostname or "localhost",
        EMAIL_PORT=port or default_port,
        EMAIL_HOST_USER=unquote(parts.username or ""),
        EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
        EMAIL_USE_SSL=parts.scheme == "smtps" or options.get("ssl") in TRUE_VALUES,
        EMAIL_USE_TLS=parts.scheme == "submission" or options.get("tls") in TRUE_VALUES,
    )
    if "timeout" in options:
        try:
            result["EMAIL_TIMEOUT"] = float(options["timeout"])
        except ValueError:
            raise ImproperlyConfigured(
                "The environment variable EMAIL_URL has a timeout that is not a number."
            ) from None
    return result
