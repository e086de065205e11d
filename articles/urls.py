from django.urls import path

from articles import browse, feeds, preview, sitemaps, views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("section/<str:slug>/", views.section, name="section"),
    path("article/<int:pk>/", views.article, name="article_by_id"),
    path("article/<int:pk>/<str:slug>/", views.article, name="article"),
    # Finding stories (articles/browse.py).
    path("search/", browse.search_view, name="search"),
    path("tag/<str:slug>/", browse.tag, name="tag"),
    path("author/<str:slug>/", browse.author, name="author"),
    path("latest/", browse.latest, name="latest"),
    # Syndication (articles/feeds.py).
    path("feeds/rss/", feeds.site_rss, name="feed_rss"),
    path("feeds/atom/", feeds.site_atom, name="feed_atom"),
    path("section/<str:slug>/rss/", feeds.section_rss, name="section_feed_rss"),
    path("section/<str:slug>/atom/", feeds.section_atom, name="section_feed_atom"),
    # Search engines (articles/sitemaps.py).
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-<str:section>.xml", sitemaps.section, name="sitemap_section"),
    path("news-sitemap.xml", sitemaps.news, name="news_sitemap"),
    path("robots.txt", sitemaps.robots, name="robots"),
    path("preview/<str:token>/", preview.shared_preview, name="preview"),
]
