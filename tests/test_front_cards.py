"""The home page's kept story cards (articles/site/cards.py): drawn once, never stale.

The page cache is off here unless a test turns it on, so each request redraws the home
page from its one query and the kept cards: what a reader gets after every retirement.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.desk import workflow
from articles.models import Article
from articles.site import cards, front
from tests.factories import card_headlines, make_article, make_author, make_section, make_staff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def editor():
    return make_staff("editor")


@pytest.fixture
def drawn(monkeypatch):
    """The ids of the stories whose cards were drawn (not found kept), per request."""
    calls: list[int] = []
    real = front._draw

    def counting(variant, ids):
        calls.extend(ids)
        return real(variant, ids)

    monkeypatch.setattr(front, "_draw", counting)
    return calls


def test_cards_are_drawn_once_and_the_page_costs_one_query(client, drawn):
    stories = [make_article(headline=f"خبر {n}") for n in range(5)]
    first = client.get("/")
    assert sorted(drawn) == sorted(story.pk for story in stories)
    drawn.clear()
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/")
    assert drawn == []
    assert len(queries) == 1
    assert again.content == first.content


def test_a_publication_draws_only_the_cards_that_moved(client, editor, drawn):
    section = make_section()
    older = [make_article(headline=f"خبر قديم {n}", section=section) for n in range(3)]
    client.get("/")
    drawn.clear()
    story = make_article(headline="خبر عاجل جديد", section=section, status=Article.Status.APPROVED)
    workflow.article_publish(article=story, user=editor)
    page = client.get("/")
    # The new story leads; the lead before it joins its section's block as a card.
    assert sorted(drawn) == sorted([story.pk, older[0].pk])
    assert "خبر عاجل جديد" in page.content.decode()


@pytest.fixture
def drawn_names(monkeypatch):
    """What the home page drew of its kept markup (the lead and the sections' blocks)."""
    calls: list[str] = []
    real = cards.kept

    def counting(names, draw, along=None):
        def recording(missing):
            calls.extend(name.split(":")[5] for name in missing)  # "front", "lead", "block", "card"
            return draw(missing)

        return real(names, recording, along)

    monkeypatch.setattr(cards, "kept", counting)
    return calls


def test_a_publication_draws_the_lead_and_one_block_again(client, editor, drawn, drawn_names):
    sports, economy = make_section(name="رياضة"), make_section(name="اقتصاد")
    # Newest first (the factory dates each story an hour before the one made before it).
    economy_stories = [make_article(headline=f"خبر اقتصادي {n}", section=economy) for n in range(3)]
    make_article(headline="خبر رياضي قديم", section=sports)
    first = client.get("/").content.decode()
    drawn.clear()
    drawn_names.clear()
    story = make_article(
        headline="خبر اقتصادي جديد", section=economy, status=Article.Status.APPROVED
    )
    workflow.article_publish(article=story, user=editor)
    page = client.get("/").content.decode()
    # The new story leads; the lead before it joins the economy block, whose other cards
    # were kept, and the "Latest" list (one line); the sports block is not drawn at all.
    line = f"line{timezone.localdate():%Y%m%d}"
    assert sorted(drawn_names) == ["block", "card", "front", "lead", line]
    assert sorted(drawn) == sorted([story.pk, economy_stories[0].pk])
    assert page.count("خبر رياضي قديم") == first.count("خبر رياضي قديم")
    drawn_names.clear()
    assert client.get("/").content.decode() == page
    assert drawn_names == []


def test_a_new_format_of_what_is_kept_draws_everything_again(client, monkeypatch, drawn_names):
    """A deployment that changes what is kept (the body became bytes) moves cards.FORMAT:
    nothing an older one kept is read (an old body, a str, answered 500 before this)."""
    make_article(headline="خبر")
    first = client.get("/").content
    drawn_names.clear()
    monkeypatch.setattr(cards, "FORMAT", cards.FORMAT + 1)
    again = client.get("/")
    assert again.status_code == 200
    assert again.content == first
    assert sorted(drawn_names) == ["front", "lead"]


def test_the_home_page_reads_the_cache_once(client, monkeypatch):
    """Its kept markup, the versions they are tagged with and the masthead's sections and
    banner: one round trip."""
    from articles.site import shared_cache

    make_article(headline="خبر")
    client.get("/")
    calls = []
    real = shared_cache.call

    def counting(method, *args, **kwargs):
        calls.append(method)
        return real(method, *args, **kwargs)

    monkeypatch.setattr(shared_cache, "call", counting)
    page = client.get("/").content.decode()
    assert calls == ["get_many"]
    assert "خبر" in page
    assert 'class="sections-nav"' in page


def test_a_correction_shows_at_once_on_the_home_page(client, editor):
    story = make_article(headline="عنوان أول", standfirst="مقدمة أولى")
    client.get("/")
    workflow.article_edit(
        article=story, user=editor, values={"headline": "عنوان مصحح", "standfirst": "مقدمة ثانية"}
    )
    page = client.get("/").content.decode()
    assert "عنوان مصحح" in page
    assert "مقدمة ثانية" in page
    assert "عنوان أول" not in page


def test_a_renamed_author_shows_on_every_card_at_once(client, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300  # the cached page is retired too
    author = make_author(name="سارة الكاتبة")
    section = make_section()
    lead = make_article(headline="الخبر الأول", section=section, authors=[author])
    make_article(
        headline="خبر ثان",
        section=section,
        authors=[author],
        publish_at=lead.publish_at - datetime.timedelta(hours=1),
    )
    assert client.get("/").content.decode().count("سارة الكاتبة") == 2
    author.name = "سارة المحررة"
    author.save()
    page = client.get("/")
    assert page["X-Cache"] == "miss"
    assert page.content.decode().count("سارة المحررة") == 2
    assert "سارة الكاتبة" not in page.content.decode()
    listing = client.get(section.get_absolute_url())
    assert listing.content.decode().count("سارة المحررة") == 2


def test_a_renamed_author_retires_cached_listings_that_name_them(client, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    author = make_author(name="مراسل الميدان")
    section = make_section()
    make_article(section=section, authors=[author])
    assert "مراسل الميدان" in client.get(section.get_absolute_url()).content.decode()
    author.name = "مراسلة الميدان"
    author.save()
    page = client.get(section.get_absolute_url())
    assert page["X-Cache"] == "miss"
    assert "مراسلة الميدان" in page.content.decode()


def test_a_renamed_section_shows_on_its_cards(client):
    section = make_section(name="اقتصاد")
    make_article(headline="أسعار النفط", section=section)
    make_article(headline="خبر في القسم", section=section)
    client.get("/")
    section.name = "أعمال"
    section.save()
    page = client.get("/").content.decode()
    assert 'class="card__section"' in page
    assert "اقتصاد" not in page
    assert page.count("أعمال") >= 2  # the masthead, the block's title, the lead's section


def test_a_pictures_new_words_show_on_its_card(client, settings, tmp_path):
    from articles.media import images
    from tests.images_helpers import photo_bytes, upload

    settings.MEDIA_ROOT = tmp_path / "media"
    picture = images.create_image(upload(photo_bytes((1200, 800))), alt_text="ساحة المدينة")
    section = make_section()
    lead = make_article(headline="الخبر الأول", section=section)
    make_article(
        headline="خبر بصورة",
        section=section,
        lead_image=picture,
        publish_at=lead.publish_at - datetime.timedelta(hours=1),
    )
    assert 'alt="ساحة المدينة"' in client.get("/").content.decode()
    picture.alt_text = "ساحة المدينة صباحا"
    picture.save()
    page = client.get("/").content.decode()
    assert 'alt="ساحة المدينة صباحا"' in page
    assert 'alt="ساحة المدينة"' not in page


def test_a_withdrawn_story_leaves_the_page_though_its_card_is_kept(client, editor):
    section = make_section()
    kept = make_article(headline="خبر باق", section=section)
    gone = make_article(
        headline="خبر مسحوب",
        section=section,
        publish_at=kept.publish_at - datetime.timedelta(hours=1),
    )
    assert "خبر مسحوب" in client.get("/").content.decode()
    workflow.article_withdraw(article=gone, user=editor, note="خطأ")
    assert card_headlines(client.get("/")) == []  # the one story left is the lead
    assert "خبر مسحوب" not in client.get("/").content.decode()


def test_with_the_card_cache_off_every_card_is_drawn(client, settings, drawn):
    settings.NEWSROOM_CARD_CACHE_SECONDS = 0
    story = make_article(headline="خبر")
    client.get("/")
    client.get("/")
    assert drawn == [story.pk, story.pk]


def test_a_lost_key_version_draws_every_card_again(client, drawn):
    """Redis may evict a key's version: cards kept under the old one must not match a
    version made afresh, or an author renamed before the eviction would show the old name."""
    from django.core.cache import cache

    from articles.site import surrogates
    from articles.site.versions import version_key

    stories = [make_article(headline=f"خبر {n}") for n in range(3)]
    client.get("/")
    drawn.clear()
    cache.delete(version_key(surrogates.BYLINES))
    client.get("/")
    assert sorted(drawn) == sorted(story.pk for story in stories)
