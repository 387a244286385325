"""`/healthz`: is this process able to serve? (database and cache reachable)

A load balancer takes an instance out when the database is unreachable (503). A cache
outage is reported ("degraded") but answers 200: the store keeps selling without it.
"""

import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    checks = {"database": _database(), "cache": _cache()}
    healthy = checks["database"] == "ok"
    status = "ok" if healthy and checks["cache"] == "ok" else "degraded" if healthy else "down"
    return JsonResponse({"status": status, **checks}, status=200 if healthy else 503)


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure means "not reachable" here; the log has the details
        return "unreachable"
    return "ok"


def _cache() -> str:
    key, value = f"healthz:{uuid.uuid4().hex}", "1"
    try:
        cache.set(key, value, 10)
        reachable = cache.get(key) == value
        cache.delete(key)
    except Exception:  # a cache backend that raises instead of ignoring the outage
        reachable = False
    return "ok" if reachable else "unreachable"
