"""Feeds and sitemaps compressed for clients that accept gzip.

It sits before ConditionalGetMiddleware and the page cache in MIDDLEWARE: the cache
keeps one uncompressed copy whatever the client accepts, the ETag is computed on those
bytes (and made weak here), so a 304 works for both encodings. HTML pages are left to
the server in front: XML holds no secret a BREACH-style attack could read out.
"""

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.middleware.gzip import GZipMiddleware

COMPRESSED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml")


class CompressFeedsMiddleware(GZipMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        content_type = response.get("Content-Type", "").split(";")[0].strip()
        if content_type not in COMPRESSED_TYPES:
            return response
        return super().process_response(request, response)
