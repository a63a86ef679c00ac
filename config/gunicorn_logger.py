"""Gunicorn's logger with secret paths hidden in the access log (`core.redaction`).

Used as ``gunicorn --logger-class config.gunicorn_logger.RedactingLogger`` (Dockerfile,
docker-compose.yml): calendar clients fetch the personal feed, whose path is a secret,
every hour, and the access log would otherwise keep each address."""

from gunicorn.glogging import Logger

from core.redaction import gunicorn_atoms_redacted


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time) -> dict:
        return gunicorn_atoms_redacted(super().atoms(resp, req, environ, request_time))
