"""Gunicorn's logger with secret paths hidden in the access log (`core.redaction`).

Used as ``gunicorn --logger-class config.gunicorn_logger.RedactingLogger`` (Dockerfile,
docker-compose.yml): calendar clients fetch the personal feed, whose path is a secret,
every hour, and the access log would otherwise keep each address."""

from gunicorn.glogging import Logger

from config.logformat import log_formatter
from core.redaction import gunicorn_atoms_redacted


class RedactingLogger(Logger):
    """Also writes gunicorn's error and access lines in the site's one log format
    (config/logformat.py)."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for handler in (*self.error_log.handlers, *self.access_log.handlers):
            handler.setFormatter(log_formatter())

    def atoms(self, resp, req, environ, request_time) -> dict:
        return gunicorn_atoms_redacted(super().atoms(resp, req, environ, request_time))
