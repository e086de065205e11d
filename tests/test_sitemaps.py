"""sitemap.xml, the Google News sitemap and robots.txt."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from tests import sitemap_schema as schema
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return ET.fromstring(response.content)


def locs(tree):
    return [loc.text for loc in tree.iterfind(".//sm:loc", NS)]


def not_live(section=None):
    now = timezone.now()
    section = section or make_section()
    make_article(headline="مسودة", section=section, status=Article.Status.DRAFT)
    make_article(headline="مجدول", section=section, publish_at=now + datetime.timedelta(hours=1))
    return [
        make_article(
            headline="منتهي",
            section=section,
            publish_at=now - datetime.timedelta(hours=5),
            expire_at=now - datetime.timedelta(seconds=1),
        )
    ]


def test_index_lists_sections_home_and_a_sitemap_per_month(client):
    now = timezone.localtime()
    old = now - datetime.timedelta(days=70)
    make_article(publish_at=old)
    recent = make_article(publish_at=now - datetime.timedelta(hours=1))
    # The story's own month in the newsroom's clock: an hour ago may be last month.
    recent_month = f"{timezone.localtime(recent.publish_at):%Y-%m}"
    index = xml(client, "/sitemap.xml")
    assert index.tag == f"{{{NS['sm']}}}sitemapindex"
    urls = locs(index)
    assert "http://testserver/sitemap-sections.xml" in urls
    assert f"http://testserver/sitemap-stories-{recent_month}.xml" in urls
    assert f"http://testserver/sitemap-stories-{timezone.localtime(old):%Y-%m}.xml" in urls
    month = xml(client, f"/sitemap-stories-{recent_month}.xml")
    (entry,) = month.findall("sm:url", NS)
    assert entry.find("sm:loc", NS).text == f"http://testserver{recent.get_absolute_url()}"
    lastmod = datetime.datetime.fromisoformat(entry.find("sm:lastmod", NS).text)
    assert lastmod == max(recent.updated_at, recent.publish_at)


def test_every_sitemap_url_answers_and_none_is_unpublished(client):
    section = make_section()
    live = make_article(section=section)
    hidden = not_live(section)
    every = []
    for sitemap in locs(xml(client, "/sitemap.xml")):
        every += locs(xml(client, sitemap.removeprefix("http://testserver")))
    assert f"http://testserver{live.get_absolute_url()}" in every
    assert f"http://testserver{section.get_absolute_url()}" in every
    assert not [url for url in every if any(f"/article/{a.pk}/" in url for a in hidden)]
    assert len([u for u in every if "/article/" in u]) == 1
    assert client.get("/sitemap-stories-1999-01.xml").status_code == 404


def test_news_sitemap_has_the_last_48_hours_only(client):
    now = timezone.now()
    fresh = make_article(headline="خبر عاجل", publish_at=now - datetime.timedelta(hours=3))
    make_article(headline="خبر قديم", publish_at=now - datetime.timedelta(hours=49))
    not_live()
    tree = xml(client, "/news-sitemap.xml")
    (url,) = tree.findall("sm:url", NS)
    assert url.find("sm:loc", NS).text == f"http://testserver{fresh.get_absolute_url()}"
    news = url.find("news:news", NS)
    assert news.find("news:publication/news:name", NS).text == "النشرة"
    assert news.find("news:publication/news:language", NS).text == "ar"
    assert news.find("news:title", NS).text == "خبر عاجل"
    published = datetime.datetime.fromisoformat(news.find("news:publication_date", NS).text)
    assert published == fresh.publish_at


def test_robots_points_at_both_sitemaps(client):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Sitemap: http://testserver/news-sitemap.xml" in text


@pytest.mark.parametrize("count", [2, 40])
def test_sitemap_query_counts_are_flat(client, django_assert_max_num_queries, count):
    now = timezone.now()
    for n in range(count):
        make_article(publish_at=now - datetime.timedelta(days=n * 9, hours=1))
    # the next scheduled change (page cache state), months, sections (+ count), home
    with django_assert_max_num_queries(5):
        index = xml(client, "/sitemap.xml")
    for url in [*locs(index)[:4], "http://testserver/news-sitemap.xml"]:
        with django_assert_max_num_queries(4):
            assert client.get(url.removeprefix("http://testserver")).status_code == 200


def _news_url(inner: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="{schema.SITEMAP}" xmlns:news="{schema.NEWS}">{inner}</urlset>'
    ).encode()


GOOD_NEWS = (
    "<url><loc>https://news.example.com/article/1/x/</loc><news:news><news:publication>"
    "<news:name>النشرة</news:name><news:language>ar</news:language></news:publication>"
    "<news:publication_date>2026-11-30T10:00:00+04:00</news:publication_date>"
    "<news:title>خبر</news:title></news:news></url>"
)


@pytest.mark.parametrize(
    "broken",
    [
        "",  # an empty urlset
        GOOD_NEWS.replace("<news:title>خبر</news:title>", ""),
        GOOD_NEWS.replace("2026-11-30T10:00:00+04:00", "30/11/2026"),
        GOOD_NEWS.replace("https://news.example.com", ""),
        GOOD_NEWS.replace(
            "<news:language>ar</news:language>", "<news:language>Arabic</news:language>"
        ),
        "<url><lastmod>2026-11-30</lastmod><loc>https://news.example.com/</loc></url>",
        "<url><loc>https://news.example.com/</loc><changefreq>often</changefreq></url>",
    ],
)
def test_the_schema_check_refuses_what_the_schema_refuses(broken):
    assert schema.validate_urlset(_news_url(GOOD_NEWS)) is not None
    with pytest.raises(schema.SchemaError):
        schema.validate_urlset(_news_url(broken))


def test_news_sitemap_is_valid_with_no_recent_story(client):
    make_article(headline="قديم", publish_at=timezone.now() - datetime.timedelta(days=3))
    not_live()
    response = client.get("/news-sitemap.xml")
    assert response.status_code == 200
    root = schema.validate_urlset(response.content)
    assert root.find(".//news:news", NS) is None  # nothing claims to be recent news
    assert locs(root) == ["http://testserver/"]


def test_news_sitemap_is_valid_with_several_recent_stories(client):
    now = timezone.now()
    for n in range(3):
        make_article(
            headline=f"خبر <عاجل> & مهم {n}", publish_at=now - datetime.timedelta(hours=n + 1)
        )
    root = schema.validate_urlset(client.get("/news-sitemap.xml").content)
    titles = [title.text for title in root.iterfind(".//news:title", NS)]
    assert titles == [f"خبر <عاجل> & مهم {n}" for n in range(3)]


def test_index_and_every_sitemap_are_valid(client):
    make_article(headline="خبر")
    index = schema.validate_index(client.get("/sitemap.xml").content)
    for loc in locs(index):
        schema.validate_urlset(client.get(loc).content)


def test_the_index_sums_up_the_months_once(client):
    # Uncached, grouping every live story by month is the costliest query of the index
    # (80 ms at 100,000 stories): it was run three times a request.
    make_article()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/sitemap.xml").status_code == 200
    monthly = [q for q in queries.captured_queries if "DATE_TRUNC('month'" in q["sql"]]
    assert len(monthly) == 1


def test_the_months_of_the_sitemap_index_can_be_read_from_their_index():
    """migration 0022's index must keep matching the SQL Django writes for the months
    (``TruncMonth`` in the site's time zone, the ``live()`` columns): if either changes,
    the index stops serving and PostgreSQL sorts every story again."""
    from django.db import connection

    from articles.site.sitemaps import month_rows

    make_article()
    with connection.cursor() as cursor:
        # A few test rows: any plan is cheap, so forbid the ones that do not read the
        # months in order (PostgreSQL still takes them if nothing else can answer).
        for method in ("seqscan", "sort", "hashagg", "bitmapscan"):
            cursor.execute(f"SET LOCAL enable_{method} = off")
        plan = month_rows().explain()
    assert "article_month_idx" in plan
    assert "Sort" not in plan
