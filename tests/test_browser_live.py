"""A reader keeps a live story open; an editor posts; the page says so without reloading."""

import pytest

from articles.desk import live
from tests.browser import chromium_page, screenshot
from tests.factories import make_article, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_open_page_announces_new_updates_and_shows_them(live_server, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300  # as in production: the poll is a cache hit
    settings.NEWSROOM_LIVE_POLL_SECONDS = 5
    editor = make_staff("editor")
    story = make_article(headline="عاصفة رملية")
    live.coverage_start(article=story, user=editor)
    live.update_post(article=story, user=editor, body="<p>الرؤية تنخفض</p>")

    with chromium_page(390) as page:
        page.goto(live_server.url + story.get_absolute_url())
        notice = page.locator(".live__notice")
        assert notice.is_hidden()

        live.update_post(article=story, user=editor, body="<p>إغلاق المطار</p>")
        live.update_post(article=story, user=editor, body="<p>تحويل الرحلات</p>")
        notice.wait_for(state="visible", timeout=20_000)
        assert "تحديثات جديدة: 2" in notice.inner_text()
        assert "إغلاق المطار" not in page.locator("#live-updates").inner_text()  # not reloaded
        screenshot(page, "live-new-updates-390")

        notice.locator("a").click()
        page.wait_for_selector("text=إغلاق المطار")
        assert "تحويل الرحلات" in page.locator(".live__updates").inner_text()
