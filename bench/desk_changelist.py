"""The desk at scale: 100,000 stories, timing the changelist and the desk page.

    DATABASE_URL=postgres://... .venv/bin/python bench/desk_changelist.py [N]

Creates N stories (default 100,000) with bylines in the database named by
DATABASE_URL (never run it against production), then reports the queries
and time of the admin pages an editor opens most.
"""

import os
import sys
import time

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings_test")
django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from articles.desk.roles import group_for  # noqa: E402
from articles.models import Article  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000


def populate():
    if Article.objects.count() >= N:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            'INSERT INTO articles_section (name, slug, description, "order") '
            "SELECT 'قسم ' || g, 'bench-' || g, '', g FROM generate_series(1, 12) g "
            "ON CONFLICT DO NOTHING"
        )
        cursor.execute(
            "INSERT INTO articles_author (name, slug, bio) "
            "SELECT 'كاتب ' || g, 'bench-author-' || g, '' FROM generate_series(1, 300) g "
            "ON CONFLICT DO NOTHING"
        )
        cursor.execute(
            """
            INSERT INTO articles_article (headline, slug, standfirst, body, section_id, status,
                publish_at, dateline_place, created_at, updated_at, version)
            SELECT 'خبر تجريبي رقم ' || g, 'bench-story-' || g, 'مقدمة الخبر رقم ' || g,
                '<p>نص</p>', (SELECT min(id) FROM articles_section) + g %% 12,
                (ARRAY['draft', 'in_review', 'approved', 'published', 'published',
                       'published'])[1 + g %% 6],
                CASE WHEN g %% 6 >= 3 THEN now() - (g || ' minutes')::interval END,
                '', now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval, 1
            FROM generate_series(1, %s) g
            """,
            [N],
        )
        cursor.execute(
            """
            INSERT INTO articles_articleauthor (article_id, author_id, position)
            SELECT a.id, (SELECT min(id) FROM articles_author) + a.id % 300, 0
            FROM articles_article a
            WHERE NOT EXISTS (SELECT 1 FROM articles_articleauthor c WHERE c.article_id = a.id)
            """
        )
        cursor.execute("ANALYZE")


def measure(client, url, params=None):
    best = None
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, params or {})
            elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        best = elapsed if best is None else min(best, elapsed)
    print(f"{url} {params or ''}: {len(queries)} queries, best of 3 {best * 1000:.0f} ms")


if __name__ == "__main__":
    populate()
    user, _ = User.objects.get_or_create(username="bench-editor", defaults={"is_staff": True})
    user.groups.add(group_for("editor"))
    client = Client()
    client.force_login(user)
    reset_queries()
    print(f"{Article.objects.count()} stories")
    measure(client, "/admin/articles/article/")
    measure(client, "/admin/articles/article/", {"status__exact": "in_review"})
    measure(client, "/admin/articles/article/", {"q": "رقم 4242"})
    section = Article.objects.values_list("section_id", flat=True).first()
    measure(client, "/admin/articles/article/", {"section__id__exact": section})
    measure(client, "/admin/articles/article/", {"desk": "scheduled"})
    measure(client, "/admin/articles/article/desk/")
