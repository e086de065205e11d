"""Surrogate keys (cache tags): what each public response shows.

A view names the things its page shows — the story, the section, the tags and
authors, the listing it is (home, latest, a feed, the sitemaps) — with
``show(request, ...)``. The page cache (articles/site/caching.py) stores the page
under those keys and sends them to the HTTP cache in front (``Surrogate-Key``
for Fastly-style CDNs, ``xkey`` for Varnish). A change retires only the keys of
what it touches (``story_keys``), so a page that shows none of them stays
cached.
"""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:  # for annotations only: naming keys needs no model at run time
    from articles.models import Article

NAV = "nav"  # the masthead's sections: on every page
HOME = "home"
LATEST = "latest"
FEED = "feed"
SITEMAP = "sitemap"
SEARCH = "search"
API = "api"  # the read API's story lists
# Moved by a renamed author and a picture's changed words or crop: the kept story cards
# name themselves by these (articles/site/cards.py), and the home page, which names many
# authors, records the first.
BYLINES = "bylines"
PICTURES = "pictures"

# Every listing a live story can appear on, whatever its section or tags.
SITE_LISTINGS = (HOME, LATEST, FEED, SITEMAP, SEARCH, API)

# Where a request keeps the keys of what its response shows: its META, where Django keeps
# its own per-request notes (the CSRF cookie), under a WSGI-style name of ours.
_SHOWN = "newsroom.surrogate_keys"


def story(pk: int) -> str:
    return f"story-{pk}"


def section(pk: int) -> str:
    return f"section-{pk}"


def tag(pk: int) -> str:
    return f"tag-{pk}"


def author(pk: int) -> str:
    return f"author-{pk}"


def show(request: HttpRequest, *keys: str) -> None:
    """Record that the response to ``request`` shows what ``keys`` name."""
    shown: set[str] = request.META.setdefault(_SHOWN, {NAV})
    shown.update(keys)


def show_stories(request: HttpRequest, stories: Iterable["Article"]) -> None:
    """Record the story cards a listing shows (a correction of one retires the listing,
    and so does renaming an author on a card's byline)."""
    stories = list(stories)
    show(request, *(story(item.pk) for item in stories))
    show_bylines(request, ([a["id"] for a in getattr(item, "byline_data", ())] for item in stories))


def show_bylines(request: HttpRequest, bylines: Iterable[Iterable[int]]) -> None:
    """Record the authors named on the cards a page shows (by their ids, per card)."""
    show(request, *{author(pk) for byline in bylines for pk in byline})


def shown(request: HttpRequest) -> set[str]:
    kept: set[str] | None = request.META.get(_SHOWN)
    return kept or {NAV}


def story_keys(
    pk: int, section_id: int | None, tag_ids: Iterable[int], author_ids: Iterable[int]
) -> set[str]:
    """Every key whose pages change when story ``pk`` appears, changes or disappears:
    its own page, the listings it is on, and the related blocks of its section."""
    keys = {story(pk), *SITE_LISTINGS}
    if section_id is not None:
        keys.add(section(section_id))
    keys.update(tag(pk) for pk in tag_ids)
    keys.update(author(pk) for pk in author_ids)
    return keys


def keys_of(article: "Article") -> set[str]:
    """``story_keys`` of a stored story (two small queries for its tags and authors)."""
    return story_keys(
        article.pk,
        article.section_id,
        article.tags.values_list("pk", flat=True),
        article.credits.values_list("author_id", flat=True),
    )
