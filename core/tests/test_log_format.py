"""Every process writes one log format: ISO 8601 time with its offset, level, logger, message
(config/logformat.py) — Django's LOGGING, gunicorn's error and access logs, and Celery,
which leaves the root logger to Django."""

import logging
import re

from django.conf import settings
from gunicorn.config import Config

from config.gunicorn_logger import RedactingLogger

LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} (INFO|ERROR) [\w.]+: ")


def record(name: str, level=logging.INFO) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, "hej", None, None)


def test_django_writes_the_one_format():
    plain = settings.LOGGING["formatters"]["plain"]
    formatter = logging.Formatter(plain["format"], plain["datefmt"])
    assert settings.LOGGING["handlers"]["console"]["formatter"] == "plain"
    line = formatter.format(record("meetings.services"))
    assert LINE.match(line), line


def test_gunicorn_writes_the_one_format_for_errors_and_access():
    config = Config()
    config.set("accesslog", "-")  # as compose starts it (--access-logfile -)
    logger = RedactingLogger(config)
    for log, name in ((logger.error_log, "gunicorn.error"), (logger.access_log, "gunicorn.access")):
        assert log.handlers
        for handler in log.handlers:
            line = handler.formatter.format(record(name))
            assert LINE.match(line), line


def test_celery_leaves_the_root_logger_to_django():
    assert settings.CELERY_WORKER_HIJACK_ROOT_LOGGER is False
