"""``live()`` is the one definition of public, and every page obeys it."""

import datetime

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

NOW = timezone.now()
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def stories():
    section = make_section(slug="محليات")
    return {
        "live": make_article(headline="خبر منشور", section=section, publish_at=NOW - HOUR),
        "live_until_later": make_article(
            headline="خبر ينتهي لاحقا", section=section, publish_at=NOW - HOUR, expire_at=NOW + HOUR
        ),
        "draft": make_article(headline="مسودة سرية", section=section, status=Article.Status.DRAFT),
        "in_review": make_article(
            headline="خبر قيد المراجعة", section=section, status=Article.Status.IN_REVIEW
        ),
        "scheduled": make_article(headline="خبر مجدول", section=section, publish_at=NOW + HOUR),
        "expired": make_article(
            headline="خبر منتهي", section=section, publish_at=NOW - 2 * HOUR, expire_at=NOW - HOUR
        ),
        "withdrawn": make_article(
            headline="خبر مسحوب",
            section=section,
            status=Article.Status.WITHDRAWN,
            publish_at=NOW - HOUR,
        ),
    }


def test_live_returns_only_published_due_unexpired(stories):
    live = set(Article.objects.live(at=NOW).values_list("headline", flat=True))
    assert live == {"خبر منشور", "خبر ينتهي لاحقا"}


def test_live_edges_are_exact_to_the_second(stories):
    scheduled, expired = stories["scheduled"], stories["expired"]
    second = datetime.timedelta(seconds=1)
    assert not Article.objects.live(at=scheduled.publish_at - second).filter(pk=scheduled.pk)
    assert Article.objects.live(at=scheduled.publish_at).filter(pk=scheduled.pk)
    assert Article.objects.live(at=expired.expire_at - second).filter(pk=expired.pk)
    assert not Article.objects.live(at=expired.expire_at).filter(pk=expired.pk)


@pytest.mark.parametrize("hidden", ["draft", "in_review", "scheduled", "expired", "withdrawn"])
def test_hidden_story_is_an_arabic_404(client, stories, hidden):
    response = client.get(stories[hidden].get_absolute_url())
    assert response.status_code == 404
    text = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in text
    assert "الصفحة غير موجودة" in text
    assert stories[hidden].headline not in text


@pytest.mark.parametrize("url", ["/", "/section/محليات/"])
def test_listings_show_only_live_stories(client, stories, url):
    text = client.get(url).content.decode()
    assert "خبر منشور" in text
    assert "خبر ينتهي لاحقا" in text
    for hidden in ("مسودة سرية", "خبر قيد المراجعة", "خبر مجدول", "خبر منتهي", "خبر مسحوب"):
        assert hidden not in text
