"""The versions of surrogate keys, by which kept pages, cards and the banner are retired.

Retiring a key gives it a new version (articles/site/caching.py ``retire_keys``); whatever
was kept tagged with an older version stops matching.
"""

import time

from articles.site import shared_cache

VERSION_TTL = 24 * 3600  # a missing version reads as "retired", so expiring one is safe


def version_key(key: str) -> str:
    """Where the current version of surrogate key ``key`` is kept."""
    return f"newsroom:key:{key}"


def versions_of(names: list[str], found: dict) -> tuple[int, ...] | None:
    """The versions named ``names`` (version_key) as read into ``found``; those missing —
    never retired, expired or evicted — are started from the wall clock in nanoseconds,
    so that nothing tagged with an older version matches again. None: the cache failed."""
    if all(name in found for name in names):
        return tuple(found[name] for name in names)
    for name in names:
        if name not in found:
            shared_cache.call("add", name, time.time_ns(), timeout=VERSION_TTL)
    found = shared_cache.call("get_many", names) or {}
    versions = tuple(int(found[name]) for name in names if name in found)
    return versions if len(versions) == len(names) else None
