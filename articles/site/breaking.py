"""The breaking-news banner on every public page, at no query per page.

The windows not over yet are read once with their stories' own moments (publication,
expiry, embargo) and kept in the cache together with the next moment any of them
changes what readers see; a read at or past that moment reads again. So the banner
appears and disappears at its second, and a story that stops being live (withdrawn,
expired, embargoed) takes its banner with it: withdrawal through the signal that
forgets this entry (articles/signals.py), expiry and embargo through the moment.

The page cache asks ``scheduled_changes`` for the same moments (articles/site/schedule_keys.py),
so no cached page outlives a change of the banner either.
"""

import datetime
from typing import Any, NamedTuple

from django.db.models import Exists, OuterRef
from django.utils import timezone

from articles.site import shared_cache, surrogates
from articles.site.versions import version_key, versions_of

BANNER_CACHE_KEY = "newsroom:breaking:v2"  # v2: tagged with the masthead key's version
BACKSTOP_SECONDS = 300  # a change forgets the entry; this only bounds a lost forget


class Banner(NamedTuple):
    headline: str
    url: str


class BannerState(NamedTuple):
    banners: tuple[Banner, ...]
    valid_until: float | None  # epoch seconds of the next change; None: nothing coming


def banners(found: dict[str, Any] | None = None) -> tuple[Banner, ...]:
    """The banners to show now (for the templates, through the context processor);
    ``found``: the masthead's keys, already read from the cache."""
    return _state(timezone.now(), found).banners


def scheduled_changes(
    low: datetime.datetime, high: datetime.datetime
) -> list[tuple[float, frozenset[str]]]:
    """For the page cache (articles/site/schedule_keys.py): the moments in (low, high] at
    which the banner may change — a window's start or end, or its story's publication,
    expiry or embargo lifting — each touching every page (the masthead's key)."""
    from articles.models import BreakingNews
    from articles.site import surrogates

    keys = frozenset({surrogates.NAV})
    windows = BreakingNews.objects.filter(ends_at__gt=low).values_list(
        "starts_at",
        "ends_at",
        "article__publish_at",
        "article__expire_at",
        "article__embargoed_until",
    )
    return [
        (moment.timestamp(), keys)
        for row in windows
        for moment in row
        if moment is not None and low < moment <= high
    ]


def forget() -> None:
    """Something a banner depends on changed: read the windows again next time."""
    shared_cache.call("delete", BANNER_CACHE_KEY)


def _state(now: datetime.datetime, found: dict[str, Any] | None = None) -> BannerState:
    # Kept tagged with the masthead key's version, which every change of a banner or of a
    # breaking story retires — through the purge outbox when the cache was down — so a
    # ``forget`` lost in an outage cannot leave a withdrawn story's banner up.
    nav = version_key(surrogates.NAV)
    if found is None:
        found = shared_cache.call("get_many", [BANNER_CACHE_KEY, nav])
    version = versions_of([nav], found) if found is not None else None
    kept = found.get(BANNER_CACHE_KEY) if found is not None else None
    if kept is not None and version is not None and kept[0] == version:
        state = kept[1]
        if state.valid_until is None or now.timestamp() < state.valid_until:
            return state
    state = read_banners(now)
    if version is not None:
        shared_cache.call("set", BANNER_CACHE_KEY, (version, state), BACKSTOP_SECONDS)
    return state


def read_banners(now: datetime.datetime) -> BannerState:
    """One query: the windows not over yet, whether each story is live now, and the
    moments that would change either."""
    from articles.models import Article, BreakingNews

    windows = (
        BreakingNews.objects.filter(ends_at__gt=now)
        .annotate(story_is_live=Exists(Article.objects.live(now).filter(pk=OuterRef("article"))))
        .select_related("article")
        .only(
            "starts_at",
            "ends_at",
            "article__headline",
            "article__slug",
            "article__publish_at",
            "article__expire_at",
            "article__embargoed_until",
        )
        .order_by("-starts_at", "-id")
    )
    shown, moments = [], []
    for window in windows:
        story = window.article
        if window.story_is_live and window.is_on(now):
            shown.append(Banner(story.headline, story.get_absolute_url()))
        for moment in (
            window.starts_at,
            window.ends_at,
            story.publish_at,
            story.expire_at,
            story.embargoed_until,
        ):
            if moment is not None and moment > now:
                moments.append(moment.timestamp())
    return BannerState(tuple(shown), min(moments, default=None))
