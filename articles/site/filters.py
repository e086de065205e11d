"""The site's filters: newsroom/jinja2.py installs them in the Jinja2 templates."""

import datetime
import json
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from articles.text import arabic, hijri
from articles.text.hygiene import strip_unsafe_everywhere


def dateline(value: datetime.datetime | datetime.date | None) -> str:
    """``الخميس - 25 أبريل 2024`` (digits as configured)."""
    return arabic.format_dateline(value) if value else ""


def full_dateline(value: datetime.datetime | datetime.date | None) -> str:
    """``الخميس 16 شوال 1445 هـ - 25 أبريل 2024``: the Hijri date too, when it is on."""
    return hijri.format_full_dateline(value) if value else ""


def clock(value: datetime.datetime | None) -> str:
    return arabic.format_time(value) if value else ""


def digits(value: str | int) -> str:
    return arabic.localize_digits(value)


# A JSON-LD document (articles/site/seo.py): any JSON value inside.
def json_ld(data: dict[str, Any] | SafeString) -> SafeString:
    """A JSON-LD block; ``<``, ``>`` and ``&`` escaped so text cannot close the tag, and
    every string through the hygiene's character rules (no bidi override in a title).
    A block already written out by this (seo.website_block) passes as it is."""
    if isinstance(data, SafeString):
        return data
    text = json.dumps(strip_unsafe_everywhere(data), ensure_ascii=False, default=str)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308 - escaped above
