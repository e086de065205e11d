"""Filters for the desk's Django templates (``{% load desk %}``, see settings.TEMPLATES)."""

import datetime
from typing import TYPE_CHECKING

from django import template
from django.utils import timezone

from articles.text import arabic

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

register = template.Library()


@register.filter
def desk_when(value: datetime.datetime | None) -> str:
    """The desk's date and time in Arabic order, no seconds: ``25 أبريل 2024، 14:05``."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{local.day} {arabic.MONTHS[local.month - 1]} {local.year}، {local:%H:%M}"


@register.filter
def status_label(value: str) -> "StrOrPromise":
    """A story status code (``approved``) as the desk reads it (``معتمد``)."""
    from articles.models import Article

    try:
        return Article.Status(value).label
    except ValueError:
        return value
