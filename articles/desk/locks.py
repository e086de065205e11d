"""The soft edit lock: "being edited by X since T", which expires on its own.

It only warns; what protects the words is the version check on save
(articles/admin/forms.py). Kept with ``update()`` so that taking or
refreshing it is not a save of the story (no revision, no new version).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from articles.models import Article


def lock_ttl() -> datetime.timedelta:
    return datetime.timedelta(minutes=getattr(settings, "NEWSROOM_EDIT_LOCK_MINUTES", 15))


@dataclass
class LockState:
    mine: bool
    holder: object = None  # the user holding it, when it is not mine
    since: datetime.datetime | None = None


def acquire(article: Article, user) -> LockState:
    """Take the lock if it is free, expired or already ours; else say who holds it."""
    now = timezone.now()
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


def holder(article: Article):
    """Who is editing ``article`` now (None when nobody, or the lock expired)."""
    if article.editing_by_id and article.editing_since > timezone.now() - lock_ttl():
        return article.editing_by
    return None


def release(article: Article, user) -> None:
    Article.objects.filter(pk=article.pk, editing_by=user).update(
        editing_by=None, editing_since=None
    )
