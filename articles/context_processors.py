from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from articles.models import Section

NAV_CACHE_KEY = "newsroom:nav-sections"


def site(request):
    """Site name and the section navigation, on every page."""
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "now": timezone.now(),
        "nav_sections": nav_sections,
    }


def nav_sections():
    """Top-level sections for the masthead; cached, cleared when a section changes."""
    sections = cache.get(NAV_CACHE_KEY)
    if sections is None:
        sections = list(Section.objects.filter(parent=None).only("name", "slug", "order"))
        cache.set(NAV_CACHE_KEY, sections, 300)
    return sections
