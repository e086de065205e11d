"""``manage.py check --deploy``: the page cache needs a cache every worker shares."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.caches, deploy=True)
def page_cache_is_shared(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    from articles.site import caching

    if settings.NEWSROOM_PAGE_CACHE_SECONDS <= 0 or caching.shared_cache_configured():
        return []
    if settings.NEWSROOM_PAGE_CACHE_ALLOW_PROCESS_LOCAL:
        return []
    return [
        checks.Error(
            "The page cache is off: CACHE_URL names a process-local cache, and with more "
            "than one worker each would serve its own stale copy of a withdrawn story.",
            hint="Set CACHE_URL to a shared cache (redis://…), or NEWSROOM_PAGE_CACHE_SECONDS=0 "
            "to run without a page cache on purpose.",
            id="newsroom.E001",
        )
    ]
