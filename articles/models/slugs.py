"""Slugs for the public URLs: Arabic allowed, never empty."""

from django.utils.text import slugify


def unicode_slug(text: str, fallback: str, max_length: int = 200) -> str:
    """An Arabic-capable slug that is never empty."""
    return slugify(text, allow_unicode=True)[:max_length].strip("-") or fallback
