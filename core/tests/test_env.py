"""A malformed environment variable stops start-up with a message that names it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import email_settings_from_url, env_bool, env_int, env_list, env_url

ROOT = Path(__file__).resolve().parents[2]


def test_booleans_accept_the_usual_words_and_refuse_others(monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "yes")
    assert env_bool("DJANGO_DEBUG", False) is True
    monkeypatch.setenv("DJANGO_DEBUG", "måske")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG"):
        env_bool("DJANGO_DEBUG", False)


def test_numbers_lists_and_urls(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "tyve")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT"):
        env_int("EMAIL_PORT", 25)
    monkeypatch.setenv("ALLOWED_HOSTS", "a.example, b.example,")
    assert env_list("ALLOWED_HOSTS", []) == ["a.example", "b.example"]
    monkeypatch.setenv("DATABASE_URL", "mysql://x")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env_url("DATABASE_URL", "sqlite:///x", {"sqlite", "postgres"})


def test_email_url_gives_the_smtp_settings_with_a_timeout():
    settings = email_settings_from_url(
        "submission://user%40kk.dk:hemmelig@smtp.example:587?timeout=7"
    )
    assert settings["EMAIL_HOST"] == "smtp.example" and settings["EMAIL_PORT"] == 587
    assert (
        settings["EMAIL_HOST_USER"] == "user@kk.dk"
        and settings["EMAIL_HOST_PASSWORD"] == "hemmelig"
    )
    assert settings["EMAIL_USE_TLS"] is True and settings["EMAIL_TIMEOUT"] == 7.0
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        email_settings_from_url("pigeon://loft")


def run_settings(env: dict, code: str = "") -> subprocess.CompletedProcess:
    """Start Django in a fresh process with `env` (without this process's SECRET_KEY,
    DJANGO_DEBUG and DATABASE_URL), then run `code`."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DJANGO_DEBUG", "DATABASE_URL"}
    }
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = run_settings({"DJANGO_SETTINGS_MODULE": "config.settings.production"})
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_a_malformed_variable_stops_start_up_naming_it():
    result = run_settings(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "x" * 60,
            "EMAIL_TIMEOUT": "ti sekunder",
        }
    )
    assert result.returncode != 0 and "EMAIL_TIMEOUT" in result.stderr


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "k7Qm2-" * 10,
    "ALLOWED_HOSTS": "faellesindgang.kk.dk",
    "DATABASE_URL": "postgres://app:pw@db.internal:5432/faellesindgang",
    "ACCESSIBILITY_CONTACT_EMAIL": "tilgaengelighed@kk.dk",
}


def test_production_settings_start_with_what_they_need():
    result = run_settings(PRODUCTION)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "key",
    [
        "change-me-to-a-long-random-string",  # the .env.example placeholder
        "x" * 20,  # too short
        "build-time-dummy-secret-key-not-used-at-runtime-abcdefgh",
    ],
)
def test_production_settings_refuse_a_placeholder_or_short_secret_key(key):
    result = run_settings({**PRODUCTION, "SECRET_KEY": key})
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_production_settings_never_fall_back_to_sqlite():
    env = {k: v for k, v in PRODUCTION.items() if k != "DATABASE_URL"}
    result = run_settings(env)
    assert result.returncode != 0 and "DATABASE_URL" in result.stderr


def test_production_settings_refuse_the_example_accessibility_contact():
    env = {**PRODUCTION, "ACCESSIBILITY_CONTACT_EMAIL": "tilgaengelighed@faellesindgang.example"}
    result = run_settings(env)
    assert result.returncode != 0 and "ACCESSIBILITY_CONTACT_EMAIL" in result.stderr


def test_a_bad_log_level_names_its_variable():
    result = run_settings({**PRODUCTION, "LOG_LEVEL": "foo"})
    assert result.returncode != 0 and "LOG_LEVEL" in result.stderr
    assert "Unable to configure" not in result.stderr


def test_old_secret_keys_are_accepted_while_a_new_one_takes_over(settings):
    """SECRET_KEY_FALLBACKS: a signature made with the old key still verifies."""
    from django.core import signing

    settings.SECRET_KEY = "old-key-" + "a" * 50
    token = signing.dumps({"user": 7})
    settings.SECRET_KEY = "new-key-" + "b" * 50
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(signing.BadSignature):
        signing.loads(token)
    settings.SECRET_KEY_FALLBACKS = ["old-key-" + "a" * 50]
    assert signing.loads(token) == {"user": 7}


def test_secret_key_fallbacks_are_read_from_the_environment():
    code = "from django.conf import settings; print(settings.SECRET_KEY_FALLBACKS)"
    result = run_settings({**PRODUCTION, "SECRET_KEY_FALLBACKS": "old-one,older-one"}, code)
    assert result.returncode == 0, result.stderr
    assert "['old-one', 'older-one']" in result.stdout


def test_plain_http_health_probes_and_the_scrape_are_not_redirected():
    code = (
        "from django.test import RequestFactory; "
        "from django.middleware.security import SecurityMiddleware; "
        "m = SecurityMiddleware(lambda r: None); f = RequestFactory(); "
        "print(*[getattr(m.process_request(f.get(p)), 'status_code', 'served') "
        "for p in ('/healthz', '/healthz/live', '/metrics', '/fora/')])"
    )
    result = run_settings({**PRODUCTION, "ALLOWED_HOSTS": "testserver"}, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-4:] == ["served", "served", "served", "301"]
