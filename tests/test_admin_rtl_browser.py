"""The desk in the browser at a laptop's width: right to left, screenshots for review."""

import re

import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.test import Client
from django.urls import reverse

from articles.models import Article
from tests.browser import ARTIFACTS, launch_chromium
from tests.factories import change_form_data, make_article, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = (
    "<p>فقرة أولى.</p><blockquote><p>اقتباس من المتحدث.</p></blockquote>"
    "<ul><li>البند الأول</li><li>البند الثاني</li></ul><ol><li>أولا</li></ol>"
)


@pytest.fixture
def page(live_server, monkeypatch):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = launch_chromium(p)
        yield browser.new_page(viewport={"width": 1366, "height": 900}, locale="ar")
        browser.close()
        connections.close_all()


def login(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return client


def test_the_editor_puts_quote_bars_and_bullets_on_the_right(page, live_server):
    chief = make_staff("chief", username="chief")
    story = make_article(headline="خبر باقتباس", status=Article.Status.DRAFT, body=BODY)
    login(page, live_server, chief)
    page.goto(live_server.url + reverse("admin:articles_article_change", args=[story.pk]))
    quote = page.locator(".ProseMirror blockquote").first
    quote.wait_for()
    style = quote.evaluate(
        "q => { const s = getComputedStyle(q); return [s.borderRightWidth, s.borderLeftWidth,"
        " s.paddingRight, s.paddingLeft]; }"
    )
    assert style == ["5px", "0px", "10px", "0px"]  # the bar on the right (RTL start)
    for selector in (".ProseMirror ul", ".ProseMirror ol"):
        box = page.locator(selector).first.evaluate(
            "l => { const s = getComputedStyle(l); const a = l.getBoundingClientRect();"
            " const b = l.firstElementChild.getBoundingClientRect();"
            " return [parseFloat(s.paddingRight) > 0, s.paddingLeft, a.right - b.right]; }"
        )
        indented_on_the_right, left_padding, indent = box
        assert indented_on_the_right, selector
        assert left_padding == "0px", selector
        assert indent > 10, selector
    # The toolbar's tooltips and the heading menu speak Arabic (static/js/editor-arabic-labels.js).
    page.wait_for_function(
        "() => document.querySelector('.prose-menubar [data-name=bold]')"
        "?.getAttribute('title') === 'عريض'"
    )
    labels = page.locator(".prose-menubar").first.evaluate(
        "m => [...m.querySelectorAll('[title], [aria-label]')]"
        ".flatMap(e => [e.getAttribute('title'), e.getAttribute('aria-label')])"
        ".concat([...m.querySelectorAll('.prose-menubar__option > *')].map(o => o.textContent))"
        ".filter(Boolean)"
    )
    assert labels
    assert not [label for label in labels if re.search("[A-Za-z]", label)]
    assert "فقرة" in labels
    assert "عنوان فرعي" in labels
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "admin-1366-editor-rtl.png"), full_page=True)


def test_the_desk_pages_at_1366_px(page, live_server):
    chief = make_staff("chief", username="chief")
    story = make_article(headline="الوزراء يجتمعون", status=Article.Status.DRAFT, created_by=chief)
    client = login(page, live_server, chief)
    for body in ("<p>نص معدل</p>", "<p>نص معدل مرة ثانية</p>"):  # versions 2 and 3
        story.refresh_from_db()
        client.post(
            reverse("admin:articles_article_change", args=[story.pk]),
            change_form_data(story, body=body),
        )
    pages = {
        "desk": reverse("admin:articles_desk"),
        "schedule": reverse("admin:articles_schedule"),
        "history": reverse("admin:articles_article_history", args=[story.pk]),
        "compare": reverse("admin:articles_article_compare", args=[story.pk]) + "?a=2&b=3",
    }
    ARTIFACTS.mkdir(exist_ok=True)
    for name, path in pages.items():
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("dir") == "rtl"
        # Django 6's breadcrumb bar (ol.breadcrumbs): coloured, above the sidebar.
        bar = page.locator("ol.breadcrumbs")
        assert bar.count() == 1, name
        assert bar.evaluate("b => getComputedStyle(b).backgroundColor") != "rgba(0, 0, 0, 0)"
        crumbs = bar.bounding_box()
        sidebar = page.locator("#nav-sidebar")
        if sidebar.count() and sidebar.is_visible():
            side = sidebar.bounding_box()
            apart_vertically = crumbs["y"] + crumbs["height"] <= side["y"] + 1
            apart_sideways = crumbs["x"] + crumbs["width"] <= side["x"] + 1
            assert apart_vertically or apart_sideways, name  # the bar never covers the sidebar
        page.screenshot(path=str(ARTIFACTS / f"admin-1366-{name}.png"), full_page=True)
