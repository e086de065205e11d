"""Cross-origin reads of the API from browsers, for the origins the site names.

A middleware outside the page cache, so that cached and fresh answers get the
header that fits the asking origin (the cache stores one answer for all).
``NEWSROOM_API_CORS_ORIGINS``: empty (the default) sends no CORS headers; ``*``
lets any origin read; otherwise a list of origins such as https://app.example.
"""

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

API_PREFIX = "/api/"


class ApiCorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        origin = request.headers.get("Origin")
        allowed = self.allowed_origin(origin)
        if (
            request.method == "OPTIONS"
            and origin
            and "Access-Control-Request-Method" in request.headers
        ):
            response = HttpResponse(status=204 if allowed else 403)
            if allowed:
                response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
                response["Access-Control-Allow-Headers"] = "Authorization, If-None-Match"
                response["Access-Control-Max-Age"] = "86400"
        else:
            response = self.get_response(request)
        if allowed:
            response["Access-Control-Allow-Origin"] = allowed
            response["Access-Control-Expose-Headers"] = "ETag, Retry-After"
            if allowed != "*":
                patch_vary_headers(response, ["Origin"])
        return response

    @staticmethod
    def allowed_origin(origin: str | None) -> str | None:
        origins = settings.NEWSROOM_API_CORS_ORIGINS
        if "*" in origins:
            return "*"
        if origin and origin in origins:
            return origin
        return None
