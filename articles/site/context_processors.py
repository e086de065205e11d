import secrets
from typing import NamedTuple

from django.conf import settings
from django.utils import timezone

from articles.models import Section
from articles.site import breaking, shared_cache

NAV_CACHE_KEY = "newsroom:nav-sections:v3"  # v3: (version, tuples); v2 was the tuples alone
NAV_VERSION_KEY = "newsroom:nav-sections:version"


class NavItem(NamedTuple):
    pk: int
    name: str
    url: str


def site(request):
    """Site name, the section navigation and the breaking-news banner, on every page."""
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "now": timezone.now(),
        "nav_sections": nav_sections,
        "breaking_news": breaking.banners,
    }


def nav_sections() -> list[NavItem]:
    """Top-level sections for the masthead; cached, retired when a section changes.

    Kept as plain tuples with their links worked out: every page reads them, and
    unpickling a dozen model instances and reversing their URLs cost more (~0.15 ms)
    than the rest of the masthead. They are stored with the version the sections had
    *before* they were read (one round trip reads both), so a page that read them
    just before a section changed, and stores them just after, stores a list no page
    will use (deleting the key on commit let that stale list stand for five minutes).
    With the cache server down they come from the database on every page.
    """
    found = shared_cache.call("get_many", [NAV_VERSION_KEY, NAV_CACHE_KEY], default={})
    version, kept = found.get(NAV_VERSION_KEY), found.get(NAV_CACHE_KEY)
    if version is not None and kept is not None and kept[0] == version:
        return kept[1]
    if version is None:
        shared_cache.call("add", NAV_VERSION_KEY, _new_version(), None)
        version = shared_cache.call("get", NAV_VERSION_KEY)
    items = [
        NavItem(section.pk, section.name, section.get_absolute_url())
        for section in Section.objects.filter(parent=None).only("name", "slug", "order")
    ]
    if version is not None:
        shared_cache.call("set", NAV_CACHE_KEY, (version, items), 300)
    return items


def retire_nav_sections() -> None:
    """A section changed (call once committed): every list read before now is stale."""
    shared_cache.call("set", NAV_VERSION_KEY, _new_version(), None)


def _new_version() -> str:
    return secrets.token_hex(8)
