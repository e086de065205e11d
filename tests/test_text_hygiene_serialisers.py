"""Feeds, sitemaps, JSON-LD and page titles stay well-formed even for a bad row.

The rows are written with raw SQL, around the models and their hygiene, as an old
import or a hand-run UPDATE would: the serialisers clean at their edge too.
"""

import datetime
import json
import re
from xml.etree import ElementTree

import feedparser
import pytest
from django.db import connection
from django.utils import timezone

from articles.text.sanitize import clean_html
from tests.factories import make_article, make_author, make_section, make_tag

pytestmark = pytest.mark.django_db

# What PostgreSQL accepts but XML does not, and what would reverse a title for readers.
BAD = "عنوان\x0bمكسور\x01\x1b\uffff\ufdd0 \u202eevil\u202c \u2066معزول\u2069"
UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ufdd0-\ufdef\u202a-\u202e\u2066-\u2069]"
)


@pytest.fixture
def bad_story():
    section = make_section("اقتصاد", slug="eco")
    story = make_article(
        headline="سليم",
        section=section,
        publish_at=timezone.now() - datetime.timedelta(hours=1),  # in the news sitemap
        authors=[make_author("ليلى")],
        tags=[make_tag("طاقة")],
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE articles_article SET headline = %s, standfirst = %s WHERE id = %s",
            [BAD, BAD, story.pk],
        )
        cursor.execute(
            "UPDATE articles_section SET name = %s, description = %s WHERE id = %s",
            [BAD, BAD, section.pk],
        )
        cursor.execute("UPDATE articles_tag SET name = %s", [BAD])
        cursor.execute("UPDATE articles_author SET name = %s", [BAD])
    return story


@pytest.mark.parametrize(
    "url", ["/feeds/rss/", "/feeds/atom/", "/section/eco/rss/", "/section/eco/atom/"]
)
def test_feeds_stay_valid_xml_with_a_bad_row(client, bad_story, url):
    response = client.get(url)
    assert response.status_code == 200  # was UnserializableContentError: a 500
    text = response.content.decode()
    assert not UNSAFE.search(text)
    ElementTree.fromstring(response.content)  # well-formed XML
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    (entry,) = feed.entries
    assert entry.title.startswith("عنوانمكسور") or entry.title.startswith("عنوان مكسور")
    assert "evil" in entry.title
    assert "\u202e" not in entry.title


def test_the_news_sitemap_stays_valid_xml_with_a_bad_row(client, bad_story):
    response = client.get("/news-sitemap.xml")
    assert response.status_code == 200
    assert not UNSAFE.search(response.content.decode())
    root = ElementTree.fromstring(response.content)
    titles = [element.text for element in root.findall(".//{*}title")]
    assert len(titles) == 1
    assert "evil" in titles[0]


def test_sitemaps_stay_valid_xml_with_a_bad_row(client, bad_story):
    index = client.get("/sitemap.xml")
    locations = ElementTree.fromstring(index.content).findall(".//{*}loc")
    assert len(locations) >= 3  # sections, home, the story's month
    for location in locations:
        response = client.get(location.text.replace("http://testserver", ""))
        assert response.status_code == 200
        ElementTree.fromstring(response.content)


def test_the_story_page_title_meta_and_json_ld_carry_no_controls(client, bad_story):
    response = client.get(bad_story.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    head = html[: html.index("</head>")]
    assert not UNSAFE.search(head)
    title = re.search(r"<title>(.*?)</title>", head, re.S).group(1)
    assert "evil" in title
    og_title = re.search(r'<meta property="og:title" content="([^"]*)"', head).group(1)
    assert "evil" in og_title
    blocks = [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]
    article = next(block for block in blocks if block["@type"] == "NewsArticle")
    for value in (article["headline"], article["description"], article["articleSection"]):
        assert "evil" in value
        assert not UNSAFE.search(value)
    assert not UNSAFE.search(html)  # the headline, byline and tags in the page itself


def test_listing_pages_show_a_bad_row_without_its_controls(client, bad_story):
    for url in ("/", "/section/eco/", "/latest/"):
        response = client.get(url)
        assert response.status_code == 200
        assert not UNSAFE.search(response.content.decode()), url


@pytest.mark.parametrize("url", ["/api/v1/stories/", "/api/v1/stories/{pk}/"])
def test_the_read_api_serves_a_bad_row_without_its_controls(client, bad_story, url):
    response = client.get(url.format(pk=bad_story.pk))
    assert response.status_code == 200
    text = response.content.decode()
    assert not UNSAFE.search(text)
    document = json.loads(text)
    story = document["items"][0] if "items" in document else document
    assert "evil" in story["headlines"][0]["value"]


def test_bidi_controls_never_reach_the_body_s_link_text():
    html = clean_html(
        '<p>اقرأ <a href="https://example.com/\u202egpj.exe" title="\u2067x">'
        "\u202egpj.exe<b>\u2066مهم\u2069</b></a> ثم \u2067نص معزول\u2069\x0b\x01\uffff</p>"
    )
    link = re.search(r"<a .*?</a>", html).group()
    assert not re.search("[\u202a-\u202e\u2066-\u2069]", link)
    assert "gpj.exe" in link
    assert "مهم" in link
    assert "\u2067نص معزول\u2069" in html  # outside links a writer's isolate stays
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\uffff]", html)
    assert clean_html(html) == html
