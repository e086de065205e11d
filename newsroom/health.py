"""``/health/`` for load balancers: 200 when this server can reach its database and cache."""

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def health(request):
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # any failure means: take this server out of rotation
        checks["database"] = f"error: {exc.__class__.__name__}"
    try:
        cache.set("newsroom:health", 1, 5)
        checks["cache"] = "ok" if cache.get("newsroom:health") == 1 else "error: no round trip"
    except Exception as exc:
        checks["cache"] = f"error: {exc.__class__.__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )
