"""RSS 2.0 and Atom feeds for the whole site and for each section.

Built on Django's syndication framework; only ``live()`` stories. Each item
carries full dates, its authors, its section and tags as categories, the
standfirst as the summary (plain text, sent as text), the full sanitised body
(RSS ``content:encoded``, Atom ``content``), and the lead image (an enclosure, and a
``media:content`` element) once stories have one (see seo.lead_image).
"""

import copy
import re
import uuid

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from articles.models import Article, Section
from articles.site import seo, surrogates
from articles.text.hygiene import strip_unsafe

FEED_LENGTH = 30
MEDIA_NAMESPACE = "http://search.yahoo.com/mrss/"
CONTENT_NAMESPACE = "http://purl.org/rss/1.0/modules/content/"
# Site-relative links and pictures in the stored body ("/section/…", "/media/…").
_SITE_RELATIVE = re.compile(r'(\s(?:href|src)=")/(?!/)')


class _MediaMixin:
    """Adds Media RSS (``media:content``) for the lead image, which aggregators read."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:media": MEDIA_NAMESPACE}

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NAMESPACE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        image = item.get("lead_image")
        if image:
            attrs = {"url": image.url, "medium": "image"}
            if image.mime_type:
                attrs["type"] = image.mime_type
            if image.width and image.height:
                attrs.update(width=str(image.width), height=str(image.height))
            handler.addQuickElement("media:content", "", attrs)


def _safe(values: dict) -> dict:
    return {
        key: strip_unsafe(value)
        if isinstance(value, str)
        else [strip_unsafe(v) if isinstance(v, str) else v for v in value]
        if isinstance(value, (list, tuple))
        else value
        for key, value in values.items()
    }


class _SafeTextMixin:
    """Text passes the hygiene's character rules on its way out: even a row written
    around the models (raw SQL) cannot make the feed invalid XML or spoof a title."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **_safe(kwargs))

    def add_item(self, *args, **kwargs):
        super().add_item(*args, **_safe(kwargs))


class RssFeedType(_SafeTextMixin, _MediaMixin, Rss201rev2Feed):
    """The standfirst is plain text but an RSS description is HTML: escape it for
    HTML (the XML writer escapes it once more), so readers show "<img …>" as typed.
    The body goes in ``content:encoded``."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": CONTENT_NAMESPACE}

    def add_item_elements(self, handler, item):
        if item["description"] is not None:
            item = {**item, "description": escape(item["description"])}
        super().add_item_elements(handler, item)
        if item.get("body"):
            handler.addQuickElement("content:encoded", item["body"])


class AtomFeedType(_SafeTextMixin, _MediaMixin, Atom1Feed):
    """Atom says what its text is: the standfirst as ``type="text"``, the body as HTML."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})
        if item.get("body"):
            handler.addQuickElement("content", item["body"], {"type": "html"})


class LatestStoriesFeed(Feed):
    feed_type = RssFeedType
    language = "ar"

    def title(self, obj=None):
        return settings.NEWSROOM_SITE_NAME

    def description(self, obj=None):
        return _("The latest news, as it happens.")

    def link(self, obj=None):
        return reverse("articles:home")

    def feed_url(self, obj=None):
        return None  # Django then uses the requested URL, whichever format it is

    def stories(self, obj=None):
        return Article.objects.live()

    def items(self, obj=None):
        return self.stories(obj).for_listing().newest_first()[:FEED_LENGTH]

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        return item.standfirst

    def item_link(self, item):
        return item.get_absolute_url()

    item_guid_is_permalink = False

    def item_guid(self, item):
        # Stable across headline (slug) and domain changes, and a valid URI for Atom's <id>.
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'newsroom:article:{item.pk}')}"

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return "، ".join(author.name for author in item.byline) or None

    def item_author_link(self, item):
        byline = item.byline
        return self.request.build_absolute_uri(byline[0].get_absolute_url()) if byline else None

    def item_categories(self, item):
        return [item.section.name, *(tag.name for tag in item.tag_list)]

    def item_enclosures(self, item):
        image = seo.lead_image(item, self.request)
        if image is None or image.size is None:
            return []
        return [Enclosure(image.url, str(image.size), image.mime_type or "image/jpeg")]

    def item_extra_kwargs(self, item):
        return {"lead_image": seo.lead_image(item, self.request), "body": self.item_body(item)}

    def item_body(self, item) -> str:
        """The body as stored (sanitised on save), its site links made absolute:
        a feed reader has no page address to resolve them against."""
        origin = self.request.build_absolute_uri("/")
        return _SITE_RELATIVE.sub(lambda match: match.group(1) + origin, item.body)

    def __call__(self, request, *args, **kwargs):
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


class LatestStoriesAtomFeed(LatestStoriesFeed):
    feed_type = AtomFeedType
    subtitle = LatestStoriesFeed.description


class SectionFeed(LatestStoriesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def title(self, obj=None):
        return f"{obj.name} | {settings.NEWSROOM_SITE_NAME}"

    def description(self, obj=None):
        return obj.description or obj.name

    def link(self, obj=None):
        return obj.get_absolute_url()

    def stories(self, obj=None):
        return Article.objects.live().filter(section=obj)


class SectionAtomFeed(SectionFeed):
    feed_type = AtomFeedType
    subtitle = SectionFeed.description


# An ETag from the feed's bytes: a repeated request answers 304, never a stale feed.
site_rss = LatestStoriesFeed()
site_atom = LatestStoriesAtomFeed()
section_rss = SectionFeed()
section_atom = SectionAtomFeed()
