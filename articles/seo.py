"""Structured data for search engines (schema.org JSON-LD)."""

from django.conf import settings
from django.utils import timezone


def news_article(request, article) -> dict:
    url = request.build_absolute_uri(article.get_absolute_url())
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "description": article.standfirst,
        "inLanguage": "ar",
        "datePublished": timezone.localtime(article.publish_at).isoformat(),
        "dateModified": timezone.localtime(article.updated_at).isoformat(),
        "articleSection": article.section.name,
        "keywords": [tag.name for tag in article.tags.all()],
        "author": [{"@type": "Person", "name": author.name} for author in article.byline],
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "publisher": {"@type": "NewsMediaOrganization", "name": settings.NEWSROOM_SITE_NAME},
    }
