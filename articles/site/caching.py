"""A page cache for anonymous readers, retired by surrogate key, exact to the second.

- **Keys.** Each response records the keys of what it shows (articles/site/surrogates.py).
  An entry is stored with the *version* each of its keys had when it was rendered; a
  change retires keys by giving them new versions (``retire_keys``), so only the
  entries that show what changed stop matching. A draft, a lock or a revision retires
  nothing: only the workflow's public transitions do (articles/site/purging.py).
- **The schedule.** The keys a scheduled publication or expiry will touch are known in
  advance (articles/site/schedule_keys.py), so an entry showing any of them lives only until that second,
  here and in the HTTP cache in front; nothing has to run at that moment.
- **Misses are single.** On a miss one request renders (a short lock) while the others
  get the stale copy or wait briefly for the fresh one; never a stale copy retired
  *hard* (a withdrawal, a correction, an expiry) or cut short by the schedule.
- **Degrade, never fail.** Every cache call goes through articles/site/shared_cache.py:
  with the server down, pages are rendered uncached and the site stays up.
- **Safe defaults.** With DEBUG off a process-local cache is never used for pages
  (each worker would keep its own stale copy); ``check --deploy`` says so. Query
  parameters that no page reads (utm_*, fbclid, …) are dropped before the page is
  rendered, so they neither split the cache nor reach the page. Only a valid staff
  session skips the cache.
"""

import dataclasses
import hashlib
import math
import time
from collections.abc import Callable, Collection, Iterable
from importlib import import_module
from typing import Literal, TypeGuard

from django.conf import settings
from django.contrib import auth
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control

from articles.site import shared_cache, surrogates
from articles.site.schedule_keys import Changes, lifetime_for, upcoming
from articles.site.versions import VERSION_TTL, version_key
from newsroom.conditional import set_etag

CLOCK_KEY = "newsroom:keys:clock"
LOCK_SECONDS = 10  # a renderer that dies frees the miss after this long
WAIT_SECONDS = 2.0  # how long a request waits for another's render before rendering too
WAIT_STEP = 0.02
# A lifetime that ends at a scheduled second is sent this much shorter: the response
# reaches the cache in front a little after it was counted.
SCHEDULE_MARGIN_SECONDS = 0.25
PROCESS_LOCAL_BACKENDS = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


# ---------------------------------------------------------------- retiring keys


def retire_keys(keys: Iterable[str], *, hard: bool) -> None:
    """Give ``keys`` new versions: every entry showing one of them stops matching.

    A *hard* retirement (withdrawal, correction, expiry) forbids serving the old
    entry even as a stale copy during a re-render. Raises CacheUnavailable when the
    server cannot be reached (the caller keeps the purge in the outbox).
    """
    names = sorted(set(keys))
    if not names:
        return
    # The clock moves first: a render that read it before this retirement will not be
    # stored (see _store), whatever versions it reads afterwards.
    tick = _tick()
    value = -tick if hard else tick
    shared_cache.call(
        "set_many", {version_key(k): value for k in names}, timeout=VERSION_TTL, strict=True
    )


def _tick() -> int:
    _start_clock(strict=True)
    tick: int = shared_cache.call("incr", CLOCK_KEY, strict=True)
    return tick


def _start_clock(strict: bool = False) -> None:
    # A missing clock (new, expired or evicted) starts from the wall clock in
    # nanoseconds, so a restarted clock never repeats a version an entry may hold.
    shared_cache.call("add", CLOCK_KEY, time.time_ns(), timeout=VERSION_TTL, strict=strict)


def read_clock() -> int | None:
    """The clock before a render (None: the cache is unavailable, store nothing)."""
    clock: int | None = shared_cache.call("get", CLOCK_KEY)
    if clock is None and not shared_cache.is_down():
        _start_clock()
        clock = shared_cache.call("get", CLOCK_KEY)
    return clock


# ---------------------------------------------------------------- entries


State = Literal["fresh", "stale", "dead"]


@dataclasses.dataclass
class Entry[Value]:
    value: Value  # a page (HttpResponse), or what ``remembered`` computed
    versions: dict[str, int]
    expires: float
    bounded: bool  # cut short by the schedule: never served past ``expires``
    keys: tuple[str, ...] = ()

    def state(self, now: float, current: dict[str, int]) -> State:
        """ "fresh", "stale" (may stand in while another request renders) or "dead"."""
        now_versions = {k: current.get(version_key(k)) for k in self.versions}
        changed = [v for k, v in now_versions.items() if v != self.versions[k]]
        # A version gone from the cache (evicted) could hide anything: treat it as hard.
        hard = any(v is None or v < 0 for v in changed)
        if hard or (self.bounded and now >= self.expires):
            return "dead"
        if changed or now >= self.expires:
            return "stale"
        return "fresh"


def _current_versions[Value](entry: Entry[Value]) -> dict[str, int]:
    versions: dict[str, int] = shared_cache.call(
        "get_many", [version_key(k) for k in entry.versions], default={}
    )
    return versions


def _store[Value](
    cache_key: str,
    value: Value,
    keys: Collection[str],
    now: float,
    clock_before: int | None,
    changes: Changes,
) -> Entry[Value] | None:
    """Store ``value`` under the versions ``keys`` have now, unless a retirement
    happened while it was rendered (it might be about what was read)."""
    if clock_before is None:
        return None  # the cache was unavailable when the render started
    lifetime, bounded = lifetime_for(keys, now, changes)
    if lifetime < 1:
        return None
    names = [version_key(k) for k in keys]
    found: dict[str, int] | None = shared_cache.call("get_many", [*names, CLOCK_KEY], default=None)
    if found is None or found.get(CLOCK_KEY) != clock_before:
        return None
    versions: dict[str, int] = {}
    for key, name in zip(keys, names, strict=True):
        if name not in found:
            if not shared_cache.call("add", name, 0, timeout=VERSION_TTL):
                return None  # retired meanwhile (or the cache failed): do not store
            found[name] = 0
        versions[key] = found[name]
    entry = Entry(value, versions, now + lifetime, bounded, tuple(sorted(keys)))
    grace = 0 if bounded else settings.NEWSROOM_PAGE_CACHE_GRACE_SECONDS
    shared_cache.call("set", cache_key, entry, timeout=math.ceil(lifetime) + grace)
    return entry


def remembered[Value](name: str, keys: Iterable[str], compute: Callable[[], Value]) -> Value:
    """A value worked out from public content (the sitemap's months), cached under
    ``keys`` and the schedule like a page; computed afresh when the cache is down."""
    if not page_cache_enabled():
        return compute()
    cache_key = f"newsroom:fragment:{name}"
    now = time.time()
    entry: Entry[Value] | None = shared_cache.call("get", cache_key)
    if entry is not None and entry.state(now, _current_versions(entry)) == "fresh":
        return entry.value
    clock = read_clock()
    changes = upcoming(now, clock)
    value = compute()
    _store(cache_key, value, set(keys), now, clock, changes)
    return value


# ---------------------------------------------------------------- safe defaults


def shared_cache_configured() -> bool:
    """Is the default cache one every worker shares (not a per-process memory)?"""
    return settings.CACHES["default"]["BACKEND"] not in PROCESS_LOCAL_BACKENDS


def page_cache_enabled() -> bool:
    """Pages are cached in the application only in a cache every worker shares
    (or in development, or where the settings allow a single-process cache)."""
    return settings.NEWSROOM_PAGE_CACHE_SECONDS > 0 and (
        shared_cache_configured()
        or settings.DEBUG
        or settings.NEWSROOM_PAGE_CACHE_ALLOW_PROCESS_LOCAL
    )


def canonical_query(query: QueryDict) -> QueryDict:
    """Only the query parameters some page reads, in a fixed order."""
    kept = QueryDict(mutable=True)
    for name in sorted(query):
        if name in settings.NEWSROOM_PAGE_QUERY_PARAMETERS:
            kept.setlist(name, query.getlist(name))
    return QueryDict(kept.urlencode())  # immutable, as request.GET always is


def is_staff_session(request: HttpRequest) -> bool:
    """A session cookie that names an active staff account (a junk one does not)."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    engine = import_module(settings.SESSION_ENGINE)
    request.session = engine.SessionStore(request.COOKIES[settings.SESSION_COOKIE_NAME])
    try:
        user = auth.get_user(request)
    except Exception:  # a session store that cannot be read: treat as anonymous
        return False
    return bool(user.is_active and user.is_staff)


# ---------------------------------------------------------------- the middleware


def page_key(request: HttpRequest) -> str:
    """Where the page for ``request`` (its query already made canonical) is kept."""
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(f"{request.method}:{url}".encode()).hexdigest()
    return f"newsroom:page:{digest}"


class PublicPageCacheMiddleware:
    """Serve anonymous GETs of public pages from the cache (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not self._cacheable_request(request):
            return self.get_response(request)
        if is_staff_session(request):
            response = self.get_response(request)
            patch_cache_control(response, private=True)
            return response

        # django-stubs types GET as its own immutable QueryDict class, which exists only in
        # the stubs; canonical_query's answer is an immutable QueryDict, as Django's is.
        request.GET = canonical_query(request.GET)  # type: ignore[assignment]
        request.META["QUERY_STRING"] = request.GET.urlencode()
        if not page_cache_enabled():
            return self._render(request, time.time(), clock=None, store_as=None)

        cache_key = page_key(request)
        now = time.time()
        entry: Entry[HttpResponse] | None = shared_cache.call("get", cache_key)
        state: State = "dead"
        if entry is not None:
            state = entry.state(now, _current_versions(entry))
            if state == "fresh":
                return self._deliver(entry, now, "hit")

        lock = f"{cache_key}:lock"
        got_lock = shared_cache.call("add", lock, 1, timeout=LOCK_SECONDS)
        if got_lock is False:  # another request is rendering this page
            if entry is not None and state == "stale":
                return self._deliver(entry, now, "stale")
            waited = self._wait_for(cache_key, now)
            if waited is not None:
                return self._deliver(waited, time.time(), "hit")
        try:
            return self._render(request, now, clock=read_clock(), store_as=cache_key)
        finally:
            if got_lock:
                shared_cache.call("delete", lock)

    @staticmethod
    def _wait_for(cache_key: str, since: float) -> Entry[HttpResponse] | None:
        while time.time() - since < WAIT_SECONDS:
            time.sleep(WAIT_STEP)
            entry: Entry[HttpResponse] | None = shared_cache.call("get", cache_key)
            if entry is not None and entry.state(time.time(), _current_versions(entry)) == "fresh":
                return entry
            if shared_cache.is_down():
                return None
        return None

    def _render(
        self, request: HttpRequest, now: float, *, clock: int | None, store_as: str | None
    ) -> HttpResponseBase:
        # With no page lifetime at all there is no schedule to bound it by.
        changes = upcoming(now, clock) if settings.NEWSROOM_PAGE_CACHE_SECONDS > 0 else []
        response = self.get_response(request)
        if not self._storable(response):
            return response
        keys = surrogates.shown(request)
        if store_as is not None:
            # Stored as one piece: a response written in many small pieces would be
            # sent with one system call each, on every hit; with its ETag, which a hit
            # would otherwise hash its bytes again for (newsroom/conditional.py).
            response.content = response.content
            if not response.has_header("ETag"):  # a storable page is never "no-store"
                set_etag(response)
            entry = _store(store_as, response, keys, now, clock, changes)
            if entry is not None:
                return self._deliver(entry, now, "miss")
        lifetime, bounded = lifetime_for(keys, now, changes)
        self._headers(response, keys, now + lifetime, bounded)
        response["X-Cache"] = "miss"
        return response

    def _deliver(self, entry: Entry[HttpResponse], now: float, outcome: str) -> HttpResponse:
        response = entry.value
        self._headers(response, entry.keys, entry.expires, entry.bounded)
        response["X-Cache"] = outcome
        return response

    @staticmethod
    def _headers(
        response: HttpResponseBase, keys: Iterable[str], expires: float, bounded: bool
    ) -> None:
        """Keys and lifetimes for the caches downstream.

        The exact lifetime (which may end at a scheduled second) goes only to the
        cache in front, in ``Surrogate-Control``, which it strips before delivery.
        Browsers get a short fixed ``max-age`` — or 0 when the page changes sooner —
        so a reader learns at most that something on the page changes within it.
        """
        lifetime = expires - time.time()  # counted from now: the cache in front counts
        if bounded:  # from when it receives the response, a little later
            lifetime -= SCHEDULE_MARGIN_SECONDS
        names = " ".join(sorted(keys))
        response["Surrogate-Key"] = names
        response["xkey"] = names
        seconds = max(0, int(lifetime))
        control = f"max-age={seconds}"
        if not bounded and seconds > 0:
            control += f", stale-while-revalidate={settings.NEWSROOM_PAGE_CACHE_GRACE_SECONDS}"
        response["Surrogate-Control"] = control
        if "max-age" in response.get("Cache-Control", ""):
            return  # the view chose its own (the favicon: a year); it shows no story
        browser = settings.NEWSROOM_BROWSER_MAX_AGE
        patch_cache_control(response, public=True, max_age=browser if seconds >= browser else 0)

    @staticmethod
    def _cacheable_request(request: HttpRequest) -> bool:
        return (
            settings.NEWSROOM_PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and "HTTP_AUTHORIZATION" not in request.META
            and not request.path.startswith(settings.NEWSROOM_UNCACHED_PREFIXES)
        )

    @staticmethod
    def _storable(response: HttpResponseBase) -> TypeGuard[HttpResponse]:
        control = response.get("Cache-Control", "")
        return (
            response.status_code in (200, 301, 404)
            and isinstance(response, HttpResponse)  # not streaming: whole, it can be kept
            and not response.cookies
            and "private" not in control
            and "no-store" not in control
            and "no-cache" not in control
        )
