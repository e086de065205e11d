"""What search engines, aggregators and social networks read about our pages.

Structured data (schema.org JSON-LD), and the lead image as the outside world
sees it. Lead images are added by the images work; ``lead_image()`` reads them
through getattr so that pages, feeds and JSON-LD pick them up once they exist.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urljoin

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from articles.site.filters import json_ld

if TYPE_CHECKING:  # for annotations only
    from articles.models import Article
    from articles.site.live import LivePage, Update

# A JSON-LD document: schema.org's fields, any JSON value each.
JsonLd = dict[str, Any]

PUBLISHER_LOGO = "img/logo.png"  # 600x60, the size Google asks of news publishers
PUBLISHER_LOGO_SIZE = (600, 60)
# The site's own 1200×630 card (manage.py brand_images), for stories without a picture.
SITE_CARD = "img/social-card.png"
SITE_CARD_SIZE = (1200, 630)


@dataclass(frozen=True)
class LeadImage:
    url: str  # absolute
    width: int | None = None
    height: int | None = None
    size: int | None = None  # bytes, for RSS enclosures
    mime_type: str | None = None
    alt: str = ""


def lead_image(article: "Article", request: HttpRequest) -> LeadImage | None:
    """The story's lead picture as social cards, feeds and JSON-LD use it: the
    1200×630 social rendition, or None when the story has no picture."""
    image = article.lead_image
    if image is None:
        return None
    # JPEG: every social network and feed reader can show it.
    card = next((r for r in image.renditions_of("social") if r.format == "jpeg"), None)
    if card is None:
        return None
    try:
        size = card.file.size  # RSS enclosures must say how long they are
    except (OSError, ValueError):
        size = None
    return LeadImage(
        url=request.build_absolute_uri(card.url),
        width=card.width,
        height=card.height,
        size=size,
        mime_type=card.mime_type,
        alt=image.alt_text,
    )


def site_card(request: HttpRequest) -> LeadImage:
    """The paper's name on a 1200×630 card: what shares and search results show for a
    story without a picture (Google's article guidelines want an image on every story)."""
    return LeadImage(
        url=request.build_absolute_uri(static(SITE_CARD)),
        width=SITE_CARD_SIZE[0],
        height=SITE_CARD_SIZE[1],
        mime_type="image/png",
        alt=settings.NEWSROOM_SITE_NAME,
    )


def share_image(article: "Article", request: HttpRequest) -> LeadImage:
    """The story's lead picture, or the site's card."""
    return lead_image(article, request) or site_card(request)


def _iso(value: datetime.datetime) -> str:
    """An ISO 8601 time with its UTC offset, on the site's clock."""
    return timezone.localtime(value).isoformat()


def publisher(request: HttpRequest) -> JsonLd:
    return _publisher(request.build_absolute_uri, settings.NEWSROOM_SITE_NAME)


def _publisher(absolute: Callable[[str], str], name: str) -> JsonLd:
    return {
        "@type": "NewsMediaOrganization",
        "name": name,
        "url": absolute(reverse("articles:home")),
        "logo": {
            "@type": "ImageObject",
            "url": absolute(static(PUBLISHER_LOGO)),
            "width": PUBLISHER_LOGO_SIZE[0],
            "height": PUBLISHER_LOGO_SIZE[1],
        },
    }


def news_article(request: HttpRequest, article: "Article") -> JsonLd:
    url = request.build_absolute_uri(article.get_absolute_url())
    published = cast(datetime.datetime, article.publish_at)  # a public story has one (live())
    data: JsonLd = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline[:110],  # Google shows at most 110 characters
        "description": article.standfirst,
        "inLanguage": "ar",
        "datePublished": _iso(published),
        "dateModified": _iso(max(article.updated_at, published)),
        "articleSection": article.section.name,
        "keywords": [tag.name for tag in article.tag_list],
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                "url": request.build_absolute_uri(author.get_absolute_url()),
            }
            for author in article.byline
        ],
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "publisher": publisher(request),
    }
    image = share_image(article, request)
    data["image"] = {"@type": "ImageObject", "url": image.url}
    if image.width and image.height:
        data["image"].update(width=image.width, height=image.height)
    return data


def live_blog(request: HttpRequest, article: "Article", live: "LivePage") -> JsonLd:
    """A LiveBlogPosting: the story's NewsArticle fields, when the coverage ran, and the
    updates the page shows (the pinned one and the current page), each a BlogPosting
    with its own address. ``live`` is articles/site/live.py's page: its times are
    already written out on the site's clock."""
    data = {**news_article(request, article), "@type": "LiveBlogPosting"}
    data["coverageStartTime"] = _iso(live.coverage.started_at)
    if live.coverage.ended_at:
        data["coverageEndTime"] = _iso(live.coverage.ended_at)
    url = data["url"]
    shown = sorted(live.shown, key=lambda u: (u.posted_at, u.pk), reverse=True)
    site = request.build_absolute_uri("/").removesuffix("/")  # once, not once an update
    data["liveBlogUpdate"] = [_blog_posting(site, url, update) for update in shown]
    return data


def _blog_posting(site: str, url: str, update: "Update") -> JsonLd:
    posting: JsonLd = {
        "@type": "BlogPosting",
        "headline": update.label[:110],
        "url": f"{url}#{update.anchor}",
        "datePublished": update.posted_iso,
    }
    if update.edited_iso:
        posting["dateModified"] = update.edited_iso
    if update.author_name:
        posting["author"] = {
            "@type": "Person",
            "name": update.author_name,
            "url": f"{site}{update.author_url}",
        }
    posting["articleBody"] = update.text
    return posting


def breadcrumbs(request: HttpRequest, *trail: tuple[str, str]) -> JsonLd:
    """A BreadcrumbList from (name, path) pairs, the home page first."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": request.build_absolute_uri(path),
            }
            for position, (name, path) in enumerate(trail, start=1)
        ],
    }


def website(request: HttpRequest) -> JsonLd:
    """The home page's WebSite, with the search box search engines can offer: the same for
    every request to the same site (worked out once; not to be changed by its users)."""
    site = request.build_absolute_uri("/")
    return _website(site, settings.NEWSROOM_SITE_NAME, static(PUBLISHER_LOGO))


def website_block(request: HttpRequest) -> SafeString:
    """``website`` written out as the home page's JSON-LD block, once a site address."""
    site = request.build_absolute_uri("/")
    return _website_block(site, settings.NEWSROOM_SITE_NAME, static(PUBLISHER_LOGO))


@lru_cache(maxsize=64)
def _website_block(site: str, name: str, logo: str) -> SafeString:
    return json_ld(_website(site, name, logo))


@lru_cache(maxsize=64)  # a few site addresses (ALLOWED_HOSTS)
def _website(site: str, name: str, logo: str) -> JsonLd:
    def absolute(location: str) -> str:  # as request.build_absolute_uri() for this site
        return urljoin(site, location)

    home = absolute(reverse("articles:home"))
    search = absolute(reverse("articles:search"))
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": name,
        "url": home,
        "inLanguage": "ar",
        "publisher": _publisher(absolute, name),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }
