"""Retiring what readers can see change: in the page cache and in the HTTP cache in front.

The workflow announces each committed write to a story (``article_changed``, sent on
commit by the one door, transitions included); ``story_changed`` retires the keys of
what that story touches, and nothing else. A write no reader can see (a draft filed or
edited, submitted, approved, returned) retires nothing. Live coverage announces its
steps with ``article_transitioned`` (``live_coverage_changed``).

A purge that cannot be delivered — Redis down, Varnish unreachable — is kept as a
``PendingPurge`` row and delivered again by ``publish_due`` (``deliver_pending``):
the editor's action has committed and they are told it succeeded, and no page
stays stale once the service is back.
"""

import http.client
import logging
import urllib.parse
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F

from articles.site import shared_cache, surrogates

if TYPE_CHECKING:  # for annotations only: the functions import the models when called
    from articles.models import Article

log = logging.getLogger(__name__)
APP_CACHE = "cache"


def _public_actions() -> tuple[set[str], set[str]]:
    from articles.models import ArticleEvent

    Action = ArticleEvent.Action
    # Publication adds a story: a stale copy may stand in for the moment of a re-render.
    soft = {Action.PUBLISH.value}
    # Withdrawal, correction and changes of schedule: never a stale copy.
    hard = {
        action.value
        for action in (
            Action.SCHEDULE,
            Action.RESCHEDULE,
            Action.UNSCHEDULE,
            Action.SET_EXPIRY,
            Action.WITHDRAW,
            Action.CORRECT,
        )
    }
    return soft, hard


def _live_actions() -> tuple[set[str], set[str]]:
    from articles.models import ArticleEvent

    Action = ArticleEvent.Action
    # An update posted adds to the story's page; edited or deleted, the old copy must go;
    # started or closed, the page becomes (or stops being) live coverage.
    hard = (Action.UPDATE_EDIT, Action.UPDATE_DELETE, Action.LIVE_START, Action.LIVE_END)
    return {Action.UPDATE_POST.value}, {action.value for action in hard}


# Receivers of the workflow's signals: ``**kwargs`` is the rest of what the signal sends.
def story_changed(
    sender: type["Article"], *, article: "Article", action: str, **kwargs: Any
) -> None:
    """After a committed write to a story (``article_changed``): retire the keys of what
    it changed for readers, and nothing for a write no reader can see."""
    from articles.models import Article

    action = getattr(action, "value", action)  # a member of Action, or its text
    soft, hard = _public_actions()
    published = article.status == Article.Status.PUBLISHED
    if action in soft | hard:
        if action == "set_expiry" and not published:
            return  # an unpublished story's expiry changes nothing a reader sees
    elif action == "edit" and published:
        # A scheduled story edited before its second: nothing public changes yet, but
        # the keys its publication will touch (section, tags, authors) may have.
        action = "correct"
    else:
        return  # a draft created or edited, submitted, approved, returned, deleted
    try:
        keys = surrogates.keys_of(article)
    except Exception:  # the database failed after the commit: retire every listing
        log.exception("could not read the keys of story %s", article.pk)
        keys = {surrogates.story(article.pk), *surrogates.SITE_LISTINGS}
    purge(keys, hard=action in hard)


def live_coverage_changed(
    sender: type["Article"], *, article: "Article", action: str, **kwargs: Any
) -> None:
    """After a committed live-coverage step (``article_transitioned``, articles/desk/live.py):
    coverage started or closed, an update posted, edited or deleted change the story's own
    page (and what its open pages poll), nothing that lists it; assigning reporters
    changes nothing public."""
    action = getattr(action, "value", action)
    live_soft, live_hard = _live_actions()
    if action in live_soft | live_hard:
        purge({surrogates.story(article.pk)}, hard=action in live_hard)


def purge(keys: Iterable[str], *, hard: bool) -> None:
    """Retire ``keys`` everywhere now; whatever cannot be reached goes to the outbox."""
    names = sorted(set(keys))
    if not names:
        return
    for target in [APP_CACHE, *settings.NEWSROOM_PURGE_URLS]:
        try:
            _deliver(target, names, hard)
        except Exception as exc:  # never the editor's problem: kept and retried
            _keep(target, names, hard, exc)


def purge_on_commit(keys: Iterable[str], *, hard: bool) -> None:
    """``purge`` once the current transaction commits (what it read is then stored)."""
    kept = set(keys)
    transaction.on_commit(lambda: purge(kept, hard=hard))


def _deliver(target: str, keys: list[str], hard: bool) -> None:
    if target == APP_CACHE:
        from articles.site import caching

        caching.retire_keys(keys, hard=hard)
    else:
        _purge_http_cache(target, keys)


def _purge_http_cache(url: str, keys: list[str]) -> None:
    """``PURGE`` with an ``xkey-purge`` header: Varnish's xkey vmod (deploy/varnish/).

    Always a hard purge: a soft one would let Varnish answer the next reader with the
    old copy (a "not found" for a story just published). Varnish's request coalescing
    already sends one fetch to the application however many readers ask at once.
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise ValueError(f"NEWSROOM_PURGE_URLS: {url!r} is not an http:// address")
    connection = http.client.HTTPConnection(
        parts.hostname, parts.port or 80, timeout=settings.NEWSROOM_PURGE_TIMEOUT_SECONDS
    )
    try:
        connection.request("PURGE", parts.path or "/", headers={"xkey-purge": " ".join(keys)})
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    if response.status != 200:
        raise OSError(f"PURGE answered {response.status}")


def _keep(target: str, keys: list[str], hard: bool, exc: Exception) -> None:
    from articles.models import PendingPurge

    log.warning("purge of %s at %s failed (%r); kept for publish_due", keys, target, exc)
    try:
        PendingPurge.objects.create(
            target=target, keys=" ".join(keys), hard=hard, last_error=repr(exc)[:200]
        )
    except Exception:  # the database is down too: nothing more can be done now
        log.exception("could not keep the purge of %s at %s", keys, target)


def deliver_pending(limit: int = 500) -> int:
    """Deliver the purges kept in the outbox; return how many were delivered."""
    from articles.models import PendingPurge

    shared_cache.reset()  # try the cache server again, whatever this process saw before
    delivered = 0
    with transaction.atomic():
        rows = list(PendingPurge.objects.select_for_update(skip_locked=True)[:limit])
        for row in rows:
            try:
                _deliver(row.target, row.keys.split(), row.hard)
            except Exception as exc:
                PendingPurge.objects.filter(pk=row.pk).update(
                    attempts=F("attempts") + 1, last_error=repr(exc)[:200]
                )
            else:
                row.delete()
                delivered += 1
    return delivered
