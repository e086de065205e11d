"""Read replicas: anonymous public reads go to a replica, everything else to the primary.

The router cannot see the request, so a middleware says, per request, whether this
request may read from the replica: a GET or HEAD by an anonymous reader, outside the
admin, from a client that has not just written. Within a request, the first write
pins every later read to the primary; a client that wrote gets a short-lived cookie
that keeps its next requests on the primary too, so it reads its own writes however
far the replica lags.
"""

import contextvars

from django.conf import settings

_replica_allowed = contextvars.ContextVar("replica_allowed", default=False)
PIN_COOKIE = "newsroom_primary"


def replica_alias() -> str | None:
    alias = getattr(settings, "NEWSROOM_READ_REPLICA", None)
    return alias if alias in settings.DATABASES else None


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        alias = replica_alias()
        return alias if alias and _replica_allowed.get() else "default"

    def db_for_write(self, model, **hints):
        _replica_allowed.set(False)  # read your own write, from here on
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, copied: every row is on both

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


class ReplicaRoutingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _replica_allowed.set(self._may_read_replica(request))
        try:
            response = self.get_response(request)
        finally:
            _replica_allowed.reset(token)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            response.set_cookie(
                PIN_COOKIE, "1", max_age=settings.NEWSROOM_REPLICA_LAG_SECONDS, samesite="Lax"
            )
        return response

    @staticmethod
    def _may_read_replica(request) -> bool:
        return (
            replica_alias() is not None
            and request.method in ("GET", "HEAD")
            and not request.path.startswith("/admin/")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and PIN_COOKIE not in request.COOKIES
        )
