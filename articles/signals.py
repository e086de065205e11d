"""Cache upkeep only; no workflow rule lives in a signal."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.context_processors import NAV_CACHE_KEY
from articles.models import Section


@receiver([post_save, post_delete], sender=Section)
def forget_navigation(**kwargs):
    cache.delete(NAV_CACHE_KEY)
