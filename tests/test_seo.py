"""What search engines and social networks read on a story page."""

import datetime
import json
import re

import pytest
from django.utils import timezone

from tests.factories import make_article, make_author, make_section, make_tag

pytestmark = pytest.mark.django_db


def json_ld(html):
    return [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


def meta(html, key):
    return re.findall(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html)


def test_story_json_ld_is_a_complete_news_article(client, settings):
    section = make_section("اقتصاد", slug="eco")
    story = make_article(
        headline="النفط يرتفع </script><script>alert(1)</script>",
        standfirst="خام برنت يقترب من 90 دولاراً.",
        section=section,
        authors=[make_author("ليلى")],
        tags=[make_tag("الطاقة")],
    )
    html = client.get(story.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    blocks = {block["@type"]: block for block in json_ld(html)}
    article = blocks["NewsArticle"]
    assert article["headline"] == story.headline
    assert article["inLanguage"] == "ar"
    assert datetime.datetime.fromisoformat(article["datePublished"]) == story.publish_at
    assert datetime.datetime.fromisoformat(article["dateModified"]).utcoffset() is not None
    (author,) = article["author"]
    assert (author["@type"], author["name"]) == ("Person", "ليلى")
    assert author["url"] == f"http://testserver{story.byline[0].get_absolute_url()}"
    assert article["mainEntityOfPage"]["@id"] == f"http://testserver{story.get_absolute_url()}"
    assert article["publisher"]["name"] == "النشرة"
    assert article["publisher"]["logo"]["url"] == "http://testserver/static/img/logo.png"
    assert (settings.BASE_DIR / "static" / "img" / "logo.png").is_file()
    assert [item["name"] for item in blocks["BreadcrumbList"]["itemListElement"]] == [
        "النشرة",
        "اقتصاد",
        story.headline,
    ]


def test_story_has_canonical_open_graph_and_twitter_tags(client):
    story = make_article(headline="عنوان الخبر", tags=[make_tag("الأمن")])
    html = client.get(story.get_absolute_url()).content.decode()
    assert f'<link rel="canonical" href="http://testserver{story.get_absolute_url()}">' in html
    assert meta(html, "og:title") == ["عنوان الخبر"]
    assert meta(html, "og:type") == ["article"]
    assert meta(html, "article:tag") == ["الأمن"]
    assert meta(html, "article:section") == [story.section.name]
    published = datetime.datetime.fromisoformat(meta(html, "article:published_time")[0])
    assert published == story.publish_at
    assert meta(html, "article:modified_time")
    assert meta(html, "twitter:card") == ["summary"]
    assert meta(html, "twitter:title") == ["عنوان الخبر"]


def test_home_says_website_and_sections_say_breadcrumbs(client):
    section = make_section("رياضة")
    make_article(section=section)
    home = {b["@type"]: b for b in json_ld(client.get("/").content.decode())}
    assert home["WebSite"]["inLanguage"] == "ar"
    assert "search" in home["WebSite"]["potentialAction"]["target"]["urlTemplate"]
    page = {b["@type"]: b for b in json_ld(client.get(section.get_absolute_url()).content.decode())}
    assert page["BreadcrumbList"]["itemListElement"][-1]["name"] == "رياضة"


def test_repeated_story_request_answers_304(client):
    story = make_article()
    first = client.get(story.get_absolute_url())
    assert first.status_code == 200
    assert first["ETag"]
    again = client.get(story.get_absolute_url(), headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    story.headline = "عنوان معدل"
    story.save()
    changed = client.get(story.get_absolute_url(), headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200


def test_expired_story_is_404_even_with_an_etag(client):
    story = make_article()
    first = client.get(story.get_absolute_url())
    story.expire_at = timezone.now() - datetime.timedelta(seconds=1)
    story.publish_at = story.expire_at - datetime.timedelta(hours=1)
    story.save()
    response = client.get(story.get_absolute_url(), headers={"If-None-Match": first["ETag"]})
    assert response.status_code == 404
