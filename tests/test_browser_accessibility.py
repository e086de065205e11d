"""axe-core finds no violation on the reading site, on a phone and on a desktop."""

import datetime

import pytest
from django.utils import timezone

from tests.accessibility import violations
from tests.browser import chromium_page, screenshot
from tests.factories import make_article, make_author, make_section, make_tag

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site():
    now = timezone.now()
    sections = [
        make_section(name, slug=slug, order=n)
        for n, (name, slug) in enumerate(
            [
                ("عربي ودولي", "world"),
                ("اقتصاد", "economy"),
                ("رياضة", "sport"),
                ("ثقافة وفنون", "culture"),
                ("تكنولوجيا", "tech"),
                ("صحة", "health"),
            ]
        )
    ]
    author = make_author("سارة المنصوري", slug="sara", bio="مراسلة الشؤون الاقتصادية.")
    tag = make_tag("الطاقة")
    stories = []
    for n in range(14):
        stories.append(
            make_article(
                headline=f"خبر رقم {n} عن أسعار النفط والطاقة في المنطقة",
                standfirst="مقدمة الخبر تشرح ما جرى في سطرين.",
                body="<p>الفقرة الأولى من الخبر.</p><h2>عنوان فرعي</h2><p>الفقرة الثانية.</p>",
                section=sections[n % len(sections)],
                authors=[author],
                tags=[tag],
                # Some today, some on earlier days (the "latest" list shows their dates).
                publish_at=now - datetime.timedelta(hours=n * 9 + 1),
            )
        )
    return {
        "home": "/",
        "section": sections[1].get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "author": author.get_absolute_url(),
        "search": "/search/?q=النفط",
        "article": stories[0].get_absolute_url(),
        "404": "/article/999999/missing/",
    }


@pytest.mark.parametrize("width", [390, 1366])
def test_no_accessibility_violation_on_any_public_page(live_server, site, width):
    found = {}
    with chromium_page(width) as page:
        for name, path in site.items():
            response = page.goto(live_server.url + path)
            assert response.status == (404 if name == "404" else 200), path
            page.wait_for_load_state("networkidle")
            problems = violations(page)
            if problems:
                found[name] = problems
                screenshot(page, f"axe-{name}-{width}")
    assert found == {}, "\n".join(
        f"{name}: {problem}" for name, problems in found.items() for problem in problems
    )


def test_every_section_in_the_menu_is_on_screen_on_a_phone(live_server, site):
    with chromium_page(390) as page:
        page.goto(live_server.url + "/")
        page.wait_for_load_state("networkidle")
        links = page.locator(".sections-nav a")
        assert links.count() == 8  # home, latest and the six sections
        for index in range(links.count()):
            box = links.nth(index).bounding_box()
            assert box["x"] >= 0, links.nth(index).inner_text()
            assert box["x"] + box["width"] <= 390, links.nth(index).inner_text()
        hidden = page.evaluate(
            "(() => { const list = document.querySelector('.sections-nav ul');"
            " return list.scrollWidth - list.clientWidth; })()"
        )
        assert hidden <= 0
        screenshot(page, "menu-390")
