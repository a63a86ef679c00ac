"""The project's URLs plus /__floor__/: the same bytes as the measured page (read once from
the file BENCH_FLOOR_BODY names), answered by a bare view through the same middleware, in
the same gunicorn. What Django itself costs per request on this machine, and so the
ceiling any page can reach."""

import os
from pathlib import Path

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

_body: bytes | None = None


def floor(request) -> HttpResponse:
    global _body
    if _body is None:
        _body = Path(os.environ["BENCH_FLOOR_BODY"]).read_bytes()
    return HttpResponse(_body, content_type="text/html; charset=utf-8")


urlpatterns = [path("__floor__/", floor), *project_urlpatterns]
