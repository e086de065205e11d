"""The article page's one query: what it shows, and that PostgreSQL plans it once."""

import datetime
import json
import re

import psycopg
import pytest
from django.db import DatabaseError, connection, transaction
from django.db.backends.utils import CursorWrapper
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles.site.statements import server_binding
from articles.site.story_page import RELATED_STORIES, live_story
from tests.factories import make_article, make_author, make_section, make_tag

pytestmark = pytest.mark.django_db


def related_headlines(response) -> list[str]:
    html = response.content.decode()
    assert response.status_code == 200
    if 'class="related"' not in html:
        return []
    block = html.split('class="related"', 1)[1].split("</aside>", 1)[0]
    return re.findall(r'class="card__headline"><a href="[^"]+">([^<]+)</a>', block)


def test_related_stories_are_the_sections_newest_live_ones_but_this(client):
    now = timezone.now()
    section, elsewhere = make_section(), make_section()
    story = make_article(headline="الخبر نفسه", section=section)
    ago = [
        make_article(
            headline=f"خبر قبل {n} ساعات",
            section=section,
            publish_at=now - datetime.timedelta(hours=n),
        )
        for n in range(1, 7)
    ]
    make_article(headline="قسم آخر", section=elsewhere, publish_at=now)
    make_article(headline="مجدول", section=section, publish_at=now + datetime.timedelta(minutes=5))
    make_article(
        headline="منتهٍ",
        section=section,
        publish_at=now - datetime.timedelta(minutes=30),
        expire_at=now - datetime.timedelta(minutes=1),
    )
    make_article(headline="مسحوب", section=section, status=Article.Status.WITHDRAWN)
    make_article(headline="مسودة", section=section, status=Article.Status.DRAFT)

    shown = related_headlines(client.get(story.get_absolute_url()))

    assert shown == [article.headline for article in ago[:RELATED_STORIES]]


def test_a_scheduled_story_joins_the_related_list_at_its_second(client):
    section = make_section()
    story = make_article(section=section)
    due = timezone.now() + datetime.timedelta(hours=1)
    make_article(headline="يظهر في موعده", section=section, publish_at=due)

    assert live_story(story.pk, at=due - datetime.timedelta(seconds=1)).related == []
    assert [s.headline for s in live_story(story.pk, at=due).related] == ["يظهر في موعده"]


def test_the_story_its_section_byline_and_tags_come_in_one_query(client, django_assert_num_queries):
    section = make_section(name="اقتصاد")
    story = make_article(
        headline="الخبر كاملاً",
        section=section,
        authors=[make_author("سارة الكعبي"), make_author("خالد حداد")],
        tags=[make_tag("نفط"), make_tag("أسواق")],
    )
    make_article(section=section)
    client.get(story.get_absolute_url())  # warm the navigation cache

    with django_assert_num_queries(1):
        response = client.get(story.get_absolute_url())

    html = response.content.decode()
    assert "الخبر كاملاً" in html
    assert "اقتصاد" in html
    assert html.index("سارة الكعبي") < html.index("خالد حداد")  # credit order
    assert "نفط" in html
    assert "أسواق" in html
    assert len(related_headlines(response)) == 1


def test_a_story_that_is_not_live_is_not_found(client):
    for status in (Article.Status.DRAFT, Article.Status.WITHDRAWN):
        story = make_article(status=status)
        assert client.get(f"/article/{story.pk}/{story.slug}/").status_code == 404
        assert live_story(story.pk) is None
    scheduled = make_article(publish_at=timezone.now() + datetime.timedelta(minutes=1))
    assert client.get(scheduled.get_absolute_url()).status_code == 404


def prepared_statements():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s",
            ["%related_data%"],
        )
        return cursor.fetchall()


@pytest.mark.django_db(transaction=True)
def test_the_story_query_is_prepared_and_planned_once_per_connection():
    story = make_article(section=make_section())
    connection.close()  # a connection of its own: plans counted from its first page
    for _ in range(8):
        assert live_story(story.pk).pk == story.pk

    [(generic, custom)] = prepared_statements()
    # One plan for every run (statements.py sets plan_cache_mode on the connection; left
    # to guess, PostgreSQL planned some statements afresh at every run). A good plan for
    # all values exists because the constants (the published status that the partial
    # indexes hold) are in the SQL text, not parameters.
    assert custom == 0
    assert generic == 8


@pytest.mark.django_db(transaction=True)
def test_without_prepared_statements_the_page_is_the_same(client, monkeypatch):
    story = make_article(headline="بلا تحضير", section=make_section())
    # DATABASE_PREPARED_STATEMENTS=false, on a fresh connection as a server starts with.
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "prepare_threshold", None)
    connection.close()

    for _ in range(6):
        found = live_story(story.pk)
    html = client.get(story.get_absolute_url()).content.decode()

    assert found.headline == "بلا تحضير"
    assert found.section.pk == story.section_id
    assert "بلا تحضير" in html
    assert prepared_statements() == []


@pytest.mark.django_db(transaction=True)
def test_a_connection_lost_between_requests_is_reopened_not_a_500():
    """Persistent connections: the story query checks the connection's health as
    Django's own cursors do, so a database restart costs no reader a failed page."""

    story = make_article(headline="بعد إعادة التشغيل", section=make_section())
    assert live_story(story.pk).pk == story.pk
    assert connection.health_check_enabled  # CONN_HEALTH_CHECKS, as in production
    pid = connection.connection.info.backend_pid
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])  # waits till it is gone

    # A kept connection at the start of the next request: due for a health check.
    connection.health_check_done = False
    assert live_story(story.pk).headline == "بعد إعادة التشغيل"
    assert connection.connection.info.backend_pid != pid


@pytest.mark.django_db(transaction=True)
def test_a_healthy_kept_connection_is_checked_without_a_round_trip():
    """The health check asks the socket (newsroom/db/base.py): the server saw no query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 42 AS last_query")
    pid = connection.connection.info.backend_pid

    connection.health_check_done = False
    connection.close_if_health_check_failed()

    assert connection.connection.info.backend_pid == pid  # kept, not reopened
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as admin:
        last = admin.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        assert last.fetchone()[0] == "SELECT 42 AS last_query"


def test_a_connection_in_a_failed_transaction_is_not_usable():
    """Django asks is_usable() before it checks constraints at the end of a test case:
    the socket has nothing to say, but the transaction cannot run a query."""
    with transaction.atomic():
        assert connection.is_usable()
        with pytest.raises(DatabaseError), connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")
        assert not connection.is_usable()
        transaction.set_rollback(True)
    assert connection.is_usable()


def test_every_text_on_the_page_is_escaped_wherever_it_appears(client):
    """Headline, standfirst, names of section, authors and tags, related headlines: in
    the title, the meta tags' attributes, the page and the JSON-LD — never live markup."""

    hostile = '<script>alert(1)</script>"\' onmouseover="x'
    section = make_section(name=f"قسم {hostile}")
    story = make_article(
        headline=f"عنوان {hostile}",
        standfirst=f"مقدمة {hostile}",
        section=section,
        authors=[make_author(f"كاتب {hostile}")],
        tags=[make_tag(f"وسم {hostile}")],
    )
    make_article(headline=f"خبر ذو صلة {hostile}", section=section)

    html = client.get(story.get_absolute_url()).content.decode()

    assert "<script>alert" not in html
    assert 'onmouseover="x' not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 8
    [data] = [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)
        if '"NewsArticle"' in block
    ]
    assert data["headline"] == f"عنوان {hostile}"
    assert data["author"][0]["name"] == f"كاتب {hostile}"


def test_the_story_query_runs_in_djangos_cursor_on_psycopgs_server_binding_one():
    """story_page.server_binding() relies on Django's cursor wrapper holding the driver's
    cursor as ``.cursor`` and its connection as ``.db``: if either changes, this says so."""
    with (
        CaptureQueriesContext(connection) as logged,
        server_binding(connection.cursor()) as cursor,
    ):
        assert isinstance(cursor, CursorWrapper)
        assert type(cursor.cursor) is psycopg.Cursor
        cursor.execute("SELECT %s::int + 1", [41])
        assert cursor.fetchone() == (42,)
        with pytest.raises(DatabaseError):  # Django's error, not the driver's
            cursor.execute("SELECT * FROM no_such_table")
    assert [query["sql"] for query in logged.captured_queries] == [  # in Django's query log
        "QUERY = 'SELECT %s::int + 1' - PARAMS = (41,)",
        "QUERY = 'SELECT * FROM no_such_table' - PARAMS = ()",
    ]
