"""Readiness for load balancers and orchestrators: can this process serve real requests?

``/healthz`` (in ``jobs``) only says the process answers. ``/readyz`` checks what a request
needs: the database (required: without it nothing works), and the cache and the broker (the
app degrades without them, but an operator wants to know). Each check is reported by name
with its time; a failure shows the error's class, never its message (no host names or
credentials on an unauthenticated page). 200 when all pass, else 503.
"""

import logging
import time
from collections.abc import Callable

from celery import current_app
from django.contrib.auth.decorators import login_not_required
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)
BROKER_TIMEOUT = 2.0
READY_KEY = "readyz:probe"


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    cache = caches["default"]
    if hasattr(cache, "ping"):  # the fail-soft Redis cache: ask Redis itself, past the fallback
        cache.ping()
        return
    cache.set(READY_KEY, "ok", 10)
    if cache.get(READY_KEY) != "ok":
        raise RuntimeError("the cache did not keep a value")


def _broker() -> None:
    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT)


def _run(check: Callable[[], None]) -> dict:
    started = time.monotonic()
    try:
        check()
    except Exception as error:
        logger.warning("Readiness check %s failed: %s", check.__name__.strip("_"), type(error).__name__)
        return {"ok": False, "error": type(error).__name__, "ms": round((time.monotonic() - started) * 1000, 1)}
    return {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}


@login_not_required
@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _run(_database), "cache": _run(_cache), "broker": _run(_broker)}
    ready = all(check["ok"] for check in checks.values())
    return JsonResponse({"ready": ready, "checks": checks}, status=200 if ready else 503)
