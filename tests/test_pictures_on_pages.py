"""Readers get responsive pictures: srcset/sizes, width and height, og:image, flat queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.media import images
from tests.factories import make_article, make_section
from tests.images_helpers import photo_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def make_image(**fields):
    fields.setdefault("alt_text", "متظاهرون في الساحة")
    return images.create_image(upload(photo_bytes((1800, 1200))), **fields)


def test_article_page_shows_the_lead_image_with_srcset_sizes_and_dimensions(client):
    image = make_image(caption="الساحة صباح الخميس", credit="وكالة الأنباء")
    article = make_article(lead_image=image)
    page = client.get(article.get_absolute_url()).content.decode()

    figure = re.search(r'<figure class="story__lead-image">.*?</figure>', page, re.S).group(0)
    webp = image.renditions.filter(shape="original", format="webp").order_by("width")
    srcset = ", ".join(f"{r.file.url} {r.width}w" for r in webp)
    assert f'<source type="image/webp" srcset="{srcset}" sizes="' in figure
    jpeg = image.renditions.get(shape="original", format="jpeg")
    assert f'<img src="{jpeg.file.url}"' in figure
    assert 'width="800" height="533"' in figure
    assert 'alt="متظاهرون في الساحة"' in figure
    assert "الساحة صباح الخميس" in figure
    assert "تصوير: وكالة الأنباء" in figure


def test_social_card_has_og_image_with_width_and_height(client):
    image = make_image()
    article = make_article(lead_image=image)
    page = client.get(article.get_absolute_url()).content.decode()
    card = image.renditions.get(shape="social")
    assert f'<meta property="og:image" content="http://testserver{card.file.url}">' in page
    assert '<meta property="og:image:width" content="1200">' in page
    assert '<meta property="og:image:height" content="630">' in page


def test_inline_image_in_the_body_becomes_a_responsive_picture(client):
    image = make_image()
    src = image.renditions.get(shape="original", format="jpeg").file.url
    body = (
        f'<p>قبل</p><figure class="inline-image"><img src="{src}" alt="" '
        f'data-image-id="{image.pk}"><figcaption>تعليق الصورة</figcaption></figure><p>بعد</p>'
    )
    article = make_article(body=body)
    page = client.get(article.get_absolute_url()).content.decode()
    inline = re.search(r'<figure class="inline-image">.*?</figure>', page, re.S).group(0)
    assert '<source type="image/webp" srcset="' in inline
    assert " 1600w" in inline
    assert 'width="800" height="533"' in inline
    assert "تعليق الصورة" in inline


def test_a_story_without_a_picture_still_renders(client):
    article = make_article()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<picture" not in page
    # Shares show the site's own card instead (issue 13; tests/test_sharing.py).
    assert 'property="og:image" content="http://testserver/static/img/social-card.png"' in page


def _queries_for(client, url) -> int:
    client.get(url)  # warm the site-wide caches (navigation) first
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_listings_with_lead_images_cost_the_same_queries_for_2_or_8_stories(client):
    section = make_section()
    image = make_image()
    for _ in range(2):
        make_article(section=section, lead_image=image)
    few_section = _queries_for(client, section.get_absolute_url())
    few_home = _queries_for(client, "/")
    for _ in range(6):
        make_article(section=section, lead_image=make_image())
    assert _queries_for(client, section.get_absolute_url()) == few_section
    assert _queries_for(client, "/") == few_home
    page = client.get(section.get_absolute_url()).content.decode()
    assert page.count('class="card__image"') == 8
    assert page.count("<picture") == 8
