"""Cache upkeep only; no workflow rule lives in a signal."""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    Image,
    LiveCoverage,
    LiveUpdate,
    Rendition,
    Section,
    Tag,
)
from articles.site import caching
from articles.site.context_processors import NAV_CACHE_KEY

PUBLIC_CONTENT = (
    Article,
    ArticleAuthor,
    Author,
    Section,
    Tag,
    Image,
    Rendition,
    LiveCoverage,
    LiveUpdate,
)


@receiver([post_save, post_delete], sender=Section)
def forget_navigation(**kwargs):
    transaction.on_commit(lambda: cache.delete(NAV_CACHE_KEY))


def retire_cached_pages(**kwargs):
    # After commit: a page rendered before then would otherwise be stored as fresh.
    transaction.on_commit(caching.content_changed)


for model in PUBLIC_CONTENT:
    post_save.connect(retire_cached_pages, sender=model, dispatch_uid=f"pages-{model.__name__}")
    post_delete.connect(retire_cached_pages, sender=model, dispatch_uid=f"pages-{model.__name__}-d")
m2m_changed.connect(retire_cached_pages, sender=Article.tags.through, dispatch_uid="pages-tags")
