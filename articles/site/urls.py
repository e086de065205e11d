from django.urls import path, register_converter

from articles.desk import preview
from articles.site import browse, feeds, icons, live, sitemaps, views
from articles.site.live_feed import live_atom


class TextSegment:
    """A path segment in any script (Arabic slugs), but never a control character:
    PostgreSQL refuses NUL in text, and a URL is no place for the others."""

    regex = "[^/\x00-\x1f\x7f]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TextSegment, "text")

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("section/<text:slug>/", views.section, name="section"),
    path("article/<int:pk>/", views.article, name="article_by_id"),
    path("article/<int:pk>/<text:slug>/", views.article, name="article"),
    # Live coverage (articles/site/live.py): what open pages poll, and an Atom feed.
    path("article/<int:pk>/live/state/", live.updates_state, name="live_state"),
    path("article/<int:pk>/live/atom/", live_atom, name="live_feed"),
    # Finding stories (articles/site/browse.py).
    path("search/", browse.search_view, name="search"),
    path("tag/<text:slug>/", browse.tag, name="tag"),
    path("author/<text:slug>/", browse.author, name="author"),
    path("latest/", browse.latest, name="latest"),
    # Syndication (articles/site/feeds.py).
    path("feeds/rss/", feeds.site_rss, name="feed_rss"),
    path("feeds/atom/", feeds.site_atom, name="feed_atom"),
    path("section/<text:slug>/rss/", feeds.section_rss, name="section_feed_rss"),
    path("section/<text:slug>/atom/", feeds.section_atom, name="section_feed_atom"),
    # Search engines (articles/site/sitemaps.py).
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-<text:section>.xml", sitemaps.section, name="sitemap_section"),
    path("news-sitemap.xml", sitemaps.news, name="news_sitemap"),
    path("robots.txt", sitemaps.robots, name="robots"),
    # Icons browsers and phones ask for (articles/site/icons.py).
    path("favicon.ico", icons.favicon, name="favicon"),
    path("site.webmanifest", icons.manifest, name="manifest"),
    path("preview/<text:token>/", preview.shared_preview, name="preview"),
]
