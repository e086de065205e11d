"""The story changelist at a laptop's 1366 px: the headline has the room to be read."""

import pytest

from articles.models import Article
from tests.browser import ARTIFACTS, chromium_page
from tests.factories import change_form_data, make_article, make_section, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADLINES = [
    "البلدية تعلن خطة شاملة لتطوير الحدائق العامة وزراعة ألف شجرة في الأحياء الشرقية",
    "ارتفاع أسعار الخضار في الأسواق المركزية مع بداية موسم الأمطار",
    "المنتخب يفوز في مباراة ودية استعدادًا للبطولة",
]


def test_the_headline_gets_the_room_at_1366_px(live_server, client):
    reporter = make_staff("reporter", username="reem")
    editor = make_staff("editor", username="khaled")
    client.force_login(editor)
    section = make_section(name="الاقتصاد المحلي", slug="local-economy")
    for headline in HEADLINES:
        article = make_article(
            status=Article.Status.IN_REVIEW, created_by=reporter, section=section
        )
        client.post(
            f"/admin/articles/article/{article.pk}/change/",
            change_form_data(article, headline=headline),
        )
    cookie = client.cookies["sessionid"]

    with chromium_page(1366, 768, locale="ar") as page:
        page.context.add_cookies(
            [{"name": "sessionid", "value": cookie.value, "url": live_server.url}]
        )
        page.goto(f"{live_server.url}/admin/articles/article/")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "desk-changelist-1366.png"), full_page=True)

        table = page.locator("#result_list").bounding_box()
        room = page.locator("#changelist .results").bounding_box()
        headline = page.locator("#result_list th.column-headline").bounding_box()
        headers = page.locator("#result_list thead th").all_inner_texts()
        # One line per cell outside the headline: the row is as tall as a headline's lines.
        first_row = page.locator("#result_list tbody tr").first
        row_height = first_row.bounding_box()["height"]
        date_height = first_row.locator("td.field-updated").bounding_box()["height"]
        line = float(
            page.evaluate(
                "() => parseFloat(getComputedStyle(document.querySelector("
                "'#result_list td.field-updated')).lineHeight) || 16"
            )
        )
        clipped = page.evaluate(
            "() => [...document.querySelectorAll('#result_list td, #result_list th')]"
            ".filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.className)"
        )

    assert [h.strip() for h in headers if h.strip()][:6] == [
        "العنوان",
        "القسم",
        "الحالة",
        "المراسل",
        "آخر من حرَّره",
        "موعد النشر",
    ]
    assert table["width"] <= room["width"] + 1  # every column shows, nothing scrolls sideways
    assert clipped == []  # and no cell's text is cut off
    assert headline["width"] >= 0.4 * table["width"]
    assert row_height <= 3 * line + 20  # the longest headline takes at most two lines
    assert date_height == row_height
