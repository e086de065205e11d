"""The desk in a real browser: right to left, buttons present, conflict diff readable."""

import pytest
from django.conf import settings as django_settings
from django.test import Client

from articles.models import Article
from tests.browser import ARTIFACTS, chromium_page
from tests.factories import make_article, make_staff


@pytest.fixture
def browser_page(live_server):
    with chromium_page(1280, locale="ar") as page:
        yield page


def _login(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_editor_reviews_and_approves_in_the_browser(browser_page, live_server):
    ARTIFACTS.mkdir(exist_ok=True)
    reporter = make_staff("reporter", username="reem")
    editor = make_staff("editor", username="khaled")
    article = make_article(
        status=Article.Status.IN_REVIEW, created_by=reporter, headline="افتتاح مكتبة عامة جديدة"
    )
    page = browser_page
    _login(page, live_server, editor)

    page.goto(f"{live_server.url}/admin/articles/article/desk/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("#desk-review .desk-count").inner_text() == "1"
    page.screenshot(path=str(ARTIFACTS / "desk.png"), full_page=True)

    page.click("text=افتتاح مكتبة عامة جديدة")
    page.screenshot(path=str(ARTIFACTS / "desk-change-form.png"), full_page=True)
    page.click("button:has-text('اعتماد')")
    assert "معتمد" in page.locator(".messagelist").inner_text()
    article.refresh_from_db()
    assert article.status == Article.Status.APPROVED
    page.screenshot(path=str(ARTIFACTS / "desk-approved.png"), full_page=True)
