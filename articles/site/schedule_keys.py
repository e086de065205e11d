"""The schedule as the page cache sees it: which keys each coming second will touch.

A scheduled publication, an expiry or a wire embargo lifting changes what ``live()``
returns at its second with no job running. The keys that change will retire are known in
advance (``surrogates.story_keys``), so every cached page showing one of them is given a
lifetime that ends at that second (``lifetime_for``), in Redis and in the HTTP cache in
front. The list is remembered under the page cache's clock, which any retirement moves.
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Q

from articles.site import breaking, front, shared_cache, surrogates

# Each coming change: its second (epoch) and the keys it will touch.
Changes = list[tuple[float, frozenset[str]]]


def upcoming(now: float, clock: int | None) -> Changes:
    """Scheduled publications, expiries and embargo lifts within the longest page
    lifetime, with the keys each will touch; remembered until the clock moves (any
    retirement)."""
    horizon = max(settings.NEWSROOM_PAGE_CACHE_SECONDS, 1)
    cache_key = f"newsroom:upcoming:{clock}"
    remembered: tuple[float, Changes] | None = (
        shared_cache.call("get", cache_key) if clock is not None else None
    )
    if remembered is not None and remembered[0] >= now:
        return [change for change in remembered[1] if change[0] > now]
    changes = _scheduled_changes(now, now + 2 * horizon)
    if clock is not None:
        shared_cache.call("set", cache_key, (now + horizon, changes), timeout=horizon)
    return changes


def _scheduled_changes(start: float, end: float) -> Changes:
    from articles.models import Article  # the middleware is imported with the settings

    low = datetime.datetime.fromtimestamp(start, datetime.UTC)
    high = datetime.datetime.fromtimestamp(end, datetime.UTC)
    rows = (
        Article.objects.filter(status=Article.Status.PUBLISHED)
        .filter(
            Q(publish_at__gt=low, publish_at__lte=high)
            | Q(expire_at__gt=low, expire_at__lte=high)
            | Q(embargoed_until__gt=low, embargoed_until__lte=high)  # a wire embargo lifts
        )
        .annotate(
            tag_ids=ArrayAgg("tags", distinct=True, default=[]),
            author_ids=ArrayAgg("credits__author", distinct=True, default=[]),
        )
        .values_list(
            "pk",
            "section_id",
            "publish_at",
            "expire_at",
            "embargoed_until",
            "tag_ids",
            "author_ids",
        )
    )
    changes: Changes = []
    for pk, section_id, publish_at, expire_at, embargo, tag_ids, author_ids in rows:
        keys = frozenset(
            surrogates.story_keys(
                pk, section_id, [t for t in tag_ids if t], [a for a in author_ids if a]
            )
        )
        for moment in (publish_at, expire_at, embargo):
            if moment is not None and low < moment <= high:
                changes.append((moment.timestamp(), keys))
    # Issue 15: the breaking-news banner (every page) and front-page arrangements (home).
    changes += breaking.scheduled_changes(low, high) + front.scheduled_changes(low, high)
    return sorted(changes, key=lambda change: change[0])


def lifetime_for(keys: Iterable[str], now: float, changes: Changes) -> tuple[float, bool]:
    """(seconds an entry showing ``keys`` may live, whether the schedule cut it short)."""
    lifetime = float(settings.NEWSROOM_PAGE_CACHE_SECONDS)
    for moment, touched in changes:
        if moment - now < lifetime and not touched.isdisjoint(keys):
            return max(0.0, moment - now), True
    return lifetime, False
