"""Degrade, never fail: a real Redis stopped or hanging in the middle of the test.

Pages render uncached (200), the masthead's sections come from the database,
``/health/`` says "degraded", an editor's withdrawal commits and succeeds, and the
purge it could not deliver is kept and delivered by ``publish_due`` once the
server is back, so no page stays stale.
"""

import io
import shutil

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import RequestFactory

from articles.desk import workflow
from articles.models import PendingPurge
from articles.site import caching, shared_cache
from tests.factories import make_article, make_section, make_staff
from tests.services import RedisServer, free_port

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed"),
]


@pytest.fixture
def redis_server(settings):
    server = RedisServer()
    settings.CACHES = server.caches
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    shared_cache.reset()
    yield server
    server.stop()
    shared_cache.reset()


def test_a_hanging_redis_slows_pages_and_the_purge_catches_up(client, redis_server):
    editor = make_staff("editor")
    section = make_section(name="اقتصاد")
    story = make_article(headline="خبر سيسحب أثناء العطل", section=section)
    url = story.get_absolute_url()
    for path in (url, "/"):
        client.get(path)
        assert client.get(path)["X-Cache"] == "hit"

    redis_server.pause()
    page = client.get(url)
    assert page.status_code == 200
    assert "X-Cache" in page
    assert "اقتصاد" in page.content.decode()  # the navigation, from the database
    assert client.get("/").status_code == 200
    health = client.get("/health/")
    assert health.status_code == 200
    assert health.json()["status"] == "degraded"
    assert health.json()["database"] == "ok"

    workflow.article_withdraw(article=story, user=editor)  # commits, raises nothing
    assert client.get(url).status_code == 404  # rendered without the cache
    kept = PendingPurge.objects.get()
    assert kept.target == "cache"
    assert f"story-{story.pk}" in kept.keys.split()

    redis_server.resume()
    shared_cache.reset()
    # The copies cached before the outage are still in Redis: only the purge retires them.
    assert cache.get(caching.page_key(RequestFactory().get(url))) is not None
    call_command("publish_due", stdout=io.StringIO())
    assert not PendingPurge.objects.exists()
    assert client.get(url).status_code == 404
    assert "خبر سيسحب أثناء العطل" not in client.get("/").content.decode()
    assert client.get("/health/").json()["status"] == "ok"


def test_a_stopped_redis_never_turns_a_page_into_an_error(client, redis_server, settings):
    editor = make_staff("editor")
    section = make_section(name="رياضة")
    story = make_article(headline="خبر", section=section)
    settings.NEWSROOM_PURGE_URLS = [f"http://127.0.0.1:{free_port()}/"]  # nothing listens
    urls = ["/", story.get_absolute_url(), section.get_absolute_url(), "/sitemap.xml"]
    for url in urls:
        client.get(url)

    redis_server.stop()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "رياضة" in client.get("/").content.decode()
    assert client.get("/health/").json()["status"] == "degraded"

    workflow.article_withdraw(article=story, user=editor)
    assert client.get(story.get_absolute_url()).status_code == 404
    targets = set(PendingPurge.objects.values_list("target", flat=True))
    assert targets == {"cache", settings.NEWSROOM_PURGE_URLS[0]}
    # publish_due keeps what it still cannot deliver, and counts the attempt.
    call_command("publish_due", stdout=io.StringIO())
    assert PendingPurge.objects.count() == 2
    assert set(PendingPurge.objects.values_list("attempts", flat=True)) == {2}
