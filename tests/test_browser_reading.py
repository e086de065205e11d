"""A reader opens the sample story on a phone: right to left, nothing sideways."""

import pytest
from django.core.management import call_command

from articles.models import Article
from tests.browser import chromium_page, screenshot
from tests.factories import make_section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sample_story(sample_path):
    make_section(name="عربي ودولي", slug="دولي")
    call_command(
        "import_article", str(sample_path), section="دولي", status="published", stdout=None
    )
    return Article.objects.get()


@pytest.mark.parametrize("width", [360, 390, 1280])
def test_sample_story_reads_right_to_left_without_sideways_scroll(live_server, sample_story, width):
    external = []
    with chromium_page(width) as page:
        page.on(
            "request",
            lambda request: (
                external.append(request.url)
                if not request.url.startswith(live_server.url)
                else None
            ),
        )
        response = page.goto(live_server.url + sample_story.get_absolute_url())
        assert response.status == 200
        page.wait_for_load_state("networkidle")

        assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
        assert (
            page.evaluate("getComputedStyle(document.querySelector('.story__body')).direction")
            == "rtl"
        )
        assert page.locator("h1").inner_text() == sample_story.headline
        assert (
            page.locator(".story__dateline").inner_text()
            == "الخميس 16 شوال 1445 هـ - 25 أبريل 2024"
        )
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"page is {scroll_width}px wide in a {width}px viewport"
        # The self-hosted Arabic face is what the body text is set in.
        assert page.evaluate("document.fonts.check('16px \"Noto Naskh Arabic\"', 'خبر')")
        body_font = page.evaluate(
            "getComputedStyle(document.querySelector('.story__body')).fontFamily"
        )
        assert body_font.startswith('"Noto Naskh Arabic"')
        path = screenshot(page, f"sample-story-{width}")
    assert path.stat().st_size > 10_000
    assert external == []


@pytest.mark.parametrize("path", ["/", "/section/دولي/", "/search/?q=اطفال", "/latest/"])
def test_listing_pages_fit_a_360px_phone(live_server, sample_story, path):
    with chromium_page(360) as page:
        response = page.goto(live_server.url + path)
        assert response.status == 200
        page.wait_for_load_state("networkidle")
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        assert sample_story.headline in page.locator("main").inner_text()
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= 360, f"{path} is {scroll_width}px wide at 360px"
        screenshot(page, "phone-" + (path.strip("/").split("/")[0].split("?")[0] or "home"))
