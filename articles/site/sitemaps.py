"""sitemap.xml (an index), the Google News sitemap and robots.txt.

Stories are split into one sitemap per month of publication instead of
Django's numbered pages, so no sitemap walks an OFFSET, and a month's file
stays the same once the month is over (search engines re-read only what
changed, as ``lastmod`` tells them). The index is built from one query: the
months, each with its story count and latest change.
"""

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.db.models import Count, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Greatest, TruncMonth
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Section
from articles.site import caching, surrogates
from articles.text.hygiene import strip_unsafe

NEWS_SITEMAP_WINDOW = datetime.timedelta(hours=48)
NEWS_SITEMAP_LIMIT = 1000  # Google News reads at most 1,000 stories per sitemap


class _Changed(TypedDict):
    lastmod: datetime.datetime | None  # _last_change(), annotated by the sitemaps' queries


if TYPE_CHECKING:  # the stubs' name for "a model with these annotations" (no runtime part)
    from django_stubs_ext import WithAnnotations

    ChangedSection = WithAnnotations[Section, _Changed]
    ChangedArticle = WithAnnotations[Article, _Changed]


class MonthRow(TypedDict):
    month: datetime.datetime
    count: int
    latest: datetime.datetime


def _last_change() -> Greatest:
    """When a story last changed for a reader: edited, or (if later) made public."""
    return Greatest("updated_at", "publish_at")


class SectionSitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.8

    def items(self) -> "QuerySet[ChangedSection]":
        newest = (
            Article.objects.live()
            .filter(section=OuterRef("pk"))
            .order_by("-publish_at")
            .annotate(changed=_last_change())
            .values("changed")[:1]
        )
        return Section.objects.annotate(lastmod=Subquery(newest)).order_by("order", "pk")

    def lastmod(self, section: "ChangedSection") -> datetime.datetime | None:
        return section.lastmod


class HomeSitemap(Sitemap):
    changefreq = "always"
    priority = 1.0

    def items(self) -> list[str]:
        return ["articles:home", "articles:latest"]

    def location(self, name: str) -> str:
        return reverse(name)

    def __init__(self, latest: datetime.datetime | None) -> None:
        super().__init__()
        # The newest change of any live story: the newest of the months' (already summed up).
        self.latest = latest

    def lastmod(self, name: str) -> datetime.datetime | None:
        return self.latest


class MonthSitemap(Sitemap):
    """The stories first published in one month (site time)."""

    changefreq = "daily"
    priority = 0.6
    limit = 50_000  # the protocol's maximum; months never hold more than this

    def __init__(self, month: datetime.datetime, count: int, latest: datetime.datetime) -> None:
        self.month, self.count, self.latest = month, count, latest

    def items(self) -> "QuerySet[ChangedArticle]":
        start = self.month
        end = (start + datetime.timedelta(days=32)).replace(day=1)
        return (
            Article.objects.live()
            .filter(publish_at__gte=start, publish_at__lt=end)
            .annotate(lastmod=_last_change())
            .only("id", "slug", "publish_at", "updated_at")
            .order_by("publish_at", "id")
        )

    def lastmod(self, article: "ChangedArticle") -> datetime.datetime | None:
        return article.lastmod

    def get_latest_lastmod(self) -> datetime.datetime:
        return self.latest

    @property
    def paginator(self) -> "CountedPaginator":
        # The index already counted this month's stories: no COUNT per month. It asks a
        # hundred-odd months for their number of pages only, so the stories' query is
        # built when a page of them is read, not for each month (~0.25 ms each).
        return CountedPaginator(_Deferred(self.items), self.limit, count=self.count)


class _Deferred:
    """A query built on first use (only slicing: what a Paginator's page does)."""

    def __init__(self, build: "Callable[[], QuerySet[ChangedArticle]]") -> None:
        self.build = build

    def __getitem__(self, index: slice) -> "QuerySet[ChangedArticle]":
        return self.build()[index]


class CountedPaginator(Paginator):
    """A Paginator told how many items it holds, so it never asks the database."""

    def __init__(self, object_list: _Deferred, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)  # type: ignore[arg-type]  # sliced only
        self.known_count = count

    @property
    def count(self) -> int:
        return self.known_count


def _months() -> list[MonthRow]:
    """Month, story count and last change of every month with live stories.

    Grouping every live story reads them all, and the index and each month's sitemap need
    it, so it is cached under the ``sitemap`` key (retired by any public change of a story)
    and never past the next scheduled publication or expiry. On a miss the stories are
    read in month order from the index ``article_month_idx`` (migration 0022), not from
    the table: ~13 ms at 100,000 stories instead of ~80 ms with a sort on disk.
    """
    return caching.remembered("sitemap-months", {surrogates.SITEMAP}, lambda: list(month_rows()))


def month_rows() -> "QuerySet[Article, MonthRow]":
    """The query ``_months`` runs (its SQL must keep matching article_month_idx)."""
    return (
        Article.objects.live()
        .annotate(month=TruncMonth("publish_at"))
        .values("month")
        .annotate(count=Count("id"), latest=Max(_last_change()))
        .order_by("-month")
    )


# As Django's sitemap views take them (a dict, so its declared value type, classes included).
Sitemaps = dict[str, type[Sitemap] | Sitemap]


def all_sitemaps() -> Sitemaps:
    months = _months()
    # The months are summed up once a request (uncached, it is the costliest query here).
    latest = max((month["latest"] for month in months), default=None)
    sitemaps: Sitemaps = {"sections": SectionSitemap(), "home": HomeSitemap(latest)}
    for row in months:
        month = timezone.localtime(row["month"])
        sitemaps[f"stories-{month:%Y-%m}"] = MonthSitemap(month, row["count"], row["latest"])
    return sitemaps


def index(request: HttpRequest) -> HttpResponse:
    surrogates.show(request, surrogates.SITEMAP)
    return sitemap_views.index(request, all_sitemaps(), sitemap_url_name="articles:sitemap_section")


def section(request: HttpRequest, section: str) -> HttpResponse:
    surrogates.show(request, surrogates.SITEMAP)
    sitemaps = all_sitemaps()
    if section not in sitemaps:
        raise Http404("no such sitemap")
    return sitemap_views.sitemap(
        request,
        {section: sitemaps[section]},
        section=section,
        template_name="articles/sitemap.xml",
    )


def news(request: HttpRequest) -> HttpResponse:
    """Stories of the last 48 hours, for Google News."""
    surrogates.show(request, surrogates.SITEMAP)
    now = timezone.now()
    stories = (
        Article.objects.live(at=now)
        .filter(publish_at__gte=now - NEWS_SITEMAP_WINDOW)
        .only("id", "slug", "headline", "publish_at")
        .newest_first()[:NEWS_SITEMAP_LIMIT]
    )
    for story in stories:  # valid XML even for a row written around the models
        story.headline = strip_unsafe(story.headline)
    return render(
        request,
        "articles/news_sitemap.xml",
        {"stories": stories, "publication_name": settings.NEWSROOM_SITE_NAME},
        content_type="application/xml; charset=utf-8",
    )


def robots(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('articles:sitemap'))}",
        f"Sitemap: {request.build_absolute_uri(reverse('articles:news_sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
