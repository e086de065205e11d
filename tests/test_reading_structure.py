"""Headings, landmarks and dates a reader (and a screen reader) relies on."""

import datetime
import itertools
import re

import pytest
from django.utils import timezone

from tests.factories import make_article, make_author, make_section, make_tag

pytestmark = pytest.mark.django_db


def headings(html) -> list[int]:
    return [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]


def test_the_front_page_has_one_level_one_heading(client):
    make_article()
    html = client.get("/").content.decode()
    assert headings(html).count(1) == 1
    assert re.search(r'<h1 class="masthead__heading"><a [^>]*>النشرة</a></h1>', html)


@pytest.mark.parametrize("page", ["section", "tag", "author", "search", "latest"])
def test_listing_pages_never_skip_a_heading_level(client, page):
    section, tag, author = make_section(), make_tag(), make_author()
    make_article(headline="خبر النفط", section=section, tags=[tag], authors=[author])
    url = {
        "section": section.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "author": author.get_absolute_url(),
        "search": "/search/?q=النفط",
        "latest": "/latest/",
    }[page]
    levels = headings(client.get(url).content.decode())
    assert levels[0] == 1
    assert levels.count(1) == 1
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, levels


def test_the_two_search_forms_are_told_apart(client):
    html = client.get("/search/?q=خبر").content.decode()
    labels = re.findall(r'role="search" aria-label="([^"]+)"', html)
    assert len(labels) == 2
    assert len(set(labels)) == 2


def test_the_latest_list_dates_stories_that_are_not_from_today(client):
    now = timezone.localtime()
    make_article(headline="الخبر الأول", publish_at=now - datetime.timedelta(minutes=1))
    make_article(headline="خبر اليوم", publish_at=now - datetime.timedelta(minutes=2))
    old = datetime.datetime(2024, 4, 25, 14, 30)  # noqa: DTZ001 - on the newsroom's clock:
    make_article(headline="خبر قديم", publish_at=timezone.make_aware(old))
    html = client.get("/").content.decode()
    latest = html.split('class="latest__list"')[1].split("</ol>")[0]
    old = re.search(r"<li><time [^>]*>([^<]*)</time> <a [^>]*>خبر قديم</a>", latest).group(1)
    assert old == "الخميس - 25 أبريل 2024 14:30"
    today = re.search(r"<li><time [^>]*>([^<]*)</time> <a [^>]*>خبر اليوم</a>", latest).group(1)
    assert re.fullmatch(r"\d\d:\d\d", today)
