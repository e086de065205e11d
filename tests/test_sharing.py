"""What shares, search engines and browsers read: images, titles, feeds, icons."""

import json

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

from tests.factories import make_article, make_author, make_section, make_tag
from tests.test_seo import json_ld, meta

pytestmark = pytest.mark.django_db

CARD_URL = "http://testserver/static/img/social-card.png"


def test_story_without_a_picture_shares_the_site_card(client):
    story = make_article(headline="خبر بلا صورة")
    html = client.get(story.get_absolute_url()).content.decode()
    (article,) = [block for block in json_ld(html) if block["@type"] == "NewsArticle"]
    assert article["image"] == {
        "@type": "ImageObject",
        "url": CARD_URL,
        "width": 1200,
        "height": 630,
    }
    assert meta(html, "og:image") == [CARD_URL]
    assert meta(html, "twitter:image") == [CARD_URL]
    assert meta(html, "twitter:card") == ["summary"]
    assert client.get("/static/img/social-card.png").status_code == 200


def test_story_with_a_picture_shares_it_as_a_large_card(client, settings, tmp_path):
    from articles.media import images
    from tests.images_helpers import photo_bytes, upload

    settings.MEDIA_ROOT = tmp_path / "media"
    picture = images.create_image(upload(photo_bytes((1800, 1200))), alt_text="صورة الخبر")
    story = make_article(lead_image=picture)
    card_url = "http://testserver" + picture.renditions.get(shape="social", format="jpeg").file.url
    html = client.get(story.get_absolute_url()).content.decode()
    (article,) = [block for block in json_ld(html) if block["@type"] == "NewsArticle"]
    assert article["image"]["url"] == card_url
    assert meta(html, "og:image") == [card_url]
    assert meta(html, "og:image:alt") == ["صورة الخبر"]
    assert meta(html, "twitter:image") == [card_url]
    assert meta(html, "twitter:card") == ["summary_large_image"]


def test_the_site_card_is_1200_by_630_and_ours():
    with Image.open(finders.find("img/social-card.png")) as card:
        assert card.size == (1200, 630)
        assert card.format == "PNG"


@pytest.mark.parametrize("page", ["home", "section", "tag", "author"])
def test_listing_pages_share_the_site_card(client, page):
    section, tag, author = make_section(), make_tag(), make_author()
    make_article(section=section, tags=[tag], authors=[author])
    url = {
        "home": "/",
        "section": section.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "author": author.get_absolute_url(),
    }[page]
    assert meta(client.get(url).content.decode(), "og:image") == [CARD_URL]


def test_tag_and_section_pages_name_themselves_in_open_graph(client):
    section, tag = make_section("رياضة"), make_tag("كرة القدم")
    make_article(section=section, tags=[tag])
    assert meta(client.get(tag.get_absolute_url()).content.decode(), "og:title") == ["كرة القدم"]
    assert meta(client.get(section.get_absolute_url()).content.decode(), "og:title") == ["رياضة"]


def test_the_404_page_claims_no_address(client):
    response = client.get("/article/999999/nothing/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'rel="canonical"' not in html
    assert meta(html, "og:url") == []


def test_section_pages_advertise_their_own_feeds(client):
    section = make_section("اقتصاد", slug="eco")
    make_article(section=section)
    html = client.get(section.get_absolute_url()).content.decode()
    assert (
        '<link rel="alternate" type="application/rss+xml" title="اقتصاد (RSS)" href="/section/eco/rss/">'
        in html
    )
    assert (
        '<link rel="alternate" type="application/atom+xml" title="اقتصاد (Atom)" href="/section/eco/atom/">'
        in html
    )


def test_favicon_touch_icon_and_manifest(client):
    html = client.get("/").content.decode()
    favicon = client.get("/favicon.ico")
    assert favicon.status_code == 200
    assert favicon["Content-Type"] == "image/vnd.microsoft.icon"
    assert favicon.content[:4] == b"\x00\x00\x01\x00"  # an ICO file's signature
    assert 'rel="icon" href="/favicon.ico"' in html
    assert 'rel="apple-touch-icon" href="/static/img/apple-touch-icon.png"' in html
    with Image.open(finders.find("img/apple-touch-icon.png")) as touch:
        assert touch.size == (180, 180)
        assert touch.mode == "RGB"
    assert 'rel="manifest" href="/site.webmanifest"' in html
    response = client.get("/site.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert (manifest["name"], manifest["lang"], manifest["dir"]) == ("النشرة", "ar", "rtl")
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200
        with Image.open(finders.find(icon["src"].removeprefix("/static/"))) as picture:
            assert f"{picture.width}x{picture.height}" == icon["sizes"]


def test_brand_images_command_draws_every_picture(tmp_path):
    from django.core.management import call_command

    call_command("brand_images", output=tmp_path, stdout=None)
    with Image.open(tmp_path / "social-card.png") as card:
        assert card.size == (1200, 630)
        # The name is drawn: the card is not one flat colour.
        assert len(card.getcolors(maxcolors=100_000)) > 10
    with Image.open(tmp_path / "favicon.ico") as icon:
        assert {(16, 16), (32, 32), (48, 48)} <= set(icon.info["sizes"])
