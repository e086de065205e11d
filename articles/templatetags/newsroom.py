"""The site's filters, for Django templates (``{% load newsroom %}``) and, as the same
functions, for the Jinja2 templates (newsroom/jinja2.py)."""

import json

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles import arabic
from articles.text import hijri

register = template.Library()


@register.filter
def dateline(value):
    """``الخميس - 25 أبريل 2024`` (digits as configured)."""
    return arabic.format_dateline(value) if value else ""


@register.filter
def full_dateline(value):
    """``الخميس 16 شوال 1445 هـ - 25 أبريل 2024``: the Hijri date too, when it is on."""
    return hijri.format_full_dateline(value) if value else ""


@register.filter
def desk_when(value):
    """The desk's date and time in Arabic order, no seconds: ``25 أبريل 2024، 14:05``."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{local.day} {arabic.MONTHS[local.month - 1]} {local.year}، {local:%H:%M}"


@register.filter
def status_label(value):
    """A story status code (``approved``) as the desk reads it (``معتمد``)."""
    from articles.models import Article

    try:
        return Article.Status(value).label
    except ValueError:
        return value


@register.filter
def clock(value):
    return arabic.format_time(value) if value else ""


@register.filter
def digits(value):
    return arabic.localize_digits(value)


@register.simple_tag
def json_ld(data):
    """A JSON-LD block; ``<``, ``>`` and ``&`` escaped so text cannot close the tag."""
    text = json.dumps(data, ensure_ascii=False, default=str)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
