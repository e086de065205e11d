"""What readers see on the home, section and article pages."""

import datetime
import json
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article
from articles.site import errors
from tests.factories import make_article, make_author, make_section, make_tag

pytestmark = pytest.mark.django_db


def visible_text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def imported_sample(sample_path):
    make_section(name="عربي ودولي", slug="دولي")
    call_command(
        "import_article", str(sample_path), section="دولي", status="published", stdout=None
    )
    return Article.objects.get()


def test_sample_story_page_reads_like_the_wire_copy(client, imported_sample, sample_path):
    author = make_author("أحمد الكعبي")
    imported_sample.credits.create(author=author, position=0)
    imported_sample.tags.set([make_tag("الإمارات"), make_tag("الأطفال")])

    response = client.get(imported_sample.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="ar" dir="rtl">' in html
    text = visible_text(response)
    assert "الخميس 16 شوال 1445 هـ - 25 أبريل 2024" in text  # Umm al-Qura beside Gregorian
    assert "إنقاذ 549 طفلاً من جريمة الاستغلال الجنسي في عملية دولية" in text
    assert "أنقذ التحالف الأمني الدولي 549 طفلاً" in text
    assert "عربي ودولي" in text
    assert "أحمد الكعبي" in text
    assert "الإمارات" in text
    assert "الأطفال" in text
    # Every paragraph, in order, with its «quotes».
    paragraphs = re.findall(r"<p>(.*?)</p>", html.split('class="story__body"')[1])
    wire = [line.strip() for line in sample_path.read_text().splitlines() if line.strip()][5:]
    assert paragraphs[: len(wire)] == wire
    assert "«العملية المشتركة مثلت فرصة للتحقيق" in html
    # The headline appears once as the page heading, not repeated as in the scraped copy.
    assert html.count("<h1") == 1


def test_article_page_has_canonical_og_and_json_ld(client, imported_sample):
    response = client.get(imported_sample.get_absolute_url())
    html = response.content.decode()
    canonical = f"http://testserver{imported_sample.get_absolute_url()}"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert '<meta property="og:type" content="article">' in html
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1)
    )
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == imported_sample.headline
    assert data["inLanguage"] == "ar"
    assert data["datePublished"] == "2024-04-25T00:00:00+04:00"
    assert data["mainEntityOfPage"]["@id"] == canonical


def test_stale_slug_answers_301_to_the_canonical_url(client, imported_sample):
    old_url = imported_sample.get_absolute_url()
    imported_sample.headline = "عنوان جديد بعد التصحيح"
    imported_sample.slug = ""
    imported_sample.save()
    new_url = imported_sample.get_absolute_url()
    assert new_url != old_url

    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == new_url
    response = client.get(f"/article/{imported_sample.pk}/")
    assert response.status_code == 301
    assert response["Location"] == new_url
    assert client.get(new_url).status_code == 200


def test_home_shows_lead_and_each_sections_latest(client):
    politics, sport = make_section(name="سياسة"), make_section(name="رياضة")
    now = timezone.now()
    lead = make_article(headline="الخبر الرئيسي", section=politics, publish_at=now)
    for n in range(6):
        make_article(
            headline=f"رياضة {n}", section=sport, publish_at=now - datetime.timedelta(hours=n + 1)
        )

    response = client.get("/")
    text = visible_text(response)

    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in response.content.decode()
    lead_html = response.content.decode().split('class="lead"')[1].split("</article>")[0]
    assert lead.headline in lead_html
    assert "سياسة" in text
    assert "رياضة" in text
    block = response.content.decode().split(f'id="block-{sport.pk}"')[1].split("</section>")[0]
    assert [f"رياضة {n}" in block for n in range(6)] == [True] * 4 + [False] * 2


def test_section_page_is_newest_first_and_paginated(client, settings):
    settings.NEWSROOM_PAGE_SIZE = 3
    section = make_section(name="اقتصاد", slug="اقتصاد")
    now = timezone.now()
    for n in range(7):
        make_article(
            headline=f"خبر اقتصادي {n}",
            section=section,
            publish_at=now - datetime.timedelta(hours=n),
        )

    seen, url = [], "/section/اقتصاد/"
    while url:
        response = client.get(url)
        assert response.status_code == 200
        seen += re.findall(r"خبر اقتصادي \d", visible_text(response))
        nxt = re.search(r'rel="next" href="(\?before=[^"]+)"', response.content.decode())
        url = f"/section/اقتصاد/{nxt.group(1)}" if nxt else None
    assert seen == [f"خبر اقتصادي {n}" for n in range(7)]


@pytest.mark.parametrize("before", ["nonsense", "1-", "-1", "99999999999999999999999-1", "0-0"])
def test_bad_or_exhausted_page_cursor_is_404(client, before):
    section = make_section(slug="اقتصاد")
    make_article(section=section)
    assert client.get("/section/اقتصاد/", {"before": before}).status_code == 404


def test_unknown_section_is_404(client):
    assert client.get("/section/لا-يوجد/").status_code == 404


def test_server_error_page_is_arabic_and_needs_no_database(rf, django_assert_num_queries):
    # Django calls handler500 with the request alone; the database may be what failed.
    with django_assert_num_queries(0):
        response = errors.server_error(rf.get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert page.startswith('<!DOCTYPE html>\n<html lang="ar" dir="rtl">')
    assert "عذراً، حدث خطأ" in page
    assert 'href="/static/css/site.css"' in page


def test_empty_site_says_so_in_arabic(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "لم يُنشر أي خبر بعد." in visible_text(response)


def test_masthead_navigation_lists_sections_in_order(client):
    make_section(name="ثانياً", order=2)
    make_section(name="أولاً", order=1)
    text = visible_text(client.get("/"))
    assert text.index("أولاً") < text.index("ثانياً")


def test_no_request_leaves_the_site(client):
    """Every asset a page references is on our own origin."""
    make_article()
    html = client.get("/").content.decode()
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not url.startswith(("http://", "https://", "//")) or url.startswith(
            "http://testserver"
        )


@pytest.mark.parametrize(
    "url",
    [
        "/section/%00/",
        "/section/a%00b/rss/",
        "/tag/x%00/",
        "/author/x%00/",
        "/article/1/x%00/",
        "/sitemap-%00.xml",
        "/preview/%00/",
    ],
)
def test_control_characters_in_a_path_are_a_404_not_a_500(client, url):
    make_article()
    assert client.get(url).status_code == 404


def test_listing_pages_escape_what_the_desk_typed(client):
    """The Jinja2 pages autoescape: a hostile headline, standfirst, section or tag name
    is shown as text on every listing."""
    hostile = '<img src=x onerror="alert(1)">'
    section = make_section(name=f"قسم {hostile}", slug="hostile")
    tag = make_tag(f"وسم {hostile}")
    make_article(
        headline=f"عنوان {hostile}", standfirst=f"مقدمة {hostile}", section=section, tags=[tag]
    )
    for url in ("/", section.get_absolute_url(), tag.get_absolute_url(), "/latest/"):
        html = client.get(url).content.decode()
        assert "<img src=x" not in html, url
        assert "عنوان &lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html, url
