"""The page cache serves readers fast and never breaks the schedule."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db(transaction=True)

T = datetime.datetime(2026, 3, 10, 9, 0, 0, tzinfo=datetime.UTC)
SECOND = datetime.timedelta(seconds=1)


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300


def test_second_anonymous_request_is_a_hit_with_public_cache_control(client):
    story = make_article(headline="خبر للقراء")
    first = client.get(story.get_absolute_url())
    second = client.get(story.get_absolute_url())
    assert first["X-Cache"] == "miss"
    assert second["X-Cache"] == "hit"
    assert "خبر للقراء" in second.content.decode()
    assert "public" in second["Cache-Control"]
    assert "max-age=" in second["Cache-Control"]


def test_scheduled_story_appears_at_its_second_with_cache_on(client):
    section = make_section(slug="محليات")
    with time_machine.travel(T - datetime.timedelta(minutes=10), tick=False) as clock:
        make_article(
            headline="خبر قديم", section=section, publish_at=T - datetime.timedelta(days=1)
        )
        story = make_article(headline="خبر مجدول للنشر", section=section, publish_at=T)
        urls = ["/", "/section/محليات/", story.get_absolute_url()]

        clock.move_to(T - SECOND)
        for url in urls:
            client.get(url)  # fill the cache just before the second
        for url in urls:
            response = client.get(url)
            assert response["X-Cache"] == "hit"
            assert "خبر مجدول للنشر" not in response.content.decode()
        assert client.get(story.get_absolute_url()).status_code == 404
        # Lifetime is bounded by the coming change, for caches downstream too.
        assert "max-age=1" in client.get("/")["Cache-Control"]

        clock.move_to(T)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert "خبر مجدول للنشر" in response.content.decode(), url


def test_expiring_story_disappears_at_its_second_with_cache_on(client):
    section = make_section(slug="محليات")
    with time_machine.travel(T - datetime.timedelta(hours=1), tick=False) as clock:
        story = make_article(
            headline="خبر ينتهي",
            section=section,
            publish_at=T - datetime.timedelta(days=1),
            expire_at=T,
        )
        clock.move_to(T - SECOND)
        assert "خبر ينتهي" in client.get("/").content.decode()
        assert client.get(story.get_absolute_url()).status_code == 200
        assert client.get("/")["X-Cache"] == "hit"

        clock.move_to(T)
        assert "خبر ينتهي" not in client.get("/").content.decode()
        assert client.get(story.get_absolute_url()).status_code == 404


def test_withdrawn_story_disappears_at_once(client):
    story = make_article(headline="خبر سيسحب")
    url = story.get_absolute_url()
    assert client.get(url).status_code == 200
    assert "خبر سيسحب" in client.get("/").content.decode()
    assert client.get("/")["X-Cache"] == "hit"

    story.status = Article.Status.WITHDRAWN
    story.save()

    assert client.get(url).status_code == 404
    assert "خبر سيسحب" not in client.get("/").content.decode()


def test_correction_shows_at_once(client):
    story = make_article(headline="عنوان أول")
    client.get(story.get_absolute_url())
    story.standfirst = "مقدمة مصححة"
    story.save()
    assert "مقدمة مصححة" in client.get(story.get_absolute_url()).content.decode()


def test_logged_in_staff_never_get_cached_pages(client):
    story = make_article(headline="خبر")
    client.get("/")
    staff = get_user_model().objects.create_user("editor", password="x", is_staff=True)
    client.force_login(staff)
    response = client.get("/")
    assert "X-Cache" not in response
    assert "private" in response["Cache-Control"]
    assert story.headline in response.content.decode()


def test_the_admin_is_never_served_from_the_cache(client):
    # The admin login page sets a CSRF cookie and is under an uncached prefix.
    assert "X-Cache" not in client.get("/admin/login/")


@pytest.mark.parametrize("marking", ["private", "no-store"])
def test_responses_marked_private_are_never_stored(client, settings, marking):
    """A page outside the uncached prefixes that says ``private`` or ``no-store`` (as
    previews do) is rendered afresh for every reader, never served from the cache."""
    settings.ROOT_URLCONF = "tests.marked_pages"
    first = client.get(f"/marked/{marking}/")
    second = client.get(f"/marked/{marking}/")

    assert marking in second["Cache-Control"]
    assert "public" not in second["Cache-Control"]
    assert "X-Cache" not in second
    assert second.content != first.content  # rendered again: "مرة 2" after "مرة 1"


def test_the_same_page_unmarked_is_stored(client, settings):
    """The counterpart of the test above: its page is one the cache does store."""
    settings.ROOT_URLCONF = "tests.marked_pages"
    first = client.get("/marked/nothing/")
    second = client.get("/marked/nothing/")

    assert second["X-Cache"] == "hit"
    assert second.content == first.content


def test_with_nothing_scheduled_a_page_lives_the_full_configured_lifetime(client):
    make_article(publish_at=timezone.now() - datetime.timedelta(days=1))
    response = client.get("/")
    assert "max-age=300" in response["Cache-Control"]
