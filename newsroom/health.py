"""``/health/`` for load balancers.

- 200 ``ok``: the database and the cache answer.
- 200 ``degraded``: the database answers but the cache does not (or the page cache is
  off for want of a shared cache). The server still serves every page, only slower,
  so it stays in rotation; the body says what is wrong, for monitoring.
- 503 ``error``: the database does not answer; take this server out of rotation.
"""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from articles.site import caching, shared_cache


@never_cache
def health(request):
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # any failure means: take this server out of rotation
        checks["database"] = f"error: {exc.__class__.__name__}"
    shared_cache.reset()  # probe the server itself, not this process's memory of a failure
    try:
        shared_cache.call("set", "newsroom:health", 1, 5, strict=True)
        round_trip = shared_cache.call("get", "newsroom:health", strict=True) == 1
        checks["cache"] = "ok" if round_trip else "error: no round trip"
    except shared_cache.CacheUnavailable as exc:
        checks["cache"] = f"error: {exc}"
    if settings.NEWSROOM_PAGE_CACHE_SECONDS > 0 and not caching.page_cache_enabled():
        checks["page_cache"] = "off: CACHE_URL is not a shared cache"
    if checks["database"] != "ok":
        status, code = "error", 503
    elif any(value != "ok" for value in checks.values()):
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, **checks}, status=code)
