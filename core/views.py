from datetime import date

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

from core.cache_stamps import public_cache
from core.contributions import contributed_context
from core.sweep import sweep_last_finished


@public_cache("forums", "meetings")
def home(request):
    # The forums and the coming meetings come from their apps (core/contributions.py).
    return render(request, "core/home.html", contributed_context("home", request))


# Update the review date when the statement is reviewed (Danish law asks for a yearly
# review), and its list of inaccessible content with it.
ACCESSIBILITY_STATEMENT_PREPARED = date(2026, 11, 27)
ACCESSIBILITY_STATEMENT_REVIEWED = date(2026, 11, 30)


@public_cache()
def accessibility(request):
    """The accessibility statement after the Danish model (Digitaliseringsstyrelsen, the Act
    on the accessibility of public sector bodies' websites, lov nr. 692 af 8. juni 2018):
    compliance status against EN 301 549, the inaccessible content with criterion and
    reason, preparation and review dates, contact (ACCESSIBILITY_CONTACT_EMAIL and
    ACCESSIBILITY_CONTACT_PHONE), the WAS-Tool link (ACCESSIBILITY_WAS_URL) and the
    complaint route."""
    context = {
        "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
        "contact_phone": settings.ACCESSIBILITY_CONTACT_PHONE,
        "was_url": settings.ACCESSIBILITY_WAS_URL,
        "prepared_on": ACCESSIBILITY_STATEMENT_PREPARED,
        "reviewed_on": ACCESSIBILITY_STATEMENT_REVIEWED,
    }
    return render(request, "core/accessibility.html", context)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _broker_ok() -> bool:
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
            connect_timeout=2,
        ) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


@require_GET
@never_cache
def liveness(request):
    """Liveness: the process answers. Touches neither the database nor the broker, so an
    orchestrator restarts a hung process but never one that is still starting up or
    waiting for PostgreSQL (readiness, /healthz, says that)."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def healthz(request):
    """The state of the database, the broker and the deadline sweep, as JSON; 503 when
    one of them is bad, so that a load balancer or a monitor can act on it."""
    database = _database_ok()
    broker = _broker_ok()
    last = sweep_last_finished() if database else None
    age = (timezone.now() - last).total_seconds() if last else None
    sweep_ok = age is not None and age <= settings.SWEEP_STALE_AFTER_SECONDS
    healthy = database and broker and sweep_ok
    body = {
        "status": "ok" if healthy else "error",
        "database": "ok" if database else "error",
        "broker": "ok" if broker else "error",
        "sweep": {
            "status": "ok" if sweep_ok else ("never" if last is None else "stale"),
            "last_run": last.isoformat() if last else None,
            "age_seconds": round(age) if age is not None else None,
        },
    }
    return JsonResponse(body, status=200 if healthy else 503)
