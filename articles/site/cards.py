"""Markup drawn once and kept, named by everything it shows: story cards, and what the
home page makes of them (its sections' blocks, its "Latest" lines, its whole body).

The home page is retired by every public change of any story (surrogates.HOME), and at
100,000 stories drawing its fifty-odd cards afresh cost ~13 ms of its ~16. A card,
though, shows one story: its words and picture (which change only through the desk's
door, which moves the story's ``version``), its moment and section, the names on its
byline, the section's name and the picture's words. So a card is kept in the shared
cache under a name made of the story's id, version, moment, section and picture (a
changed story gets a new name: nothing has to be found and deleted); a section's block
under a name made of its section and its cards' names, and the home page's body under
its query's rows (articles/site/front.py). Each is tagged with the versions of three
surrogate keys moved by the rare edits outside the door: ``nav`` (a section renamed),
``bylines`` (an author renamed) and ``pictures`` (a picture's words or crop changed).
Whatever's tag is not the keys' current versions is drawn again.

A page asks for what it shows and the three versions in one round trip, and draws only
what was not found. The names also carry the templates' own revision and FORMAT, so a
deployment never serves old markup. With the cache server down everything is drawn.
"""

import hashlib
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.template.loader import get_template
from django.utils.translation import get_language

from articles.site import shared_cache, surrogates
from articles.site.caching import shared_cache_configured
from articles.site.versions import version_key, versions_of

# Moved by the edits outside the desk's door that change what cards show (articles/signals.py).
GLOBAL_KEYS = (surrogates.NAV, surrogates.BYLINES, surrogates.PICTURES)
# What is kept, and how: moved when that changes, so a deployment never reads what an older
# one kept (2: the home page's body kept as UTF-8 bytes).
FORMAT = 2
TEMPLATES = (
    "articles/_card.html",
    "articles/_lead.html",
    "articles/_picture.html",
    "articles/_block.html",
    "articles/_front.html",
    "articles/_line.html",
)


class CardStory(Protocol):
    """What names a story's card: its id and everything on it that can change."""

    @property
    def pk(self) -> int: ...
    @property
    def card_stamp(self) -> str: ...


Draw = Callable[[list[int]], dict[int, str]]


def card_cache_enabled() -> bool:
    return settings.NEWSROOM_CARD_CACHE_SECONDS > 0 and (
        shared_cache_configured()
        or settings.DEBUG
        or settings.NEWSROOM_PAGE_CACHE_ALLOW_PROCESS_LOCAL
    )


class ReadAlong(Protocol):
    """Other keys the page reads, read in the same round trip (the masthead's)."""

    names: list[str]
    found: dict[str, Any] | None


def kept[Kept: (str, bytes)](  # markup, or markup as the UTF-8 it is sent as
    names: Sequence[str],
    draw: Callable[[list[str]], dict[str, Kept]],
    along: ReadAlong | None = None,
) -> dict[str, Kept]:
    """The markup named ``names``: kept where found, the rest drawn by ``draw(missing)``
    and kept. A name ``draw`` leaves out (its story has gone) is left out here too."""
    if not card_cache_enabled():
        return draw(list(names)) if names else {}
    # One round trip: the markup, the versions of the keys it must have been drawn under,
    # and whatever else the page reads.
    globals_: list[str] = [version_key(key) for key in GLOBAL_KEYS]
    also: list[str] = [name for name in along.names if name not in globals_] if along else []
    found = shared_cache.call("get_many", [*globals_, *names, *also])
    if found is None or shared_cache.is_down():  # the cache server is unavailable
        return draw(list(names)) if names else {}
    if along is not None:
        along.found = {name: found[name] for name in along.names if name in found}
    versions = versions_of(globals_, found)
    result: dict[str, Kept] = {}
    for name in names:
        value = found.get(name)
        if value is not None and value[0] == versions:
            result[name] = value[1]
    missing = [name for name in names if name not in result]
    if missing:
        # Tagged with the versions read before the stories are: a change made meanwhile
        # moves a version, and the next reader draws it again.
        drawn = draw(missing)
        result.update(drawn)
        if drawn and versions is not None:
            fresh = {name: (versions, html) for name, html in drawn.items()}
            shared_cache.call("set_many", fresh, timeout=settings.NEWSROOM_CARD_CACHE_SECONDS)
    return result


def cards(variant: str, stories: Sequence[CardStory], draw: Draw) -> dict[int, str]:
    """The ``variant`` cards (``"card"``, ``"lead"``) of ``stories`` by id: kept ones
    where found, the others drawn by ``draw(ids)`` and kept."""
    names = {story.pk: card_name(variant, story) for story in stories}
    pks = {name: pk for pk, name in names.items()}

    def draw_named(missing: list[str]) -> dict[str, str]:
        drawn = draw([pks[name] for name in missing])
        return {names[pk]: html for pk, html in drawn.items()}

    found = kept(list(names.values()), draw_named)
    return {pk: found[name] for pk, name in names.items() if name in found}


def card_name(variant: str, story: CardStory) -> str:
    return f"{_prefix()}:{variant}:{story.card_stamp}"


def fragment_name(kind: str, *shown: bytes) -> str:
    """Markup made of other kept markup (a section's block, the home page's body): named by
    what it shows — its parts' stamps, in order — hashed to stay short."""
    digest = hashlib.blake2b(b"|".join(shown), digest_size=16)
    return f"{_prefix()}:{kind}:{digest.hexdigest()}"


def _prefix() -> str:
    return f"newsroom:card:{FORMAT}:{_revision()}:{get_language() or settings.LANGUAGE_CODE}"


@cache
def _revision() -> str:
    """The card templates' text and the settings they read, in a few characters."""
    digest = hashlib.sha256()
    for name in TEMPLATES:
        origin = get_template(name).origin  # type: ignore[attr-defined]
        digest.update(Path(origin.name).read_bytes())
    digest.update(f"{settings.NEWSROOM_DIGITS}:{settings.TIME_ZONE}".encode())
    return digest.hexdigest()[:10]
