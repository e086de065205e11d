"""RSS 2.0 and Atom feeds for the whole site and for each section.

Built on Django's syndication framework; only ``live()`` stories. Each item
carries full dates, its authors, its section and tags as categories, the
standfirst as the summary (plain text, sent as text), the full sanitised body
(RSS ``content:encoded``, Atom ``content``), and the lead image (an enclosure, and a
``media:content`` element) once stories have one (see seo.lead_image).
"""

import copy
import datetime
import re
import uuid
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed, SyndicationFeed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.xmlutils import SimplerXMLGenerator

from articles.models import Article, Section
from articles.models.querysets import ArticleQuerySet
from articles.site import seo, surrogates
from articles.text.hygiene import strip_unsafe

FEED_LENGTH = 30
MEDIA_NAMESPACE = "http://search.yahoo.com/mrss/"
CONTENT_NAMESPACE = "http://purl.org/rss/1.0/modules/content/"
# Site-relative links and pictures in the stored body ("/section/…", "/media/…").
_SITE_RELATIVE = re.compile(r'(\s(?:href|src)=")/(?!/)')


class _MediaMixin(SyndicationFeed):
    """Adds Media RSS (``media:content``) for the lead image, which aggregators read
    (the RSS feed names the namespace on ``<rss>`` too: RssFeedType)."""

    def root_attributes(self) -> dict[str, str]:
        return {**super().root_attributes(), "xmlns:media": MEDIA_NAMESPACE}

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        image: seo.LeadImage | None = item.get("lead_image")
        if image:
            attrs = {"url": image.url, "medium": "image"}
            if image.mime_type:
                attrs["type"] = image.mime_type
            if image.width and image.height:
                attrs.update(width=str(image.width), height=str(image.height))
            handler.addQuickElement("media:content", "", attrs)


# The feed writer's arguments: text, lists of text, dates, enclosures (Django's own Any).
def _safe(values: dict[str, Any]) -> dict[str, Any]:
    return {
        key: strip_unsafe(value)
        if isinstance(value, str)
        else [strip_unsafe(v) if isinstance(v, str) else v for v in value]
        if isinstance(value, (list, tuple))
        else value
        for key, value in values.items()
    }


class _SafeTextMixin(SyndicationFeed):
    """Text passes the hygiene's character rules on its way out: even a row written
    around the models (raw SQL) cannot make the feed invalid XML or spoof a title."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **_safe(kwargs))

    def add_item(self, *args: Any, **kwargs: Any) -> None:
        super().add_item(*args, **_safe(kwargs))


class RssFeedType(_SafeTextMixin, _MediaMixin, Rss201rev2Feed):
    """The standfirst is plain text but an RSS description is HTML: escape it for
    HTML (the XML writer escapes it once more), so readers show "<img …>" as typed.
    The body goes in ``content:encoded``."""

    def rss_attributes(self) -> dict[str, str]:
        return {
            **super().rss_attributes(),
            "xmlns:media": MEDIA_NAMESPACE,
            "xmlns:content": CONTENT_NAMESPACE,
        }

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        if item["description"] is not None:
            item = {**item, "description": escape(item["description"])}
        super().add_item_elements(handler, item)
        if item.get("body"):
            handler.addQuickElement("content:encoded", item["body"])


class AtomFeedType(_SafeTextMixin, _MediaMixin, Atom1Feed):
    """Atom says what its text is: the standfirst as ``type="text"``, the body as HTML."""

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})
        if item.get("body"):
            handler.addQuickElement("content", item["body"], {"type": "html"})


class _StoryFeed[Shown: (None, Section)](Feed):
    """What every story feed shares: its items, and how each request is served.

    ``Shown`` is what the feed is of (Django's ``get_object``): nothing for the site's
    feeds, a section for a section's.
    """

    feed_type: type[SyndicationFeed] = RssFeedType
    language = "ar"
    request: HttpRequest  # set on each request's own copy (__call__)

    def stories(self, obj: Shown) -> ArticleQuerySet:
        raise NotImplementedError

    def items(self, obj: Shown) -> ArticleQuerySet:
        return self.stories(obj).for_listing().newest_first()[:FEED_LENGTH]

    def feed_url(self, obj: Shown) -> None:
        return None  # Django then uses the requested URL, whichever format it is

    def item_title(self, item: Article) -> str:
        return item.headline

    def item_description(self, item: Article) -> str:
        return item.standfirst

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    item_guid_is_permalink = False

    def item_guid(self, item: Article) -> str:
        # Stable across headline (slug) and domain changes, and a valid URI for Atom's <id>.
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'newsroom:article:{item.pk}')}"

    def item_pubdate(self, item: Article) -> datetime.datetime | None:
        return item.publish_at

    def item_updateddate(self, item: Article) -> datetime.datetime:
        return item.updated_at

    def item_author_name(self, item: Article) -> str | None:
        return "، ".join(author.name for author in item.byline) or None

    def item_author_link(self, item: Article) -> str | None:
        byline = item.byline
        return self.request.build_absolute_uri(byline[0].get_absolute_url()) if byline else None

    def item_categories(self, item: Article) -> list[str]:
        return [item.section.name, *(tag.name for tag in item.tag_list)]

    def item_enclosures(self, item: Article) -> list[Enclosure]:
        image = seo.lead_image(item, self.request)
        if image is None or image.size is None:
            return []
        return [Enclosure(image.url, str(image.size), image.mime_type or "image/jpeg")]

    def item_extra_kwargs(self, item: Article) -> dict[str, Any]:
        return {"lead_image": seo.lead_image(item, self.request), "body": self.item_body(item)}

    def item_body(self, item: Article) -> str:
        """The body as stored (sanitised on save), its site links made absolute:
        a feed reader has no page address to resolve them against."""
        origin = self.request.build_absolute_uri("/")
        return _SITE_RELATIVE.sub(lambda match: match.group(1) + origin, item.body)

    def __call__(self, request: HttpRequest, *args: str, **kwargs: str) -> HttpResponse:
        # One instance serves every request: each request works on its own copy.
        feed = copy.copy(self)
        feed.request = request
        # Every public change of a story retires the feeds, the section feeds included.
        surrogates.show(request, surrogates.FEED)
        response = Feed.__call__(feed, request, *args, **kwargs)
        # Last-Modified (the newest story's date) goes back in time when that story is
        # withdrawn or expires, and If-Modified-Since would then answer a stale 304.
        # Conditional GET uses the ETag of the bytes instead (ConditionalGetMiddleware).
        del response["Last-Modified"]
        # The feed writer appends thousands of tiny pieces, and a WSGI server sends each
        # one with its own system call (bench/run.py: a tenth of the speed). One piece.
        response.content = response.content
        return response


class LatestStoriesFeed(_StoryFeed[None]):
    def title(self, obj: None = None) -> str:
        return settings.NEWSROOM_SITE_NAME

    def description(self, obj: None = None) -> str:
        return _("The latest news, as it happens.")

    def link(self, obj: None = None) -> str:
        return reverse("articles:home")

    def stories(self, obj: None = None) -> ArticleQuerySet:
        return Article.objects.live()


class LatestStoriesAtomFeed(LatestStoriesFeed):
    feed_type = AtomFeedType
    subtitle = LatestStoriesFeed.description


class SectionFeed(_StoryFeed[Section]):
    def get_object(self, request: HttpRequest, slug: str) -> Section:
        return get_object_or_404(Section, slug=slug)

    def title(self, obj: Section) -> str:
        return f"{obj.name} | {settings.NEWSROOM_SITE_NAME}"

    def description(self, obj: Section) -> str:
        return obj.description or obj.name

    def link(self, obj: Section) -> str:
        return obj.get_absolute_url()

    def stories(self, obj: Section) -> ArticleQuerySet:
        return Article.objects.live().filter(section=obj)


class SectionAtomFeed(SectionFeed):
    feed_type = AtomFeedType
    subtitle = SectionFeed.description


# An ETag from the feed's bytes: a repeated request answers 304, never a stale feed.
site_rss = LatestStoriesFeed()
site_atom = LatestStoriesAtomFeed()
section_rss = SectionFeed()
section_atom = SectionAtomFeed()
