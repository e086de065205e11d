"""A live story's page stays cheap as it grows: what it shows of each update, and what
that costs (bench/run.py times it; here, what it shows and how many queries)."""

import datetime
import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from articles.desk import live
from articles.media import images
from articles.models import LiveCoverage, LiveUpdate
from articles.site.live import UPDATES_PER_PAGE
from tests.factories import make_author, make_live_story, make_staff
from tests.images_helpers import photo_bytes, upload
from tests.test_live import json_ld, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return make_staff("editor")


@pytest.fixture
def story(editor):
    return make_live_story("زلزال في الشمال", editor)


def live_part(client, url) -> str:
    page = client.get(url).content.decode()
    return page[page.index('id="live-updates"') :]


def test_an_edited_update_is_read_anew_by_its_page_summary_and_json_ld(client, editor, story):
    update = post(story, editor, "الطريق <b>مغلق</b> أمام السيارات", key_event=True)
    assert LiveUpdate.objects.get().body_text == "الطريق مغلق أمام السيارات"

    live.update_edit(update=update, user=editor, body="<p>الطريق مفتوح من جديد</p>")
    assert LiveUpdate.objects.get().body_text == "الطريق مفتوح من جديد"
    page = client.get(story.get_absolute_url()).content.decode()
    summary = re.search(r'<nav class="live__key-events".*?</nav>', page, re.S).group(0)
    assert "الطريق مفتوح من جديد" in summary
    assert "مغلق" not in page
    (data, *_) = json_ld(page)
    (entry,) = data["liveBlogUpdate"]
    assert entry["articleBody"] == "الطريق مفتوح من جديد"
    assert entry["headline"] == "الطريق مفتوح من جديد"
    assert "dateModified" in entry


def test_updates_made_in_bulk_pass_the_sanitiser_and_keep_their_text(story, editor):
    (made,) = LiveUpdate.objects.bulk_create(
        [LiveUpdate(article=story, author=editor, body='<p onclick="x()">نص<script>1</script></p>')]
    )
    stored = LiveUpdate.objects.get(pk=made.pk)
    assert stored.body == "<p>نص</p>"
    assert stored.body_text == "نص"


def test_an_untitled_key_event_is_summed_up_by_its_first_twelve_words(client, editor, story):
    words = " ".join(f"كلمة{n}" for n in range(1, 16))
    post(story, editor, words, key_event=True)
    part = live_part(client, story.get_absolute_url())
    assert " ".join(f"كلمة{n}" for n in range(1, 13)) + "…" in part
    assert "كلمة13…" not in part


def test_each_update_names_its_poster_by_byline_and_carries_its_own_time(
    client, settings, editor, story
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300  # its keys say what retires the page
    byline = make_author("سلمى حداد", user=editor)
    unnamed = make_staff("editor")  # no byline: the page names nobody, not a login name
    mine = post(story, editor, "فرق الإنقاذ تصل")
    theirs = post(story, unnamed, "انقطاع الكهرباء")

    response = client.get(story.get_absolute_url())
    part = live_part(client, story.get_absolute_url())
    mine_html = re.search(rf'<article[^>]*id="{mine.anchor}".*?</article>', part, re.S).group(0)
    theirs_html = re.search(rf'<article[^>]*id="{theirs.anchor}".*?</article>', part, re.S).group(0)
    assert f'href="{byline.get_absolute_url()}">سلمى حداد</a>' in mine_html
    assert unnamed.username not in theirs_html
    local = timezone.localtime(mine.posted_at)
    assert f'<time datetime="{local.isoformat()}">{local:%H:%M}</time>' in mine_html
    assert f"author-{byline.pk}" in response["Surrogate-Key"].split()  # a new name retires it
    (data, *_) = json_ld(response.content.decode())
    entries = {entry["url"].rsplit("#", 1)[1]: entry for entry in data["liveBlogUpdate"]}
    assert entries[mine.anchor]["author"]["name"] == "سلمى حداد"
    assert "author" not in entries[theirs.anchor]


def test_the_pinned_update_leads_the_first_page_only(client, editor, story):
    now = timezone.now()
    pinned = post(story, editor, "تعليمات الإخلاء", pinned=True)
    LiveUpdate.objects.filter(pk=pinned.pk).update(posted_at=now - datetime.timedelta(hours=1))
    for n in range(25):
        post(story, editor, f"تحديث {n}")
    first = client.get(story.get_absolute_url()).content.decode()
    assert f'id="pinned-{pinned.anchor}"' in first
    (data, *_) = json_ld(first)
    assert len(data["liveBlogUpdate"]) == 21  # the pinned update and the page's twenty
    older = re.search(r'rel="next" href="\?updates_before=([^"#]+)', first).group(1)
    second = client.get(f"{story.get_absolute_url()}?updates_before={older}").content.decode()
    assert "pinned-" not in second
    assert f'id="{pinned.anchor}"' in second  # in its place among the older ones
    (data, *_) = json_ld(second)
    assert len(data["liveBlogUpdate"]) == 6


def test_a_thousand_updates_with_pictures_and_bylines_cost_three_queries(
    client, settings, tmp_path, editor, story, django_assert_max_num_queries
):
    settings.MEDIA_ROOT = tmp_path / "media"
    make_author("مراسل الميدان", user=editor)
    photo = images.create_image(upload(photo_bytes((1600, 1000))), alt_text="صورة من الميدان")
    inline = images.create_image(upload(photo_bytes((1200, 800))), alt_text="صورة داخل التحديث")
    src = inline.renditions.filter(format="jpeg").first().file.url
    figure = f'<figure class="inline-image"><img src="{src}" alt="" data-image-id="{inline.pk}"></figure>'
    now = timezone.now()
    LiveUpdate.objects.bulk_create(
        LiveUpdate(
            article=story,
            author=editor,
            title="عنوان" if n % 7 == 0 else "",
            body=f"<p>تحديث {n}</p>{figure if n % 3 == 0 else ''}",
            image=photo if n % 2 == 0 else None,
            is_key_event=n % 40 == 0,
            is_pinned=n == 500,
            posted_at=now - datetime.timedelta(seconds=n),
        )
        for n in range(1000)
    )
    client.get(story.get_absolute_url())  # warm the navigation cache, as on a running site
    # The story; its updates, pinned, key events, bylines and counts; their pictures.
    with django_assert_max_num_queries(3):
        html = client.get(story.get_absolute_url()).content.decode()
    part = html[html.index('id="live-updates"') :]
    assert "تحديث 0<" in part
    assert "تحديث 19<" in part
    assert "تحديث 20<" not in part
    assert 'id="pinned-update-' in part
    assert part.count('class="live-update__picture"') == 11  # ten on the page, and the pinned one
    assert part.count("<picture") == 11 + 7  # and those in the text of every third update
    assert "صورة داخل التحديث" in part
    assert part.count("مراسل الميدان") == 21
    # Every key event: here, or on the older page that starts with it.
    assert len(re.findall(r"<li><a href=\"[^\"#]*#update-\d+\">", part)) == 25
    assert 'data-count="1000"' in html


def test_the_count_open_pages_poll_follows_posts_and_deletions(client, editor, story):
    state_url = f"/article/{story.pk}/live/state/"
    first = post(story, editor, "الأول")
    second = post(story, editor, "الثاني")
    assert client.get(state_url).json() == {"latest": second.pk, "count": 2, "open": True}
    live.update_delete(update=second, user=editor)
    assert client.get(state_url).json() == {"latest": first.pk, "count": 1, "open": True}
    page = client.get(story.get_absolute_url()).content.decode()
    assert f'data-latest="{first.pk}"' in page
    assert 'data-count="1"' in page


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_text_and_counts_of_what_was_posted_before():
    before = ("articles", "0020_front_page")
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps
    section = old.get_model("articles", "Section").objects.create(name="محليات", slug="local")
    story = old.get_model("articles", "Article").objects.create(
        headline="عاصفة", section=section, slug="storm"
    )
    old.get_model("articles", "LiveCoverage").objects.create(article_id=story.pk)
    updates = old.get_model("articles", "LiveUpdate").objects
    updates.create(article_id=story.pk, body="<p>الرياح <b>قوية</b></p><p>البحر هائج</p>")
    newest = updates.create(article_id=story.pk, body="<p>هدوء\u202e نسبي</p>")

    MigrationExecutor(connection).migrate(latest)

    texts = LiveUpdate.objects.order_by("pk").values_list("body_text", flat=True)
    assert list(texts) == ["الرياح قوية\n\nالبحر هائج", "هدوء نسبي"]
    coverage = LiveCoverage.objects.get(article_id=story.pk)
    assert (coverage.update_count, coverage.latest_update_id) == (2, newest.pk)


def test_a_key_event_on_an_older_page_is_linked_to_that_page(client, editor, story):
    import html

    first = post(story, editor, "بدء العاصفة", key_event=True)
    for n in range(UPDATES_PER_PAGE):
        post(story, editor, f"تحديث {n}")
    recent = post(story, editor, "إغلاق المطار", key_event=True, pinned=True)
    page = client.get(story.get_absolute_url()).content.decode()
    summary = page[
        page.index('id="key-events-title"') : page.index(
            "</nav>", page.index('id="key-events-title"')
        )
    ]
    links = dict(
        (label, html.unescape(href))
        for href, label in re.findall(
            r'<a href="([^"]+)"><time[^>]*>[^<]*</time> ([^<]+)</a>', summary
        )
    )
    # The pinned key event is on this page, under its pinned anchor.
    assert links["إغلاق المطار"] == f"#pinned-update-{recent.pk}"
    assert f'id="pinned-update-{recent.pk}"' in page
    # The first one is on an older page: the link opens that page, at the update.
    older, anchor = links["بدء العاصفة"].split("#")
    assert anchor == f"update-{first.pk}"
    assert f'id="update-{first.pk}"' not in page
    opened = client.get(story.get_absolute_url() + older).content.decode()
    assert f'id="update-{first.pk}"' in opened
