"""Hostile values in every public view's parameters never give a server error.

Each public URL pattern is listed below with the parameters it reads (path segments
and query values). A pattern added to articles/urls.py without an entry here fails
``test_every_public_view_is_covered``, so new views get the same treatment.
"""

from urllib.parse import quote

import pytest
from django.urls import get_resolver

from articles.models import PreviewLink
from tests.factories import make_article, make_author, make_section, make_staff, make_tag

pytestmark = pytest.mark.django_db

# Digits Python's isdigit() accepts but int() refuses, dates past what datetime can add a
# day to, NUL, a lone surrogate (invalid UTF-8 once encoded), and a 10 kB value.
HOSTILE = {
    "superscript-two": "²",
    "superscript-one": "¹",
    "circled-one": "①",
    "arabic-indic-digit": "٣",
    "last-date": "9999-12-31",
    "first-date": "0001-01-01",
    "zero-date": "0000-00-00",
    "huge-number": "9" * 40,
    "negative": "-1",
    "nul": "\x00",
    "nul-inside": "1\x002",
    "lone-surrogate": "\ud800",
    "ten-kilobytes": "ب" * 5120,
    "percent": "%",
}


def encode(value: str) -> str:
    """Percent-encode as a client would send it; a lone surrogate becomes bytes that
    are not valid UTF-8, exactly what an attacker's raw request carries."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


# name -> (path template with {slug}/{pk}/{token}/{value}, the query parameters it reads,
# the path parameters it reads). Path parameters are replaced by the hostile value in turn.
VIEWS = {
    "home": ("/", ["before"], []),
    "section": ("/section/{section}/", ["before"], ["section"]),
    "article_by_id": ("/article/{pk}/", [], ["pk"]),
    "article": ("/article/{pk}/{slug}/", ["updates_before"], ["pk", "slug"]),
    "live_state": ("/article/{pk}/live/state/", [], ["pk"]),
    "live_feed": ("/article/{pk}/live/atom/", [], ["pk"]),
    "search": ("/search/", ["q", "section", "published_from", "published_to", "page"], []),
    "tag": ("/tag/{tag}/", ["before"], ["tag"]),
    "author": ("/author/{author}/", ["before"], ["author"]),
    "latest": ("/latest/", ["before"], []),
    "feed_rss": ("/feeds/rss/", [], []),
    "feed_atom": ("/feeds/atom/", [], []),
    "section_feed_rss": ("/section/{section}/rss/", [], ["section"]),
    "section_feed_atom": ("/section/{section}/atom/", [], ["section"]),
    "sitemap": ("/sitemap.xml", [], []),
    "sitemap_section": ("/sitemap-{sitemap}.xml", [], ["sitemap"]),
    "news_sitemap": ("/news-sitemap.xml", [], []),
    "robots": ("/robots.txt", [], []),
    "preview": ("/preview/{token}/", [], ["token"]),
    "favicon": ("/favicon.ico", [], []),
    "manifest": ("/site.webmanifest", [], []),
    # The read API (articles/api/urls.py).
    "stories": ("/api/v1/stories/", ["section", "tag", "author", "since", "limit", "before"], []),
    "story": ("/api/v1/stories/{pk}/", [], ["pk"]),
}
PUBLIC_URLCONFS = ["articles.site.urls", "articles.api.urls"]


def _cases():
    for name, (_template, query, path_params) in VIEWS.items():
        for param in [*query, *path_params] or ["unexpected"]:
            for label, value in HOSTILE.items():
                yield pytest.param(name, param, value, id=f"{name}-{param}-{label}")


@pytest.fixture
def site():
    section = make_section(slug="economy")
    author, tag = make_author(slug="writer"), make_tag("وسم")
    story = make_article(section=section, authors=[author], tags=[tag], headline="خبر")
    return {
        "section": section.slug,
        "author": author.slug,
        "tag": tag.slug,
        "pk": str(story.pk),
        "slug": story.slug,
        "sitemap": "sections",
        "token": "abc",
    }


def test_every_public_view_is_covered():
    public = {
        pattern.name
        for urlconf in PUBLIC_URLCONFS
        for pattern in get_resolver(urlconf).url_patterns
        if getattr(pattern, "name", None)
    }
    assert public - set(VIEWS) == set()


@pytest.mark.parametrize(("name", "param", "value"), list(_cases()))
def test_hostile_parameter_never_gives_a_server_error(client, site, name, param, value):
    template, _query_params, _ = VIEWS[name]
    segments = {key: quote(val, safe="") for key, val in site.items()}
    query = ""
    if param in segments and "{" + param + "}" in template:
        segments[param] = encode(value)
    else:
        query = f"?{param}={encode(value)}"
        if name == "search" and param != "q":
            query += "&q=" + encode("خبر")
    path = template.format(**segments) + query
    response = client.get(path)
    assert response.status_code < 500, path[:200]
    assert response.status_code in (200, 301, 302, 400, 404, 410, 429), response.status_code


@pytest.mark.parametrize("value", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_preview_link_hours_never_give_a_server_error(client, value):
    editor = make_staff("editor")
    story = make_article(status="draft", publish_at=None)
    client.force_login(editor)
    response = client.post(
        f"/admin/articles/article/{story.pk}/preview-links/",
        f"hours={encode(value)}",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 302
    # Refused with a message that says what to give; no link made with a lifetime nobody asked for.
    assert not PreviewLink.objects.filter(article=story).exists()
    page = client.get(response["Location"]).content.decode()
    assert "عدد ساعات" in page
