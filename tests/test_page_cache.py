"""The page cache serves readers fast, retires only what changed and never breaks the schedule."""

import datetime
import io
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import RequestFactory
from django.utils import timezone

from articles.desk import workflow
from articles.models import Article
from articles.site import caching
from tests.factories import (
    clear_cache,
    make_article,
    make_author,
    make_section,
    make_staff,
    make_tag,
)

pytestmark = pytest.mark.django_db(transaction=True)

T = datetime.datetime(2026, 3, 10, 9, 0, 0, tzinfo=datetime.UTC)
SECOND = datetime.timedelta(seconds=1)


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300


@pytest.fixture
def editor():
    return make_staff("editor")


def test_a_hit_carries_the_etag_kept_with_its_page_and_answers_304(client, editor):
    story = make_article(headline="خبر أول")
    first = client.get("/")
    second = client.get("/")
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second["ETag"] == first["ETag"]
    assert client.get("/", headers={"If-None-Match": first["ETag"]}).status_code == 304
    workflow.article_edit(article=story, user=editor, values={"headline": "خبر مصحح"})
    changed = client.get("/", headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert "خبر مصحح" in changed.content.decode()
    assert changed["ETag"] != first["ETag"]


def test_second_anonymous_request_is_a_hit_with_keys_and_lifetimes(client):
    section, author, tag = make_section(), make_author(), make_tag()
    story = make_article(headline="خبر للقراء", section=section, authors=[author], tags=[tag])
    first = client.get(story.get_absolute_url())
    second = client.get(story.get_absolute_url())
    assert first["X-Cache"] == "miss"
    assert second["X-Cache"] == "hit"
    assert "خبر للقراء" in second.content.decode()
    keys = set(second["Surrogate-Key"].split())
    assert {
        f"story-{story.pk}",
        f"section-{section.pk}",
        f"author-{author.pk}",
        f"tag-{tag.pk}",
    } <= keys
    assert second["xkey"] == second["Surrogate-Key"]
    # The full lifetime goes to the cache in front; browsers get the short fixed one.
    assert re.fullmatch(
        r"max-age=(29\d|300), stale-while-revalidate=30", second["Surrogate-Control"]
    )
    assert "public" in second["Cache-Control"]
    assert "max-age=10" in second["Cache-Control"]


def test_scheduled_story_appears_at_its_second_with_cache_on(client):
    section = make_section(slug="محليات")
    with time_machine.travel(T - datetime.timedelta(minutes=10), tick=False) as clock:
        make_article(
            headline="خبر قديم", section=section, publish_at=T - datetime.timedelta(days=1)
        )
        story = make_article(headline="خبر مجدول للنشر", section=section, publish_at=T)
        urls = ["/", "/section/محليات/", story.get_absolute_url()]

        clock.move_to(T - SECOND)
        for url in urls:
            client.get(url)  # fill the cache just before the second
        for url in urls:
            response = client.get(url)
            assert response["X-Cache"] == "hit"
            assert "خبر مجدول للنشر" not in response.content.decode()
        assert client.get(story.get_absolute_url()).status_code == 404
        # The lifetime ends at the coming second (a little before, for the time the
        # response takes to reach the cache in front); browsers are told only "0" (not
        # when), and no stale copy may stand in past it.
        home = client.get("/")
        assert home["Surrogate-Control"] == "max-age=0"
        assert "max-age=0" in home["Cache-Control"]

        clock.move_to(T)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert "خبر مجدول للنشر" in response.content.decode(), url


def test_a_schedule_bounds_only_the_pages_it_will_change(client):
    news, sport = make_section(slug="أخبار"), make_section(slug="رياضة")
    with time_machine.travel(T - datetime.timedelta(minutes=1), tick=False):
        other = make_article(
            headline="مباراة", section=sport, publish_at=T - datetime.timedelta(days=1)
        )
        make_article(headline="خبر مجدول", section=news, publish_at=T)
        assert client.get("/")["Surrogate-Control"] == "max-age=59"
        assert client.get("/section/رياضة/")["Surrogate-Control"].startswith("max-age=300")
        assert client.get(other.get_absolute_url())["Surrogate-Control"].startswith("max-age=300")


def test_expiring_story_disappears_at_its_second_with_cache_on(client):
    section = make_section(slug="محليات")
    with time_machine.travel(T - datetime.timedelta(hours=1), tick=False) as clock:
        story = make_article(
            headline="خبر ينتهي",
            section=section,
            publish_at=T - datetime.timedelta(days=1),
            expire_at=T,
        )
        clock.move_to(T - SECOND)
        assert "خبر ينتهي" in client.get("/").content.decode()
        assert client.get(story.get_absolute_url()).status_code == 200
        assert client.get("/")["X-Cache"] == "hit"

        clock.move_to(T)
        assert "خبر ينتهي" not in client.get("/").content.decode()
        assert client.get(story.get_absolute_url()).status_code == 404


def test_withdrawal_retires_its_pages_and_nothing_else(client, editor):
    news, sport = make_section(), make_section()
    story = make_article(headline="خبر سيسحب", section=news)
    other = make_article(headline="خبر آخر", section=sport)
    for url in ("/", story.get_absolute_url(), other.get_absolute_url(), sport.get_absolute_url()):
        client.get(url)

    workflow.article_withdraw(article=story, user=editor)

    assert client.get(story.get_absolute_url()).status_code == 404
    assert "خبر سيسحب" not in client.get("/").content.decode()
    # Pages that never showed it are still served from the cache.
    assert client.get(other.get_absolute_url())["X-Cache"] == "hit"
    assert client.get(sport.get_absolute_url())["X-Cache"] == "hit"


def test_publication_shows_at_once_on_its_listings(client, editor):
    section = make_section()
    make_article(headline="خبر قديم", section=section)
    story = make_article(headline="خبر جديد للنشر", section=section, status=Article.Status.APPROVED)
    client.get("/")
    client.get(section.get_absolute_url())
    assert client.get(story.get_absolute_url()).status_code == 404  # cached "not found"

    workflow.article_publish(article=story, user=editor)

    assert "خبر جديد للنشر" in client.get("/").content.decode()
    assert "خبر جديد للنشر" in client.get(section.get_absolute_url()).content.decode()
    assert client.get(story.get_absolute_url()).status_code == 200


def test_desk_work_that_changes_nothing_public_retires_nothing(client, editor):
    section = make_section()
    live = make_article(headline="خبر منشور", section=section)
    urls = ["/", section.get_absolute_url(), live.get_absolute_url(), "/latest/", "/feeds/rss/"]
    for url in urls:
        client.get(url)
    reporter = make_staff("reporter")
    draft = workflow.article_create(
        user=reporter, values={"headline": "مسودة", "section": section, "body": "<p>نص</p>"}
    )
    workflow.article_edit(
        article=draft, user=reporter, values={"body": "<p>نص معدل</p>", "tags": [make_tag()]}
    )
    workflow.article_submit(article=draft, user=reporter)
    workflow.article_approve(article=draft, user=editor)
    make_author()  # a new byline nobody shows yet

    for url in urls:
        assert client.get(url)["X-Cache"] == "hit", url


def test_correction_shows_at_once(client, editor):
    section = make_section()
    story = make_article(headline="عنوان أول", section=section)
    for url in (story.get_absolute_url(), section.get_absolute_url()):
        client.get(url)
    workflow.article_edit(article=story, user=editor, values={"headline": "عنوان مصحح"})
    assert "عنوان مصحح" in client.get(story.get_absolute_url()).content.decode()
    assert "عنوان مصحح" in client.get(section.get_absolute_url()).content.decode()


def test_editing_a_scheduled_story_moves_what_its_second_will_retire(client, editor):
    news, sport = make_section(slug="أخبار"), make_section(slug="رياضة")
    with time_machine.travel(T - datetime.timedelta(minutes=1), tick=False) as clock:
        make_article(headline="مباراة", section=sport, publish_at=T - datetime.timedelta(days=1))
        story = make_article(headline="خبر مجدول", section=news, publish_at=T)
        client.get(sport.get_absolute_url())  # cached for the full lifetime: not touched
        workflow.article_edit(article=story, user=editor, values={"section": sport})
        clock.move_to(T)
        assert "خبر مجدول" in client.get(sport.get_absolute_url()).content.decode()


def test_section_rename_reaches_every_masthead(client):
    section = make_section(name="اقتصاد")
    story = make_article(section=make_section())
    client.get(story.get_absolute_url())
    section.name = "أعمال"
    section.save()
    assert "أعمال" in client.get(story.get_absolute_url()).content.decode()


def test_tracking_parameters_share_the_page_and_never_reach_it(client):
    section = make_section()
    for n in range(3):
        make_article(headline=f"خبر {n}", section=section)
    assert client.get("/")["X-Cache"] == "miss"
    for query in ("?utm_source=x&utm_campaign=y", "?fbclid=abc", "?random=1", "?utm=42"):
        assert client.get("/" + query)["X-Cache"] == "hit", query
    # A parameter a page reads still names a page of its own.
    response = client.get("/search/?q=خبر&utm_source=mail")
    assert response.status_code == 200
    assert "utm_source" not in response.content.decode()


def test_a_junk_session_cookie_does_not_skip_the_cache(client):
    make_article(headline="خبر")
    client.get("/")
    client.cookies["sessionid"] = "x"
    assert client.get("/")["X-Cache"] == "hit"


def test_logged_in_staff_never_get_cached_pages(client):
    story = make_article(headline="خبر")
    client.get("/")
    staff = get_user_model().objects.create_user("editor", password="x", is_staff=True)
    client.force_login(staff)
    response = client.get("/")
    assert "X-Cache" not in response
    assert "private" in response["Cache-Control"]
    assert story.headline in response.content.decode()


def test_the_admin_is_never_served_from_the_cache(client):
    # The admin login page sets a CSRF cookie and is under an uncached prefix.
    assert "X-Cache" not in client.get("/admin/login/")


@pytest.mark.parametrize("marking", ["private", "no-store"])
def test_responses_marked_private_are_never_stored(client, settings, marking):
    """A page outside the uncached prefixes that says ``private`` or ``no-store`` (as
    previews do) is rendered afresh for every reader, never served from the cache."""
    settings.ROOT_URLCONF = "tests.marked_pages"
    first = client.get(f"/marked/{marking}/")
    second = client.get(f"/marked/{marking}/")

    assert marking in second["Cache-Control"]
    assert "public" not in second["Cache-Control"]
    assert "X-Cache" not in second
    assert second.content != first.content  # rendered again: "مرة 2" after "مرة 1"


def test_the_same_page_unmarked_is_stored(client, settings):
    """The counterpart of the test above: its page is one the cache does store."""
    settings.ROOT_URLCONF = "tests.marked_pages"
    first = client.get("/marked/nothing/")
    second = client.get("/marked/nothing/")

    assert second["X-Cache"] == "hit"
    assert second.content == first.content


def test_with_nothing_scheduled_a_page_lives_the_full_configured_lifetime(client):
    make_article(publish_at=timezone.now() - datetime.timedelta(days=1))
    response = client.get("/")
    assert re.fullmatch(
        r"max-age=(299|300), stale-while-revalidate=30", response["Surrogate-Control"]
    )


def _key(path):
    return caching.page_key(RequestFactory().get(path))


def test_a_miss_being_rendered_elsewhere_gets_the_stale_copy(client, editor):
    section = make_section()
    make_article(headline="خبر قديم", section=section)
    story = make_article(headline="خبر جديد", section=section, status=Article.Status.APPROVED)
    client.get("/")
    workflow.article_publish(article=story, user=editor)  # the home page is now stale
    cache.add(_key("/") + ":lock", 1, 10)  # another worker is rendering it

    response = client.get("/")

    assert response["X-Cache"] == "stale"
    assert "خبر جديد" not in response.content.decode()


def test_never_a_stale_copy_of_a_withdrawn_story(client, editor, monkeypatch):
    monkeypatch.setattr(caching, "WAIT_SECONDS", 0.1)
    story = make_article(headline="خبر سيسحب")
    url = story.get_absolute_url()
    client.get(url)
    client.get("/")
    workflow.article_withdraw(article=story, user=editor)
    for path in (url, "/"):
        cache.add(_key(path) + ":lock", 1, 10)  # another worker is rendering it

    assert client.get(url).status_code == 404
    assert "خبر سيسحب" not in client.get("/").content.decode()


def test_process_local_cache_is_refused_for_pages_in_production(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.NEWSROOM_PAGE_CACHE_ALLOW_PROCESS_LOCAL = False
    make_article(headline="خبر")
    client.get("/")
    assert client.get("/")["X-Cache"] == "miss"  # rendered every time, never stored
    assert client.get("/health/").json()["page_cache"] == "off: CACHE_URL is not a shared cache"
    with pytest.raises(SystemCheckError, match=r"newsroom\.E001"):
        call_command("check", "--deploy", stdout=io.StringIO(), stderr=io.StringIO())


def test_a_wire_embargo_lifting_is_known_in_advance(client):
    section = make_section(slug="عاجل")
    with time_machine.travel(T - datetime.timedelta(minutes=1), tick=False) as clock:
        make_article(
            headline="خبر قديم", section=section, publish_at=T - datetime.timedelta(days=1)
        )
        story = make_article(
            headline="خبر تحت الحظر",
            section=section,
            publish_at=T - datetime.timedelta(hours=1),
            embargoed_until=T,
        )
        urls = ["/", section.get_absolute_url(), story.get_absolute_url()]
        for url in urls:
            client.get(url)
            response = client.get(url)
            assert response["X-Cache"] == "hit"
            assert "خبر تحت الحظر" not in response.content.decode()
        assert client.get("/")["Surrogate-Control"] == "max-age=59"

        clock.move_to(T)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200
            assert "خبر تحت الحظر" in response.content.decode()


def test_pages_are_cached_on_a_fresh_cache_before_anything_changed(client):
    make_article(headline="خبر")
    clear_cache()  # a Redis just started: no clock, no key versions yet
    assert client.get("/")["X-Cache"] == "miss"
    assert client.get("/")["X-Cache"] == "hit"


def test_a_picture_retires_only_the_pages_of_live_stories_that_show_it(client, settings, tmp_path):
    from articles.media import images
    from tests.images_helpers import photo_bytes, upload

    settings.MEDIA_ROOT = tmp_path / "media"
    shown = images.create_image(upload(photo_bytes((1200, 800))), alt_text="ساحة المدينة")
    unused = images.create_image(upload(photo_bytes((1200, 800))), alt_text="صورة في المكتبة")
    story = make_article(headline="خبر بصورة", lead_image=shown)
    other = make_article(headline="خبر آخر")
    for url in ("/", story.get_absolute_url(), other.get_absolute_url()):
        client.get(url)

    unused.alt_text = "وصف جديد لصورة لا يعرضها أي خبر"
    unused.save()
    for url in ("/", story.get_absolute_url(), other.get_absolute_url()):
        assert client.get(url)["X-Cache"] == "hit", url

    shown.alt_text = "ساحة المدينة صباحا"
    shown.save()
    page = client.get(story.get_absolute_url())
    assert page["X-Cache"] == "miss"
    assert "ساحة المدينة صباحا" in page.content.decode()
    assert client.get(other.get_absolute_url())["X-Cache"] == "hit"


def test_a_view_that_chose_its_own_browser_lifetime_keeps_it(client):
    first, second = client.get("/favicon.ico"), client.get("/favicon.ico")
    assert second["X-Cache"] == "hit"
    assert first["Cache-Control"] == second["Cache-Control"] != "public, max-age=10"
    assert "max-age=10" not in second["Cache-Control"]
