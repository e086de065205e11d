import datetime
from functools import lru_cache, partial
from typing import Any, NamedTuple

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import get_language
from markupsafe import Markup

from articles.models import Section
from articles.site import breaking, shared_cache, surrogates
from articles.site.versions import version_key, versions_of

NAV_CACHE_KEY = "newsroom:nav-sections:v3"  # v3: (version, tuples); v2 was the tuples alone
_MASTHEAD = "newsroom.masthead"  # where a request keeps its Masthead (in its META)


class NavItem(NamedTuple):
    pk: int
    name: str
    url: str


# The template context: each name's own type (a context processor's answer, as Django's).
def site(request: HttpRequest) -> dict[str, Any]:
    """Site name, the section navigation and the breaking-news banner, on every page."""
    masthead = Masthead.of(request)
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "masthead": partial(masthead.markup, request),
    }


class Masthead:
    """What every page's masthead reads from the cache — the sections, the banner and the
    version of the key both are tagged with — read in one round trip when first shown,
    or along with the page's own reads (the home page's, articles/site/cards.py)."""

    def __init__(self) -> None:
        self.names = [version_key(surrogates.NAV), NAV_CACHE_KEY, breaking.BANNER_CACHE_KEY]
        self.found: dict[str, Any] | None = None

    @classmethod
    def of(cls, request: HttpRequest) -> "Masthead":
        """The request's masthead (kept in its META, as surrogates.py keeps its keys)."""
        masthead: Masthead | None = request.META.get(_MASTHEAD)
        if masthead is None:
            masthead = request.META[_MASTHEAD] = cls()
        return masthead

    def read(self) -> dict[str, Any] | None:
        if self.found is None:
            self.found = shared_cache.call("get_many", self.names)
        return self.found

    def nav_sections(self) -> list[NavItem]:
        return nav_sections(self.read())

    def banners(self) -> tuple[breaking.Banner, ...]:
        return breaking.banners(self.read())

    def markup(self, request: HttpRequest, section: Any = None) -> Markup:
        """The masthead and the banner for ``request``'s page (``section``'s, if any)."""
        match = request.resolver_match
        return _drawn(
            (get_language(), *(getattr(settings, name, None) for name in _SETTINGS_SHOWN)),
            timezone.localdate(),
            match.url_name if match else None,
            section.pk if section else None,
            tuple(self.nav_sections()),
            self.banners(),
        )


# What the masthead shows of the settings: a change (in tests) draws it again.
_SETTINGS_SHOWN = ("NEWSROOM_SITE_NAME", "NEWSROOM_DIGITS", "NEWSROOM_HIJRI_DATE", "TIME_ZONE")


@lru_cache(maxsize=256)
def _drawn(
    shown_settings: tuple[Any, ...],
    today: datetime.date,
    url_name: str | None,
    section_pk: int | None,
    nav: tuple[NavItem, ...],
    banners: tuple[breaking.Banner, ...],
) -> Markup:
    """Drawn once for everything it shows (every page draws the same few dozen links and
    words; drawing them cost a page ~0.1 ms), so never out of date: a change of any of
    them is another drawing."""
    html = get_template("_masthead.html").render(
        {
            "site_name": settings.NEWSROOM_SITE_NAME,
            "today": today,
            "url_name": url_name,
            "section_pk": section_pk,
            "nav": nav,
            "banners": banners,
        }
    )
    return Markup(html)  # noqa: S704 (an autoescaping template's)


def nav_sections(found: dict[str, Any] | None = None) -> list[NavItem]:
    """Top-level sections for the masthead; cached, retired when a section changes.

    Kept as plain tuples with their links worked out: every page reads them, and
    unpickling a dozen model instances and reversing their URLs cost more (~0.15 ms)
    than the rest of the masthead. They are stored tagged with the version the masthead's
    key (``nav``) had *before* they were read (one round trip reads both), so a page that
    read them just before a section changed, and stores them just after, stores a list no
    page will use; a section's change retires ``nav`` after commit — through the purge
    outbox if the cache was down. With the cache server down they come from the
    database on every page. ``found``: the masthead's keys, already read.
    """
    name = version_key(surrogates.NAV)
    if found is None:
        found = shared_cache.call("get_many", [name, NAV_CACHE_KEY])
    version = versions_of([name], found) if found is not None else None
    kept = found.get(NAV_CACHE_KEY) if found is not None else None
    if version is not None and kept is not None and kept[0] == version:
        items: list[NavItem] = kept[1]
        return items
    items = [
        NavItem(section.pk, section.name, section.get_absolute_url())
        for section in Section.objects.filter(parent=None).only("name", "slug", "order")
    ]
    if version is not None:
        shared_cache.call("set", NAV_CACHE_KEY, (version, items), 300)
    return items
