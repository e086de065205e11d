"""A real Varnish (deploy/varnish/newsroom.vcl) in front of the live test server.

What readers see through it: a published story within a second of the commit, a
withdrawn one gone within a second, a scheduled one at its second; staff always
get a fresh page from the application.
"""

import datetime
import shutil
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.utils import timezone

from articles.desk import workflow
from articles.models import Article
from tests.factories import make_article, make_section, make_staff
from tests.services import VarnishServer

XKEY = [*Path("/usr/lib").glob("*/varnish/vmods/libvmod_xkey.so")]
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not shutil.which("varnishd") and not Path("/usr/sbin/varnishd").exists(),
        reason="varnishd is not installed (.ci/run installs it: apt-get install varnish)",
    ),
    pytest.mark.skipif(
        not XKEY, reason="the xkey vmod is not installed (apt-get install varnish-modules)"
    ),
]


@pytest.fixture
def varnish(live_server, settings, tmp_path):
    port = int(live_server.url.rsplit(":", 1)[1])
    server = VarnishServer(port, tmp_path / "varnish")
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    settings.NEWSROOM_PURGE_URLS = [server.url + "/"]
    yield server
    server.stop()


def fetch(url: str, cookie: str | None = None) -> tuple[int, str, dict]:
    # Always http:// to the varnishd this test started.
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def seconds_until(predicate, limit: float = 1.0) -> float | None:
    """How long until ``predicate()`` holds, polling for up to ``limit`` seconds."""
    start = time.monotonic()
    while time.monotonic() - start <= limit:
        if predicate():
            return time.monotonic() - start
        time.sleep(0.02)
    return None


def warm(url: str) -> dict:
    fetch(url)
    _status, _body, headers = fetch(url)
    return headers


def test_publication_and_withdrawal_reach_readers_within_a_second(varnish):
    editor = make_staff("editor")
    section = make_section()
    make_article(headline="خبر قديم", section=section)
    story = make_article(
        headline="خبر عاجل عبر فارنش", section=section, status=Article.Status.APPROVED
    )
    home, page = varnish.url + "/", varnish.url + story.get_absolute_url()
    assert warm(home)["X-Varnish-Cache"] == "hit"
    assert fetch(page)[0] == 404
    # Readers never see the keys or the exact lifetime.
    headers = fetch(home)[2]
    assert not {"xkey", "Surrogate-Key", "Surrogate-Control"} & set(headers)

    workflow.article_publish(article=story, user=editor)
    took = seconds_until(lambda: "خبر عاجل عبر فارنش" in fetch(home)[1])
    assert took is not None
    assert took < 1.0
    assert fetch(page)[0] == 200

    warm(page)
    workflow.article_withdraw(article=story, user=editor)
    took = seconds_until(lambda: fetch(page)[0] == 404)
    assert took is not None
    assert took < 1.0
    assert "خبر عاجل عبر فارنش" not in fetch(home)[1]


def test_a_scheduled_story_appears_at_its_second(varnish):
    editor = make_staff("editor")
    section = make_section()
    make_article(headline="خبر قديم", section=section)
    story = make_article(
        headline="خبر مجدول عبر فارنش", section=section, status=Article.Status.APPROVED
    )
    now = timezone.now()
    at = now.replace(microsecond=0) + datetime.timedelta(seconds=3)
    workflow.article_publish(article=story, user=editor, at=at)
    home, page = varnish.url + "/", varnish.url + story.get_absolute_url()
    assert warm(home)["X-Varnish-Cache"] == "hit"
    assert "خبر مجدول عبر فارنش" not in fetch(home)[1]
    assert fetch(page)[0] == 404

    time.sleep(max(0.0, (at - timezone.now()).total_seconds()))
    took = seconds_until(lambda: "خبر مجدول عبر فارنش" in fetch(home)[1])
    assert took is not None
    assert took < 1.0
    assert fetch(page)[0] == 200


def test_staff_get_fresh_pages_through_varnish(varnish, client):
    story = make_article(headline="عنوان قبل التعديل")
    page = varnish.url + story.get_absolute_url()
    assert warm(page)["X-Varnish-Cache"] == "hit"
    # A change that (in this test) reaches no cache: readers keep the cached copy…
    Article.objects.filter(pk=story.pk).update(standfirst="مقدمة لم تصل إلى الذاكرة")
    assert "مقدمة لم تصل إلى الذاكرة" not in fetch(page)[1]
    # …while staff go straight through to the application.
    client.force_login(make_staff("editor"))
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    status, body, headers = fetch(page, cookie=cookie)
    assert status == 200
    assert "مقدمة لم تصل إلى الذاكرة" in body
    assert headers["X-Varnish-Cache"] == "miss"
    assert "private" in headers["Cache-Control"]
