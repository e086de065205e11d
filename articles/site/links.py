"""Links to the site's pages, by URL name."""

from functools import lru_cache

from django.urls import get_script_prefix, reverse


def link(name: str, **kwargs: str | int) -> str:
    """reverse(), remembered: a page links to dozens of stories, sections and tags, and
    reverse() costs tens of microseconds each time. Same arguments, same answer."""
    return _remembered_reverse(get_script_prefix(), name, tuple(sorted(kwargs.items())))


@lru_cache(maxsize=20_000)
def _remembered_reverse(prefix: str, name: str, kwargs: tuple[tuple[str, str | int], ...]) -> str:
    return reverse(name, kwargs=dict(kwargs))
