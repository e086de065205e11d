"""Live coverage: updates through the workflow, the reader's page, its JSON-LD, feed and cache."""

import datetime
import io
import json
import re

import feedparser
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles.desk import live
from articles.desk.workflow import WorkflowError
from articles.models import ArticleEvent, LiveCoverage, LiveUpdate
from tests.factories import make_article, make_live_story, make_staff

pytestmark = pytest.mark.django_db

Action = ArticleEvent.Action


@pytest.fixture
def editor():
    return make_staff("editor")


@pytest.fixture
def story(editor):
    return make_live_story("فيضانات في الجنوب", editor)


def post(story, user, text, **options):
    return live.update_post(article=story, user=user, body=f"<p>{text}</p>", **options)


def json_ld(page: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return [json.loads(block) for block in blocks]


def test_only_editors_start_and_only_editors_or_assigned_reporters_post(editor):
    story = make_article()
    reporter, other = make_staff("reporter"), make_staff("reporter")
    with pytest.raises(WorkflowError):
        live.coverage_start(article=story, user=reporter)
    live.coverage_start(article=story, user=editor)
    with pytest.raises(WorkflowError):
        post(story, reporter, "من مراسل غير مكلّف")
    live.coverage_assign(article=story, user=editor, reporters=[reporter])
    mine = post(story, reporter, "المياه ترتفع")
    theirs = post(story, editor, "بيان الدفاع المدني")

    live.update_edit(update=mine, user=reporter, body="<p>المياه ترتفع بسرعة</p>")
    with pytest.raises(WorkflowError):
        live.update_edit(update=theirs, user=reporter, body="<p>تعديل</p>")
    with pytest.raises(WorkflowError):
        live.update_delete(update=theirs, user=other)
    live.update_delete(update=theirs, user=editor)

    assert list(story.live_updates.values_list("body", flat=True)) == ["<p>المياه ترتفع بسرعة</p>"]
    actions = list(story.events.order_by("created_at", "id").values_list("action", "user"))
    assert actions == [
        (Action.LIVE_START, editor.pk),
        (Action.LIVE_ASSIGN, editor.pk),
        (Action.UPDATE_POST, reporter.pk),
        (Action.UPDATE_POST, editor.pk),
        (Action.UPDATE_EDIT, reporter.pk),
        (Action.UPDATE_DELETE, editor.pk),
    ]


def test_updates_need_open_coverage_on_a_published_story_and_pass_the_sanitiser(editor, story):
    unsafe = live.update_post(
        article=story, user=editor, body='<p onclick="x()">نص<script>alert(1)</script></p>'
    )
    assert unsafe.body == "<p>نص</p>"
    with pytest.raises(WorkflowError, match=r"نص أو صورة|text or a picture"):
        live.update_post(article=story, user=editor, body="<p> </p>")
    live.coverage_end(article=story, user=editor)
    with pytest.raises(WorkflowError):
        post(story, editor, "بعد الإغلاق")
    draft = make_article(status="draft")
    with pytest.raises(WorkflowError):
        live.coverage_start(article=draft, user=editor)


def test_post_update_command_with_and_without_start(editor):
    story = make_article(headline="انتخابات")
    with pytest.raises(CommandError) as refused:
        call_command("post_update", str(story.pk), "النتائج الأولى", "--user", editor.username)
    assert "انتخابات" in str(refused.value)
    assert not LiveUpdate.objects.exists()

    out = io.StringIO()
    call_command(
        "post_update",
        str(story.pk),
        "فرز الأصوات بدأ\n\nالمشاركة 60٪",
        "--user",
        editor.username,
        "--start",
        "--key-event",
        "--title",
        "بدء الفرز",
        stdout=out,
    )
    update = LiveUpdate.objects.get()
    assert out.getvalue().strip() == f"{story.get_absolute_url()}#update-{update.pk}"
    assert update.body == "<p>فرز الأصوات بدأ</p><p>المشاركة 60٪</p>"
    assert update.is_key_event
    assert update.title == "بدء الفرز"
    assert update.author == editor
    assert LiveCoverage.objects.get(article=story).is_open

    reporter = make_staff("reporter")
    with pytest.raises(CommandError):
        call_command("post_update", str(story.pk), "نص", "--user", reporter.username)
    with pytest.raises(CommandError, match=r"nobody|لا يوجد|no user"):
        call_command("post_update", str(story.pk), "نص", "--user", "nobody")


def test_the_page_shows_pinned_then_key_events_then_newest_first(client, editor, story):
    now = timezone.now()
    first = post(story, editor, "التحديث الأول", key_event=True, title="إخلاء القرى")
    pinned = post(story, editor, "تعليمات السلامة", pinned=True)
    LiveUpdate.objects.filter(pk=first.pk).update(posted_at=now - datetime.timedelta(minutes=10))
    LiveUpdate.objects.filter(pk=pinned.pk).update(posted_at=now - datetime.timedelta(minutes=5))
    newest = post(story, editor, "وصول فرق الإنقاذ")

    page = client.get(story.get_absolute_url()).content.decode()
    live_html = page[page.index('id="live-updates"') :]
    order = [
        live_html.index(text)
        for text in ("إخلاء القرى", "تعليمات السلامة", "وصول فرق الإنقاذ", "التحديث الأول")
    ]
    assert order == sorted(order)  # key events summary, pinned, then newest first
    assert f'id="update-{newest.pk}"' in page
    assert f'href="#update-{first.pk}"' in page
    assert "مثبّت" in live_html
    assert "حدث رئيسي" in live_html


def test_live_blog_posting_structured_data(client, editor, story):
    one = post(story, editor, "الأول")
    two = post(story, editor, "الثاني", key_event=True)
    (data, *_) = json_ld(client.get(story.get_absolute_url()).content.decode())
    assert data["@type"] == "LiveBlogPosting"
    assert datetime.datetime.fromisoformat(data["coverageStartTime"]) == story.coverage.started_at
    assert "coverageEndTime" not in data
    urls = [update["url"] for update in data["liveBlogUpdate"]]
    base = f"http://testserver{story.get_absolute_url()}"
    assert urls == [f"{base}#update-{two.pk}", f"{base}#update-{one.pk}"]
    assert data["liveBlogUpdate"][0]["articleBody"] == "الثاني"

    live.coverage_end(article=story, user=editor)
    (closed, *_) = json_ld(client.get(story.get_absolute_url()).content.decode())
    assert "coverageEndTime" in closed


def test_older_updates_are_paged_and_the_query_count_stays_flat(
    client, editor, story, django_assert_max_num_queries
):
    now = timezone.now()
    LiveUpdate.objects.bulk_create(
        LiveUpdate(
            article=story,
            author=editor,
            body=f"<p>تحديث {n}</p>",
            posted_at=now - datetime.timedelta(seconds=n),
        )
        for n in range(1000)
    )
    with django_assert_max_num_queries(6):
        first = client.get(story.get_absolute_url()).content.decode()
    assert "تحديث 0<" in first
    assert "تحديث 19<" in first
    assert "تحديث 20<" not in first
    older = re.search(r'rel="next" href="\?updates_before=([^"#]+)', first).group(1)
    with django_assert_max_num_queries(6):
        second = client.get(f"{story.get_absolute_url()}?updates_before={older}").content.decode()
    assert "تحديث 20<" in second
    assert "تحديث 39<" in second
    assert "تحديث 19<" not in second
    assert client.get(f"{story.get_absolute_url()}?updates_before=nonsense").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_new_update_reaches_readers_at_once_through_the_page_cache(client, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    editor = make_staff("editor")
    story = make_article()
    live.coverage_start(article=story, user=editor)
    state_url = f"/article/{story.pk}/live/state/"
    assert json.loads(client.get(state_url).content)["count"] == 0
    assert client.get(state_url)["X-Cache"] == "hit"
    client.get(story.get_absolute_url())
    assert client.get(story.get_absolute_url())["X-Cache"] == "hit"

    update = post(story, editor, "انهيار جسر")
    page = client.get(story.get_absolute_url())
    assert "انهيار جسر" in page.content.decode()
    state = json.loads(client.get(state_url).content)
    assert state == {"latest": update.pk, "count": 1, "open": True}


def test_the_state_and_feed_exist_only_for_live_coverage_of_a_live_story(client, editor, story):
    post(story, editor, "تحديث أول", title="عنوان التحديث")
    feed = feedparser.parse(client.get(f"/article/{story.pk}/live/atom/").content)
    assert feed.bozo == 0
    assert feed.feed.title == "فيضانات في الجنوب"
    (entry,) = feed.entries
    assert entry.title == "عنوان التحديث"
    assert entry.link.endswith(f"#update-{story.live_updates.get().pk}")
    plain = make_article()
    assert client.get(f"/article/{plain.pk}/live/state/").status_code == 404
    assert client.get(f"/article/{plain.pk}/live/atom/").status_code == 404
    hidden = make_article(status="draft")
    LiveCoverage.objects.create(article=hidden)
    assert client.get(f"/article/{hidden.pk}/live/state/").status_code == 404


def test_the_desk_page_posts_for_editors_and_refuses_unassigned_reporters(client, editor, story):
    client.force_login(editor)
    desk = f"/admin/articles/article/{story.pk}/live/"
    opened = client.get(desk)
    assert opened.status_code == 200
    policy = opened.headers["Content-Security-Policy"]  # it holds the body editor
    assert "'nonce-" in policy.split("script-src")[1].split(";")[0]
    assert "'unsafe-inline'" in policy.split("style-src")[1].split(";")[0]
    response = client.post(
        desk, {"action": "post", "update-title": "", "update-body": "<p>من المكتب</p>"}, follow=True
    )
    assert response.status_code == 200
    assert story.live_updates.get().body == "<p>من المكتب</p>"

    reporter = make_staff("reporter")
    client.force_login(reporter)
    page = client.get(desk).content.decode()
    assert 'value="post"' not in page
    refused = client.post(desk, {"action": "post", "update-body": "<p>تسلل</p>"}, follow=True)
    assert "صلاحية" in refused.content.decode()
    assert story.live_updates.count() == 1


@pytest.mark.parametrize("update", ["²", "①", "9" * 40])
def test_a_hostile_update_id_on_the_desk_page_is_not_found(client, editor, story, update):
    # isdigit() accepts "²" and "①", which the id lookup refuses; forty nines are too large.
    post(story, editor, "التحديث الأول")
    client.force_login(editor)
    desk = f"/admin/articles/article/{story.pk}/live/"
    assert client.get(desk, {"edit": update}).status_code == 404
    for action in ("edit", "delete"):
        response = client.post(
            desk, {"action": action, "update": update, "update-body": "<p>تعديل</p>"}
        )
        assert response.status_code == 404
    assert [u.body for u in story.live_updates.all()] == ["<p>التحديث الأول</p>"]


def test_the_live_desk_of_another_reporters_draft_is_not_found(client):
    # A reporter reads only their own stories on the desk (visible_to): another's draft
    # may be an embargoed scoop, and its live desk must not show even its headline.
    author, other = make_staff("reporter"), make_staff("reporter")
    draft = make_article(headline="سبق صحفي لم ينشر", status="draft", created_by=author)
    client.force_login(other)
    refused = client.get(f"/admin/articles/article/{draft.pk}/live/")
    assert refused.status_code == 404
    assert "سبق صحفي لم ينشر" not in refused.content.decode()
    client.force_login(author)
    assert client.get(f"/admin/articles/article/{draft.pk}/live/").status_code == 200
