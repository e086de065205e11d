"""RSS and Atom, read by feedparser the way aggregators read them."""

import datetime
import gzip

import feedparser
import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_author, make_section, make_tag

pytestmark = pytest.mark.django_db

FEEDS = ["/feeds/rss/", "/feeds/atom/"]


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed


@pytest.mark.parametrize("url", FEEDS)
def test_feed_items_carry_dates_authors_categories_and_summary(client, url):
    section = make_section("اقتصاد", slug="eco")
    published = timezone.now() - datetime.timedelta(hours=3)
    make_article(
        headline="النفط يرتفع",
        standfirst="خام برنت يقترب من 90 دولاراً.",
        section=section,
        publish_at=published,
        authors=[make_author("ليلى"), make_author("عمر")],
        tags=[make_tag("الطاقة")],
    )
    feed = parse(client, url)
    assert feed.feed.get("language", "ar") == "ar"
    (entry,) = feed.entries
    assert entry.title == "النفط يرتفع"
    assert entry.summary == "خام برنت يقترب من 90 دولاراً."
    assert "ليلى" in entry.author
    assert "عمر" in entry.author
    assert {tag.term for tag in entry.tags} == {"اقتصاد", "الطاقة"}
    parsed = entry.get("published_parsed") or entry.updated_parsed
    assert datetime.datetime(*parsed[:6], tzinfo=datetime.UTC) == published.replace(microsecond=0)
    assert entry.link.startswith("http://testserver/article/")


def test_rss_declares_arabic(client):
    assert "<language>ar</language>" in client.get("/feeds/rss/").content.decode()


@pytest.mark.parametrize("url", [*FEEDS, "/section/eco/rss/", "/section/eco/atom/"])
def test_feeds_hold_only_live_stories(client, url):
    section = make_section("اقتصاد", slug="eco")
    now = timezone.now()
    make_article(headline="منشور", section=section)
    make_article(headline="مسودة", section=section, status=Article.Status.DRAFT)
    make_article(headline="مجدول", section=section, publish_at=now + datetime.timedelta(hours=1))
    make_article(
        headline="منتهي",
        section=section,
        publish_at=now - datetime.timedelta(days=1),
        expire_at=now - datetime.timedelta(seconds=1),
    )
    assert [e.title for e in parse(client, url).entries] == ["منشور"]


def test_section_feed_holds_only_its_section(client):
    eco, sport = make_section("اقتصاد", slug="eco"), make_section("رياضة", slug="sport")
    make_article(headline="اقتصادي", section=eco)
    make_article(headline="رياضي", section=sport)
    feed = parse(client, "/section/sport/atom/")
    assert [e.title for e in feed.entries] == ["رياضي"]
    assert "رياضة" in feed.feed.title
    assert client.get("/section/none/rss/").status_code == 404


@pytest.mark.parametrize("url", FEEDS)
def test_repeated_conditional_request_answers_304(client, url):
    make_article()
    first = client.get(url)
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    make_article(headline="خبر جديد")
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 200


@pytest.mark.parametrize("count", [2, 40])
@pytest.mark.parametrize("url", [*FEEDS, "/section/eco/rss/"])
def test_feed_query_count_is_flat(client, django_assert_max_num_queries, count, url):
    section = make_section("اقتصاد", slug="eco")
    for _ in range(count):
        make_article(section=section, authors=[make_author()], tags=[make_tag(), make_tag()])
    with django_assert_max_num_queries(4):
        assert client.get(url).status_code == 200


def test_lead_image_is_the_social_card_in_feeds(client, settings, tmp_path):
    from articles.media import images
    from tests.images_helpers import photo_bytes, upload

    settings.MEDIA_ROOT = tmp_path / "media"
    picture = images.create_image(upload(photo_bytes((1800, 1200))), alt_text="صورة الخبر")
    story = make_article(lead_image=picture)
    card = picture.renditions.get(shape="social", format="jpeg")

    feed = feedparser.parse(client.get("/feeds/rss/").content)
    (entry,) = [e for e in feed.entries if e.title == story.headline]
    (enclosure,) = entry.enclosures
    assert enclosure.href == f"http://testserver{card.file.url}"
    assert enclosure.type == "image/jpeg"
    assert int(enclosure.length) == card.file.size
    assert (card.width, card.height) == (1200, 630)


def test_a_withdrawn_story_is_never_hidden_behind_a_304(client):
    """Last-Modified would go back in time when the newest story leaves the feed, so a
    reader's If-Modified-Since would get a stale 304; the feed validates by ETag only."""
    older = make_article(
        headline="خبر أقدم", publish_at=timezone.now() - datetime.timedelta(days=2)
    )
    newest = make_article(
        headline="خبر أحدث", publish_at=timezone.now() - datetime.timedelta(hours=1)
    )
    first = client.get("/feeds/rss/")
    validators = {}
    if "Last-Modified" in first:
        validators["HTTP_IF_MODIFIED_SINCE"] = first["Last-Modified"]

    newest.status = Article.Status.WITHDRAWN
    newest.save()
    again = client.get("/feeds/rss/", **validators)

    assert again.status_code == 200
    titles = [entry.title for entry in feedparser.parse(again.content).entries]
    assert titles == [older.headline]


HOSTILE_STANDFIRST = "<img src=x onerror=alert(1)> سعر النفط & الذهب"


def test_rss_sends_the_plain_text_standfirst_as_text(client):
    make_article(headline="خبر", standfirst=HOSTILE_STANDFIRST)
    (entry,) = parse(client, "/feeds/rss/").entries
    # RSS descriptions are HTML: the standfirst is escaped for it, so a reader shows the
    # characters the reporter typed, and no <img> element exists for it to load.
    assert entry.summary == "&lt;img src=x onerror=alert(1)&gt; سعر النفط &amp; الذهب"
    assert "<img" not in entry.summary


def test_atom_sends_the_plain_text_standfirst_as_text(client):
    make_article(headline="خبر", standfirst=HOSTILE_STANDFIRST)
    response = client.get("/feeds/atom/")
    assert '<summary type="text">' in response.content.decode()
    (entry,) = feedparser.parse(response.content).entries
    assert entry.summary_detail.type == "text/plain"
    assert entry.summary == HOSTILE_STANDFIRST


@pytest.mark.parametrize("url", FEEDS)
def test_feeds_carry_the_full_sanitised_body_with_absolute_links(client, url):
    story = make_article(
        headline="خبر كامل",
        body='<p>الفقرة الأولى <a href="/section/eco/">القسم</a></p><p>الثانية</p>'
        "<script>alert(1)</script>",
    )
    (entry,) = parse(client, url).entries
    (content,) = entry.content
    assert content.type == "text/html"
    assert "الفقرة الأولى" in content.value
    assert "الثانية" in content.value
    assert 'href="http://testserver/section/eco/"' in content.value
    assert "<script" not in content.value
    assert "<script" not in story.body


@pytest.mark.parametrize("url", [*FEEDS, "/section/eco/rss/", "/news-sitemap.xml"])
def test_feeds_and_sitemaps_are_compressed_for_readers_that_accept_gzip(client, settings, url):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300  # compressed copies must not leak through it
    section = make_section("اقتصاد", slug="eco")
    for n in range(3):
        make_article(
            headline=f"خبر {n}",
            section=section,
            standfirst="مقدمة " * 40,
            publish_at=timezone.now() - datetime.timedelta(minutes=n + 1),
        )
    plain = client.get(url)
    assert plain.status_code == 200
    assert "Content-Encoding" not in plain
    assert "Accept-Encoding" in plain["Vary"]
    packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert packed["Content-Encoding"] == "gzip"
    assert len(packed.content) < len(plain.content)
    assert gzip.decompress(packed.content) == plain.content
    # The page cache keeps one copy; a reader without gzip still gets plain XML from it.
    cached = client.get(url)
    assert cached["X-Cache"] == "hit"
    assert "Content-Encoding" not in cached
    assert cached.content == plain.content
    # Conditional GET still answers 304 for the compressed copy.
    again = client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=packed["ETag"])
    assert again.status_code == 304
