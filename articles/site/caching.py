"""A full-page cache for anonymous readers that never breaks the schedule.

Pages are stored under a *generation*. Any change to public content bumps the
generation after its transaction commits (see signals.py), and so does the
clock reaching the next scheduled change (a ``publish_at`` or ``expire_at``):
the first request at or after that second notices and bumps it. Old entries
are then never read again, so a scheduled story appears at its second and a
withdrawn one disappears at once, with no job running. Every entry's lifetime
is also bounded by that next change, for the benefit of caches downstream.

Logged-in staff (anyone with a session cookie) always get a fresh page, and a
response that says ``private`` or ``no-store`` (previews) is never stored.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.cache import patch_cache_control

GENERATION_KEY = "newsroom:pages:generation"
NEXT_CHANGE_KEY = "newsroom:pages:next-change"
NO_CHANGE = 0.0  # stored when nothing is scheduled


def content_changed() -> None:
    """Public content changed: retire every cached page."""
    cache.set(GENERATION_KEY, time.time_ns(), None)
    cache.delete(NEXT_CHANGE_KEY)


def next_scheduled_change(now) -> float:
    """Epoch seconds of the next moment ``live()`` will answer differently, or NO_CHANGE."""
    from articles.models import Article

    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    # Each a first step along an index (article_live_idx, article_expiry_idx,
    # article_embargo_idx), in one query.
    upcoming = (
        published.filter(publish_at__gt=now)
        .order_by("publish_at")
        .values_list("publish_at", flat=True)[:1]
    )
    expiring = (
        published.filter(expire_at__gt=now)
        .order_by("expire_at")
        .values_list("expire_at", flat=True)[:1]
    )
    lifting = (
        published.filter(embargoed_until__gt=now)
        .order_by("embargoed_until")
        .values_list("embargoed_until", flat=True)[:1]
    )
    moments = [
        moment.timestamp() for moment in upcoming.union(expiring, lifting, all=True).order_by()
    ]
    return min(moments, default=NO_CHANGE)


def cache_state(now) -> tuple[int, float]:
    """(generation, next change) — bumping the generation if the schedule has fired."""
    state = cache.get_many([GENERATION_KEY, NEXT_CHANGE_KEY])
    generation, next_change = state.get(GENERATION_KEY), state.get(NEXT_CHANGE_KEY)
    if generation is None:
        generation = time.time_ns()
        cache.add(GENERATION_KEY, generation, None)
        generation = cache.get(GENERATION_KEY, generation)
    if next_change is not None and next_change != NO_CHANGE and now.timestamp() >= next_change:
        content_changed()  # a scheduled story went live or expired this very second
        generation, next_change = cache.get(GENERATION_KEY), None
    if next_change is None:
        next_change = next_scheduled_change(now)
        # Any change to the schedule deletes it (content_changed); the lifetime is a backstop.
        cache.set(NEXT_CHANGE_KEY, next_change, max(settings.NEWSROOM_PAGE_CACHE_SECONDS, 60))
    return generation, next_change


class PublicPageCacheMiddleware:
    """Serve anonymous GETs of public pages from the cache (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._may_use_cache(request):
            response = self.get_response(request)
            if settings.SESSION_COOKIE_NAME in request.COOKIES:
                patch_cache_control(response, private=True)
            return response

        now = timezone.now()
        generation, next_change = cache_state(now)
        key = self._key(request, generation)
        hit = cache.get(key)
        if hit is not None:
            expires, response = hit
            self._set_max_age(response, expires - now.timestamp())
            response["X-Cache"] = "hit"
            return response

        response = self.get_response(request)
        if self._may_store(response):
            lifetime = settings.NEWSROOM_PAGE_CACHE_SECONDS
            if next_change != NO_CHANGE:
                lifetime = min(lifetime, next_change - now.timestamp())
            if lifetime >= 1:
                self._set_max_age(response, lifetime)
                # Stored as one piece: a response written in many small pieces would be
                # sent with one system call each, on every hit.
                response.content = response.content
                cache.set(key, (now.timestamp() + lifetime, response), math.ceil(lifetime))
            response["X-Cache"] = "miss"
        return response

    @staticmethod
    def _may_use_cache(request) -> bool:
        return (
            settings.NEWSROOM_PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
            and not request.path.startswith(settings.NEWSROOM_UNCACHED_PREFIXES)
        )

    @staticmethod
    def _may_store(response) -> bool:
        control = response.get("Cache-Control", "")
        return (
            response.status_code in (200, 301, 404)
            and not response.streaming
            and not response.cookies
            and "private" not in control
            and "no-store" not in control
            and "no-cache" not in control
        )

    @staticmethod
    def _key(request, generation) -> str:
        url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        digest = hashlib.sha256(f"{request.method}:{url}".encode()).hexdigest()
        return f"newsroom:page:{generation}:{digest}"

    @staticmethod
    def _set_max_age(response, seconds) -> None:
        patch_cache_control(response, public=True, max_age=max(0, int(seconds)))
