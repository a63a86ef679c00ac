"""Secret paths (reset and invitation links, the personal calendar feed) never reach a log
line: not Django's request log, not runserver's, not gunicorn's access log."""

import io
import logging
from datetime import timedelta
from types import SimpleNamespace
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from gunicorn.config import Config

from config.gunicorn_logger import RedactingLogger
from core.redaction import RedactSecrets, redact
from meetings.models import CalendarToken

pytestmark = pytest.mark.django_db

RESET = "/konto/nulstil-adgangskode/MTI/cz1q8w-0123456789abcdef0123456789abcdef/"
INVITE = "/konto/invitation/MTI/cz1q8w-0123456789abcdef0123456789abcdef/"


@pytest.fixture
def log_lines():
    """What the configured handlers (LOGGING in settings) write, as text."""
    stream = io.StringIO()
    handlers = [
        handler
        for logger in (logging.getLogger(), logging.getLogger("django.server"))
        for handler in logger.handlers
        if any(isinstance(f, RedactSecrets) for f in handler.filters)
    ]
    assert len(handlers) == 2, "the console and the runserver handlers hide secrets"
    previous = [handler.setStream(stream) for handler in handlers]
    yield stream
    for handler, old in zip(handlers, previous, strict=True):
        handler.setStream(old)


# pyasn1 (under the passkey library) adds its own stderr handler when its decoder tracing is
# switched on; it prints ASN.1 structures, never a request path or an e-mail.
OWN_TRACE_HANDLERS = {"pyasn1"}


def test_every_handler_of_every_logger_hides_secrets():
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and logger.name not in OWN_TRACE_HANDLERS
    ]
    unfiltered = [
        (logger.name, handler)
        for logger in loggers
        for handler in logger.handlers
        if not type(handler).__module__.startswith("_pytest")
        and not isinstance(handler, logging.NullHandler)
        and not any(isinstance(f, RedactSecrets) for f in handler.filters)
    ]
    assert unfiltered == []


def test_a_failing_personal_feed_is_logged_without_its_token(member_user, log_lines):
    token = CalendarToken.objects.create(user=member_user, token="hemmelig-" + "k" * 34).token
    client = Client(raise_request_exception=False)
    with mock.patch("meetings.views.calendar.personal_feed_ics", side_effect=RuntimeError("boom")):
        response = client.get(reverse("meetings:personal_feed", args=[token]))
    assert response.status_code == 500
    assert "Internal Server Error: /kalender/….ics" in log_lines.getvalue()
    assert token not in log_lines.getvalue()


def test_runserver_request_lines_hide_reset_and_invitation_tokens(log_lines):
    logging.getLogger("django.server").info('"GET %s HTTP/1.1" 200 1234', RESET)
    logging.getLogger("django.request").warning("Not Found: %s", INVITE)
    written = log_lines.getvalue()
    assert "cz1q8w" not in written and "MTI" not in written
    assert "/konto/nulstil-adgangskode/…/…/" in written and "/konto/invitation/…/…/" in written


def test_paths_without_a_secret_are_logged_as_they_are():
    for path in ("/fora/samarbejdsforum/kalender.ics", "/konto/nulstil-adgangskode/sendt/"):
        assert redact(f"GET {path}") == f"GET {path}"


def test_gunicorn_access_log_hides_the_calendar_token(forums):
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/kalender/hemmelig-token.ics?x=1",
        "PATH_INFO": "/kalender/hemmelig-token.ics",
        "QUERY_STRING": "x=1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://faellesindgang.example{RESET}",
    }
    response = SimpleNamespace(status="200 OK", headers=[], sent=10)
    atoms = RedactingLogger(Config()).atoms(
        response, SimpleNamespace(headers=[]), environ, timedelta(0)
    )
    written = " ".join(str(value) for value in atoms.values())
    assert "hemmelig-token" not in written and "cz1q8w" not in written
    assert atoms["r"] == "GET /kalender/….ics?x=1 HTTP/1.1"
