"""One log line format for every process (Django, gunicorn, Celery worker and beat):

    2026-11-30T00:25:57+0100 INFO meetings.services: message

ISO 8601 local time with its UTC offset, the level, the logger's name, the message. The
settings' LOGGING uses it; gunicorn's logger class (config/gunicorn_logger.py) puts it on its
error and access logs; Celery leaves the root logger to Django's LOGGING
(CELERY_WORKER_HIJACK_ROOT_LOGGER = False)."""

import logging

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_DATEFMT = "%Y-%m-%dT%H:%M:%S%z"


def log_formatter() -> logging.Formatter:
    return logging.Formatter(LOG_FORMAT, LOG_DATEFMT)
