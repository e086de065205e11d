"""Tag, author and latest-news pages: live stories only, keyset pages, flat queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import (
    card_headlines,
    make_article,
    make_author,
    make_section,
    make_tag,
    next_page_link,
)

pytestmark = pytest.mark.django_db


def not_live_stories(**links):
    now = timezone.now()
    make_article(headline="مسودة", status=Article.Status.DRAFT, **links)
    make_article(headline="مجدول", publish_at=now + datetime.timedelta(hours=2), **links)
    make_article(
        headline="منتهي",
        publish_at=now - datetime.timedelta(days=1),
        expire_at=now - datetime.timedelta(minutes=1),
        **links,
    )


def test_tag_page_lists_live_stories_with_the_tag(client):
    tag, other = make_tag("الإمارات"), make_tag("الطاقة")
    make_article(headline="خبر موسوم", tags=[tag])
    make_article(headline="خبر آخر", tags=[other])
    not_live_stories(tags=[tag])
    response = client.get(tag.get_absolute_url())
    assert response.status_code == 200
    assert card_headlines(response) == ["خبر موسوم"]
    assert "الإمارات" in response.content.decode()


def test_author_page_shows_the_bio_and_live_stories(client):
    author = make_author("سارة المنصوري", bio="مراسلة الشؤون الاقتصادية.")
    make_article(headline="بقلم سارة", authors=[author])
    make_article(headline="بقلم غيرها", authors=[make_author()])
    not_live_stories(authors=[author])
    response = client.get(author.get_absolute_url())
    html = response.content.decode()
    assert card_headlines(response) == ["بقلم سارة"]
    assert "مراسلة الشؤون الاقتصادية." in html


def test_latest_page_groups_by_day(client):
    now = timezone.now()
    make_article(headline="اليوم", publish_at=now - datetime.timedelta(minutes=5))
    make_article(headline="قبل أسبوع", publish_at=now - datetime.timedelta(days=7))
    not_live_stories()
    response = client.get("/latest/")
    assert card_headlines(response) == ["اليوم", "قبل أسبوع"]
    assert response.content.decode().count('class="block-title archive-day"') == 2


@pytest.mark.parametrize("page", ["tag", "author", "latest"])
def test_pages_walk_by_cursor_and_refuse_bad_ones(client, settings, page):
    settings.NEWSROOM_PAGE_SIZE = 2
    tag, author = make_tag(), make_author()
    for n in range(5):
        make_article(headline=f"خبر {n}", tags=[tag], authors=[author])
    url = {
        "tag": tag.get_absolute_url(),
        "author": author.get_absolute_url(),
        "latest": "/latest/",
    }[page]
    seen, response = [], client.get(url)
    while True:
        seen += card_headlines(response)
        older = next_page_link(response)  # "?before=…", as the reader follows it
        if not older:
            break
        assert older.startswith("?before=")
        response = client.get(url + older)
        assert response.status_code == 200
    assert len(seen) == len(set(seen)) == 5
    assert client.get(url, {"before": "1-1"}).status_code == 404  # before any story
    assert client.get(url, {"before": "nonsense"}).status_code == 404
    assert client.get(url, {"before": "9" * 30 + "-1"}).status_code == 404


def test_unknown_tag_and_author_are_404(client):
    assert client.get("/tag/لا-يوجد/").status_code == 404
    assert client.get("/author/لا-يوجد/").status_code == 404


def test_article_links_its_tags_and_authors(client):
    tag, author = make_tag("الأمن"), make_author("علي")
    story = make_article(tags=[tag], authors=[author])
    html = client.get(story.get_absolute_url()).content.decode()
    assert f'href="{tag.get_absolute_url()}"' in html
    assert f'href="{author.get_absolute_url()}"' in html


def test_every_page_has_a_search_box_and_feed_links(client):
    section = make_section()
    html = client.get(section.get_absolute_url()).content.decode()
    assert 'role="search"' in html
    assert 'action="/search/"' in html
    assert 'rel="alternate" type="application/rss+xml"' in html
    assert 'type="application/atom+xml"' in html
    assert reverse("articles:section_feed_rss", args=[section.slug]) in html


@pytest.mark.parametrize("count", [2, 40])
def test_listing_query_counts_are_flat(client, django_assert_max_num_queries, count):
    tag, author = make_tag(), make_author()
    for n in range(count):
        make_article(headline=f"خبر {n}", tags=[tag], authors=[author, make_author()])
    for url in (tag.get_absolute_url(), author.get_absolute_url(), "/latest/"):
        with django_assert_max_num_queries(4):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize("page", ["tag", "author"])
def test_tags_and_authors_of_unpublished_stories_only_are_404(client, page):
    """An embargoed topic or a byline kept for a scoop cannot be confirmed by its slug."""
    tag, author = make_tag("صفقة سرية"), make_author("مراسل خاص", bio="يغطي الصفقة.")
    not_live_stories(tags=[tag], authors=[author])
    url = tag.get_absolute_url() if page == "tag" else author.get_absolute_url()
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "صفقة سرية" not in html
    assert "مراسل خاص" not in html
    assert "يغطي الصفقة" not in html
    # Once a story using them goes live, the page is there.
    make_article(headline="الخبر المعلن", tags=[tag], authors=[author])
    assert card_headlines(client.get(url)) == ["الخبر المعلن"]


def test_tag_and_author_with_no_story_at_all_are_404(client):
    assert client.get(make_tag("وسم فارغ").get_absolute_url()).status_code == 404
    assert client.get(make_author("كاتب بلا أخبار").get_absolute_url()).status_code == 404
