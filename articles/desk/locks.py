"""The soft edit lock: who has a story's form open, kept fresh by the page's heartbeat.

It only warns; what protects the words is the version check on save
(articles/admin/forms.py). Two records, both written only by POSTs from the open
form (static/js/desk-presence.js), never by showing a page:
- ``EditPresence``: one row per person with the form open, so two editors on one
  story see each other;
- ``Article.editing_by``: the one person who holds the lock (the first to open
  it, or an editor who took it over), kept with ``update()`` so that taking or
  refreshing it is not a save of the story (no revision, no new version).
Both go stale after ``lock_ttl()`` without a heartbeat; leaving the page and
submitting the form release them at once.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Q
from django.utils import timezone

from articles.models import Article, EditPresence


def lock_ttl() -> datetime.timedelta:
    return datetime.timedelta(seconds=getattr(settings, "NEWSROOM_EDIT_LOCK_SECONDS", 90))


def heartbeat_seconds() -> int:
    """How often the open form says it is still open: a few beats fit in one TTL."""
    return max(5, int(lock_ttl().total_seconds()) // 3)


@dataclass
class LockState:
    mine: bool
    holder: User | None = None  # the user holding it, when it is not mine
    since: datetime.datetime | None = None
    others: list[EditPresence] = field(default_factory=list)  # everyone else's rows


def heartbeat(article: Article, user) -> LockState:
    """``user`` still has the form open: refresh their presence, take the lock if free."""
    now = timezone.now()
    # Forms closed without a goodbye (a crash, a lost network) leave rows: sweep this story's.
    EditPresence.objects.filter(article=article, seen_at__lt=now - lock_ttl()).delete()
    EditPresence.objects.bulk_create(
        [EditPresence(article=article, user=user, opened_at=now, seen_at=now)],
        update_conflicts=True,
        unique_fields=["article", "user"],
        update_fields=["seen_at"],
    )
    state = acquire(article, user, now=now)
    state.others = others_present(article, user)
    return state


def acquire(article: Article, user, *, now=None) -> LockState:
    """Take the lock if it is free, expired or already ours; else say who holds it."""
    now = now or timezone.now()
    taken = (
        Article.objects.filter(pk=article.pk)
        .filter(
            Q(editing_by__isnull=True) | Q(editing_by=user) | Q(editing_since__lt=now - lock_ttl())
        )
        .update(editing_by=user, editing_since=now)
    )
    if taken:
        return LockState(mine=True, since=now)
    current = (
        Article.objects.select_related("editing_by")
        .only("editing_by", "editing_since")
        .get(pk=article.pk)
    )
    return LockState(mine=False, holder=current.editing_by, since=current.editing_since)


def holder(article: Article) -> User | None:
    """Who is editing ``article`` now (None when nobody, or the lock expired)."""
    since = article.editing_since
    if article.editing_by_id and since is not None and since > timezone.now() - lock_ttl():
        return article.editing_by
    return None


def others_present(article: Article, user) -> list[EditPresence]:
    """Everyone but ``user`` whose form on ``article`` sent a heartbeat lately."""
    return list(
        EditPresence.objects.filter(article=article, seen_at__gt=timezone.now() - lock_ttl())
        .exclude(user=user)
        .select_related("user")
        .order_by("opened_at")
    )


def release(article: Article, user) -> None:
    """``user`` closed the form (left the page, saved or submitted the story)."""
    EditPresence.objects.filter(article=article, user=user).delete()
    Article.objects.filter(pk=article.pk, editing_by=user).update(
        editing_by=None, editing_since=None
    )
