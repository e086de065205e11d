"""An Atom feed of one live story's updates, newest first (``/article/<id>/live/atom/``)."""

import copy
import datetime

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.feedgenerator import Atom1Feed, SyndicationFeed

from articles.models import Article, LiveCoverage, LiveUpdate
from articles.site import surrogates

FEED_LENGTH = 50


class LiveUpdatesFeed(Feed):
    feed_type: type[SyndicationFeed] = Atom1Feed
    language = "ar"
    request: HttpRequest  # set on each request's own copy (__call__)

    def get_object(self, request: HttpRequest, pk: int) -> Article:
        coverage = (
            LiveCoverage.objects.filter(article__in=Article.objects.live(), article_id=pk)
            .select_related("article")
            .first()
        )
        if coverage is None:
            raise Http404("not live coverage")
        return coverage.article

    def title(self, obj: Article) -> str:
        return obj.headline

    def subtitle(self, obj: Article) -> str:
        return obj.standfirst

    def link(self, obj: Article) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Article) -> QuerySet[LiveUpdate]:
        return obj.live_updates.all()[:FEED_LENGTH]

    def item_title(self, item: LiveUpdate) -> str:
        return item.label

    def item_description(self, item: LiveUpdate) -> str:
        return item.body  # sanitised when the update was saved

    def item_link(self, item: LiveUpdate) -> str:
        return f"{item.article.get_absolute_url()}#{item.anchor}"

    def item_guid(self, item: LiveUpdate) -> str:
        return self.request.build_absolute_uri(self.item_link(item))

    item_guid_is_permalink = True

    def item_pubdate(self, item: LiveUpdate) -> datetime.datetime:
        return item.posted_at

    def item_updateddate(self, item: LiveUpdate) -> datetime.datetime:
        return item.edited_at or item.posted_at

    def __call__(self, request: HttpRequest, *args: int, **kwargs: int) -> HttpResponse:
        feed = copy.copy(self)  # one instance serves every request
        feed.request = request
        surrogates.show(request, surrogates.story(kwargs["pk"]))
        response = Feed.__call__(feed, request, *args, **kwargs)
        del response["Last-Modified"]  # conditional GET by ETag (see site/feeds.py)
        return response


live_atom = LiveUpdatesFeed()
