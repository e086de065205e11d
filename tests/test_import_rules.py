"""Importing wire copy goes through the workflow: it never moves a story the desk
owns, a repeat is a no-op, changed copy of a public story is a correction, and
two imports of one new file at once make one story."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from articles.desk import workflow
from articles.models import Article, Revision
from tests.factories import make_section, make_staff
from tests.test_importer import import_files

pytestmark = pytest.mark.django_db
S = Article.Status


def _write(tmp_path, body="فقرة أولى", name="story.txt"):
    path = tmp_path / name
    path.write_text(f"الخميس - 25 أبريل 2024\nعنوان الخبر المستورد\nالمقدمة\n{body}\n", "utf-8")
    return path


def _state(article):
    article.refresh_from_db()
    return (
        article.status,
        article.section_id,
        article.publish_at,
        article.updated_at,
        article.version,
        article.body,
        article.revisions.count(),
        article.events.count(),
    )


def test_reimport_with_default_options_leaves_a_published_story_alone(tmp_path):
    first, second = make_section(slug="أول"), make_section(slug="ثان")
    path = _write(tmp_path)
    import_files(path, section="ثان", status="published")
    article = Article.objects.get()
    assert (article.status, article.section) == (S.PUBLISHED, second)
    before = _state(article)

    lines, errors, error = import_files(path)  # yesterday's folder, default options

    assert error is None
    assert _state(article) == before
    assert article.section != first
    assert lines == [article.get_absolute_url()]
    assert "بلا تغيير" in errors


def test_publishing_on_import_goes_through_the_publish_transition(tmp_path):
    make_section()
    import_files(_write(tmp_path), status="published")
    article = Article.objects.get()
    system = workflow.system_user()
    events = list(article.events.order_by("id").values_list("action", "user"))
    assert events == [(action, system.pk) for action in ("create", "submit", "approve", "publish")]
    assert system.username == workflow.SYSTEM_USERNAME
    assert article.revisions.get().user == system
    assert Article.objects.live().filter(pk=article.pk).exists()


def test_changed_copy_of_a_published_story_is_a_correction(tmp_path):
    make_section()
    import_files(_write(tmp_path), status="published")
    article = Article.objects.get()
    published_at = article.publish_at

    _, errors, error = import_files(_write(tmp_path, body="فقرة مصححة"))

    assert error is None
    article.refresh_from_db()
    assert article.body == "<p>فقرة مصححة</p>"
    assert article.status == S.PUBLISHED
    assert article.publish_at == published_at
    assert article.version == 2
    assert article.corrected_at is not None
    correction = article.events.get(action="correct")
    assert correction.note  # the automatic note
    assert correction.user == workflow.system_user()
    assert article.revisions.get(version=2).kind == Revision.Kind.CORRECTED
    assert "تصحيحاً" in errors


def test_changed_copy_of_a_story_in_review_is_an_edit_and_keeps_its_state(tmp_path):
    make_section()
    import_files(_write(tmp_path))
    article = Article.objects.get()
    editor = make_staff("editor")
    workflow.article_submit(article=article, user=editor)

    import_files(_write(tmp_path, body="نسخة أحدث"), status="published")

    article.refresh_from_db()
    assert article.status == S.IN_REVIEW
    assert article.body == "<p>نسخة أحدث</p>"
    assert article.version == 2
    assert article.corrected_at is None


def test_reimport_does_not_move_date_modified(client, tmp_path):
    make_section()
    path = _write(tmp_path)
    (url,), _, _ = import_files(path, status="published")
    before = client.get(url).content.decode()
    marker = '"dateModified": "'
    modified = before.split(marker)[1].split('"')[0]
    import_files(path, status="published")
    after = client.get(url).content.decode()
    assert after.split(marker)[1].split('"')[0] == modified


def _database_env() -> dict:
    """Environment that points a child process at this test database (TCP or, with the
    embedded server, a Unix socket directory passed the libpq way, as PGHOST)."""
    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    env = {"DJANGO_SETTINGS_MODULE": "newsroom.settings_test"}
    if host.startswith("/"):
        env["PGHOST"], host = host, ""
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    env["DATABASE_URL"] = f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"
    return env


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_one_new_file_at_once_make_one_story(tmp_path):
    make_section()
    path = _write(tmp_path)
    env = {**os.environ, **_database_env()}
    manage = Path(settings.BASE_DIR) / "manage.py"
    runs = [
        subprocess.Popen(
            [sys.executable, str(manage), "import_article", str(path), "--status", "published"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [(run.wait(timeout=120), *run.communicate(timeout=5)) for run in runs]

    assert [code for code, _, _ in results] == [0, 0], results
    assert Article.objects.count() == 1
    article = Article.objects.get()
    assert [out for _, out, _ in results] == [article.get_absolute_url() + "\n"] * 2
    said = [err for _, _, err in results]
    assert sum("استُورد في هذا التشغيل" in err for err in said) == 1, said
    # The other names the run that imported it (its process id), and changed nothing.
    (other,) = [err for err in said if "بلا تغيير" in err]
    winner = next(run for run, err in zip(runs, said, strict=True) if err != other)
    assert f"العملية {winner.pid}" in other, other
    assert all("Traceback" not in err for err in said)
    assert article.status == S.PUBLISHED
    assert timezone.localtime(article.publish_at).date() == datetime.date(2024, 4, 25)


def test_reimport_keeps_what_the_desk_changed_since(client, tmp_path):
    make_section()
    import_files(_write(tmp_path), status="published")
    article = Article.objects.get()
    editor = make_staff("editor")
    workflow.article_edit(
        article=article, user=editor, values={"headline": "عنوان حرره المكتب"}, public_note="."
    )
    before = _state(article)

    _, errors, error = import_files(_write(tmp_path))  # the same copy again
    assert error is None
    assert "بلا تغيير" in errors
    assert _state(article) == before
    assert article.headline == "عنوان حرره المكتب"

    import_files(_write(tmp_path, body="فقرة من الوكالة بعد التحديث"))
    article.refresh_from_db()
    assert article.headline == "عنوان حرره المكتب"  # the desk's change is kept
    assert article.body == "<p>فقرة من الوكالة بعد التحديث</p>"  # the wire's is applied


def test_reimport_refuses_when_desk_and_wire_changed_the_same_part(tmp_path):
    make_section()
    import_files(_write(tmp_path))
    article = Article.objects.get()
    editor = make_staff("editor")
    workflow.article_edit(article=article, user=editor, values={"body": "<p>نص المحرر</p>"})

    _, errors, error = import_files(_write(tmp_path, body="نص الوكالة الجديد"))

    assert error is not None
    assert "لم يُستورد" in errors
    article.refresh_from_db()
    assert article.body == "<p>نص المحرر</p>"
