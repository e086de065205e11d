"""A scheduled story appears at its second and an expiring one leaves at its
second, on every public surface, with no job running (clock frozen and moved).

The page cache is on (as in production), so these also show that no cached
page serves a story early or an expired story late.
"""

import datetime

import pytest
import time_machine
from django.urls import reverse

from articles.desk import workflow
from articles.models import Article
from tests.factories import make_article, make_author, make_section, make_staff, make_tag

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
SECOND = datetime.timedelta(seconds=1)
# Mid-month, so the story's month sitemap is the same in any time zone.
T = datetime.datetime(2031, 3, 10, 9, 0, 0, tzinfo=UTC)
HEADLINE = "الموازنة الجديدة تقر في جلسة استثنائية"

SURFACES = [
    "home",
    "section",
    "article",
    "tag",
    "author",
    "search",
    "latest",
    "rss",
    "atom",
    "section_rss",
    "sitemap",
    "news_sitemap",
]


def _url(surface, story):
    section, tag, author = story.section, story.tags.get(), story.byline[0]
    return {
        "home": reverse("articles:home"),
        "section": section.get_absolute_url(),
        "article": story.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "author": author.get_absolute_url(),
        "search": reverse("articles:search") + "?q=الموازنة",
        "latest": reverse("articles:latest"),
        "rss": reverse("articles:feed_rss"),
        "atom": reverse("articles:feed_atom"),
        "section_rss": reverse("articles:section_feed_rss", args=[section.slug]),
        "sitemap": reverse("articles:sitemap_section", args=["stories-2031-03"]),
        "news_sitemap": reverse("articles:news_sitemap"),
    }[surface]


def _shows(client, surface, story) -> bool:
    response = client.get(_url(surface, story))
    text = response.content.decode()
    if surface == "article":
        assert response.status_code in (200, 404)
        return response.status_code == 200 and HEADLINE in text
    # Sitemaps list addresses; the others show the headline.
    marker = f"/article/{story.pk}/" if surface == "sitemap" else HEADLINE
    return marker in text


def _placed_story(**fields):
    section = make_section(slug="اقتصاد")
    story = make_article(
        headline=HEADLINE,
        section=section,
        authors=[make_author("سارة الكاتبة")],
        tags=[make_tag("موازنة")],
        **fields,
    )
    # Something else live in the same places, so that no surface is simply empty.
    make_article(
        headline="خبر آخر منشور",
        section=section,
        publish_at=T - datetime.timedelta(days=2),
        tags=list(story.tags.all()),
        authors=story.byline,
    )
    return story


@pytest.mark.parametrize("surface", SURFACES)
def test_scheduled_story_appears_at_its_second_and_not_before(client, surface):
    with time_machine.travel(T - datetime.timedelta(days=1), tick=False):
        story = _placed_story(status=Article.Status.APPROVED)
        workflow.article_publish(article=story, user=make_staff("editor"), at=T)
    with time_machine.travel(T - SECOND, tick=False):
        assert not _shows(client, surface, story)
    with time_machine.travel(T, tick=False):
        assert _shows(client, surface, story)


@pytest.mark.parametrize("surface", SURFACES)
def test_expiring_story_leaves_at_its_second_and_not_after(client, surface):
    with time_machine.travel(T - datetime.timedelta(days=1), tick=False):
        story = _placed_story(publish_at=T - datetime.timedelta(hours=3))
        workflow.article_set_expiry(article=story, user=make_staff("editor"), at=T)
    with time_machine.travel(T - SECOND, tick=False):
        assert _shows(client, surface, story)
    with time_machine.travel(T, tick=False):
        assert not _shows(client, surface, story)
    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED  # kept, not deleted or withdrawn
