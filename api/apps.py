from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The open, read-only API at /api/v1/ (issue 10 §6). It sits on top of every app: it
    reads through their public selectors, and no app imports it."""

    name = "api"
    verbose_name = "API"
