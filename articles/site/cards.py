"""Story cards drawn once and kept, so that a page of fifty cards is cheap to redraw.

The home page is retired by every public change of any story (surrogates.HOME), and at
100,000 stories drawing its fifty-odd cards afresh cost ~13 ms of its ~16. A card,
though, shows one story: its words and picture (which change only through the desk's
door, which moves the story's ``version``), its moment and section, the names on its
byline, the section's name and the picture's words. So a card is kept in the shared
cache under a name made of all of that — the story's id, version, moment, section and
picture, and the versions of three surrogate keys moved by the rare edits outside the
door: ``nav`` (a section renamed), ``bylines`` (an author renamed) and ``pictures``
(a picture's words or crop changed). A changed story gets a new name and is drawn
again; nothing has to be found and deleted, and a card drawn while something changed
is stored under the old name, where nobody looks for it.

A redrawn page asks for its cards in two round trips (the three versions, then the
cards) and draws only those not found: after a publication, the new story's. The name
also carries the templates' own revision, so a deployment never serves old markup.
With the cache server down every card is drawn.
"""

import datetime
import hashlib
import time
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.template.loader import get_template
from django.utils.translation import get_language

from articles.site import shared_cache, surrogates
from articles.site.caching import VERSION_TTL, shared_cache_configured, version_key

# Moved by the edits outside the desk's door that change what cards show (articles/signals.py).
GLOBAL_KEYS = (surrogates.NAV, surrogates.BYLINES, surrogates.PICTURES)
TEMPLATES = ("articles/_card.html", "articles/_lead.html", "articles/_picture.html")


class CardStory(Protocol):
    """What names a story's card: everything on it that can change."""

    @property
    def pk(self) -> int: ...
    @property
    def version(self) -> int: ...
    @property
    def publish_at(self) -> datetime.datetime: ...
    @property
    def section_id(self) -> int: ...
    @property
    def lead_image_id(self) -> int | None: ...


Draw = Callable[[list[int]], dict[int, str]]


def card_cache_enabled() -> bool:
    return settings.NEWSROOM_CARD_CACHE_SECONDS > 0 and (
        shared_cache_configured()
        or settings.DEBUG
        or settings.NEWSROOM_PAGE_CACHE_ALLOW_PROCESS_LOCAL
    )


def cards(
    wanted: dict[str, Sequence[CardStory]], draw: dict[str, Draw]
) -> dict[str, dict[int, str]]:
    """For each variant (``"card"``, ``"lead"``) the cards of its stories by id: kept
    ones where found, the others drawn by ``draw[variant](ids)`` and kept."""
    if not card_cache_enabled():
        return {variant: _drawn(draw[variant], stories) for variant, stories in wanted.items()}
    versions = _global_versions()
    if versions is None:  # the cache server is down
        return {variant: _drawn(draw[variant], stories) for variant, stories in wanted.items()}
    language = get_language() or settings.LANGUAGE_CODE
    prefix = ":".join(["newsroom:card", _revision(), language, *map(str, versions)])
    names = {
        variant: {story.pk: f"{prefix}:{variant}:{_stamp(story)}" for story in stories}
        for variant, stories in wanted.items()
    }
    found = shared_cache.call("get_many", [n for by_pk in names.values() for n in by_pk.values()])
    found = found or {}
    result, fresh = {}, {}
    for variant, by_pk in names.items():
        result[variant] = {pk: found[name] for pk, name in by_pk.items() if name in found}
        missing = [pk for pk in by_pk if pk not in result[variant]]
        if missing:
            drawn = draw[variant](missing)
            result[variant].update(drawn)
            fresh.update({by_pk[pk]: html for pk, html in drawn.items()})
    if fresh:
        shared_cache.call("set_many", fresh, timeout=settings.NEWSROOM_CARD_CACHE_SECONDS)
    return result


def _global_versions() -> list[int] | None:
    """The versions of GLOBAL_KEYS (None: the cache is unavailable)."""
    names = [version_key(key) for key in GLOBAL_KEYS]
    found = shared_cache.call("get_many", names)
    if found is None or shared_cache.is_down():
        return None
    for name in names:
        if name not in found:
            # Never retired, expired or evicted: a new version from the wall clock in
            # nanoseconds, so that no card kept under an older one can be named again.
            shared_cache.call("add", name, time.time_ns(), timeout=VERSION_TTL)
            found[name] = shared_cache.call("get", name)
            if found[name] is None:
                return None
    return [found[name] for name in names]


def _drawn(draw: Draw, stories: Sequence[CardStory]) -> dict[int, str]:
    return draw([story.pk for story in stories]) if stories else {}


def _stamp(story: CardStory) -> str:
    moment = story.publish_at.timestamp() if story.publish_at else ""
    return f"{story.pk}:{story.version}:{moment}:{story.section_id}:{story.lead_image_id or ''}"


@cache
def _revision() -> str:
    """The card templates' text and the settings they read, in a few characters."""
    digest = hashlib.sha256()
    for name in TEMPLATES:
        origin = get_template(name).origin  # type: ignore[attr-defined]
        digest.update(Path(origin.name).read_bytes())
    digest.update(f"{settings.NEWSROOM_DIGITS}:{settings.TIME_ZONE}".encode())
    return digest.hexdigest()[:10]
