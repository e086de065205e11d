"""The breaking-news banner: set through the workflow, shown at its second with the page
cache on, gone at once when its story stops being live."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.desk import breaking, workflow
from articles.desk.workflow import WorkflowError
from articles.models import Article, ArticleEvent, BreakingNews
from tests.factories import make_article, make_section, make_staff

pytestmark = pytest.mark.django_db(transaction=True)

Action = ArticleEvent.Action
T = datetime.datetime(2026, 3, 10, 9, 0, 0, tzinfo=datetime.UTC)
SECOND = datetime.timedelta(seconds=1)
HOUR = datetime.timedelta(hours=1)


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300


def banner_of(response) -> str | None:
    """The banner's text as a reader sees it, or None when there is no banner."""
    page = response.content.decode()
    if 'class="breaking"' not in page:
        return None
    return page.split('class="breaking"', 1)[1].split("</aside>", 1)[0]


def test_banner_appears_at_its_start_second_and_goes_at_its_end_second(client):
    editor = make_staff("editor")
    section = make_section(slug="محليات")
    with time_machine.travel(T - HOUR, tick=False) as clock:
        story = make_article(headline="زلزال قوي", section=section)
        other = make_article(headline="خبر آخر", section=section)
        breaking.breaking_set(article=story, user=editor, starts_at=T, ends_at=T + HOUR)
        urls = ["/", "/section/محليات/", other.get_absolute_url(), story.get_absolute_url()]

        clock.move_to(T - SECOND)
        for url in urls:
            client.get(url)  # fill the page cache just before the second
        for url in urls:
            response = client.get(url)
            assert response["X-Cache"] == "hit"
            assert banner_of(response) is None, url
        # Every page's lifetime ends at the banner's second (the schedule's margin aside).
        assert client.get(other.get_absolute_url())["Surrogate-Control"] == "max-age=0"

        clock.move_to(T)
        for url in urls:
            banner = banner_of(client.get(url))
            assert banner is not None, url
            assert "زلزال قوي" in banner, url
            assert story.get_absolute_url() in banner
        assert client.get("/")["X-Cache"] == "hit"  # cached again, until the end

        clock.move_to(T + HOUR - SECOND)
        assert "زلزال قوي" in banner_of(client.get("/"))
        clock.move_to(T + HOUR)
        for url in urls:
            assert banner_of(client.get(url)) is None, url


def test_withdrawing_the_story_removes_the_banner_at_once(client):
    editor = make_staff("editor")
    story = make_article(headline="حريق في الميناء")
    other = make_article(headline="خبر آخر")
    breaking.breaking_set(article=story, user=editor, ends_at=timezone.now() + HOUR)
    assert "حريق في الميناء" in banner_of(client.get(other.get_absolute_url()))
    assert client.get(other.get_absolute_url())["X-Cache"] == "hit"

    workflow.article_withdraw(article=story, user=editor, note="خطأ")

    assert banner_of(client.get(other.get_absolute_url())) is None
    assert banner_of(client.get("/")) is None


def test_a_story_expiring_inside_the_window_takes_its_banner_at_its_second(client):
    editor = make_staff("editor")
    with time_machine.travel(T - HOUR, tick=False) as clock:
        story = make_article(headline="عاصفة", expire_at=T)
        breaking.breaking_set(article=story, user=editor, ends_at=T + HOUR)
        clock.move_to(T - SECOND)
        assert "عاصفة" in banner_of(client.get("/"))
        clock.move_to(T)
        assert banner_of(client.get("/")) is None


def test_taking_the_banner_down_removes_it_at_once(client):
    editor = make_staff("editor")
    story = make_article(headline="انفجار")
    breaking.breaking_set(article=story, user=editor, ends_at=timezone.now() + HOUR)
    assert "انفجار" in banner_of(client.get("/"))
    breaking.breaking_clear(article=story, user=editor)
    assert banner_of(client.get("/")) is None


def test_only_editors_set_it_only_on_a_live_story_and_every_change_is_audited():
    editor, reporter = make_staff("editor"), make_staff("reporter")
    story = make_article(headline="انتخابات")
    until = timezone.now() + HOUR
    with pytest.raises(WorkflowError):
        breaking.breaking_set(article=story, user=reporter, ends_at=until)
    with pytest.raises(WorkflowError):
        breaking.breaking_clear(article=story, user=reporter)
    draft = make_article(status=Article.Status.DRAFT)
    with pytest.raises(WorkflowError, match=r"Only a story|لا يكون عاجلًا"):
        breaking.breaking_set(article=draft, user=editor, ends_at=until)
    with pytest.raises(WorkflowError):
        breaking.breaking_set(article=story, user=editor, ends_at=timezone.now() - SECOND)
    assert not BreakingNews.objects.exists()

    breaking.breaking_set(article=story, user=editor, ends_at=until)
    breaking.breaking_set(article=story, user=editor, ends_at=until + HOUR)  # a new window
    assert BreakingNews.objects.get().ends_at == until + HOUR
    breaking.breaking_clear(article=story, user=editor)
    assert not BreakingNews.objects.exists()
    events = list(story.events.order_by("created_at", "id").values_list("action", "user"))
    assert events == [
        (Action.BREAKING_SET, editor.pk),
        (Action.BREAKING_SET, editor.pk),
        (Action.BREAKING_CLEAR, editor.pk),
    ]


def test_the_desk_page_sets_the_window_and_refuses_a_reporter(client):
    editor, reporter = make_staff("editor"), make_staff("reporter")
    story = make_article(headline="فيضان", created_by=reporter)  # the reporter's own story
    url = reverse("article_breaking_desk", args=[story.pk])
    client.force_login(make_staff("reporter"))
    assert client.get(url).status_code == 404  # another reporter's story is not theirs to see

    client.force_login(reporter)
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="ends_at"' not in page.content.decode()
    client.post(url, {"action": "set", "ends_at": "2099-01-01T10:00"})
    assert not BreakingNews.objects.exists()

    client.force_login(editor)
    bad = client.post(url, {"action": "set", "ends_at": "not a time"})
    assert bad.status_code == 200
    assert not BreakingNews.objects.exists()
    assert 'value="not a time"' in bad.content.decode()  # nothing typed is lost
    done = client.post(url, {"action": "set", "ends_at": "2099-01-01T10:00"})
    assert done.status_code == 302
    window = BreakingNews.objects.get(article=story)
    assert window.set_by == editor
    assert window.ends_at.year == 2099
    assert "فيضان" in banner_of(client.get("/"))  # staff see it too (never cached)


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1366])
def test_the_banner_is_on_screen_and_accessible(live_server, width):
    from tests.accessibility import violations
    from tests.browser import chromium_page, screenshot

    editor = make_staff("editor")
    story = make_article(headline="عاجل: زلزال بقوة 6 درجات يضرب المنطقة الشمالية")
    make_article(headline="خبر آخر")
    breaking.breaking_set(article=story, user=editor, ends_at=timezone.now() + HOUR)
    with chromium_page(width) as page:
        page.goto(live_server.url + "/")
        banner = page.locator(".breaking a")
        assert banner.inner_text() == story.headline
        box = banner.bounding_box()
        assert box is not None
        assert box["y"] < page.viewport_size["height"]
        problems = violations(page)
        if problems:
            screenshot(page, f"breaking-{width}")
        assert problems == []
