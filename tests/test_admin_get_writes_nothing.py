"""Showing a desk page writes nothing: no revision, audit entry, lock, presence or draft.

A story with no revision (a row older than revisions) used to get one when its form was
first opened; now the first save through the door keeps it (articles/desk/editing.py),
so any GET — the form, its history, a comparison, a preview, the desk — only reads.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.desk import workflow
from articles.models import (
    Article,
    ArticleEvent,
    DraftBuffer,
    EditPresence,
    PreviewLink,
    Revision,
)
from tests.factories import change_form_data, make_article, make_staff

pytestmark = pytest.mark.django_db
S = Article.Status
WRITES = ("INSERT", "UPDATE", "DELETE")


def _state(article):
    """Every row a page might be tempted to write, and the story's own bookkeeping."""
    row = Article.objects.values("version", "updated_at", "editing_by", "editing_since").get(
        pk=article.pk
    )
    return {
        "revisions": Revision.objects.count(),
        "events": ArticleEvent.objects.count(),
        "presence": sorted(EditPresence.objects.values_list("user_id", "seen_at")),
        "drafts": sorted(DraftBuffer.objects.values_list("pk", "saved_at")),
        "preview links": PreviewLink.objects.count(),
        "story": row,
    }


def _pages(article):
    pk = article.pk
    return [
        reverse("admin:articles_article_change", args=[pk]),
        reverse("admin:articles_article_change", args=[pk]) + "?draft=restore",
        reverse("admin:articles_article_history", args=[pk]),
        reverse("admin:articles_article_compare", args=[pk]) + "?a=1&b=1",
        reverse("admin:articles_article_compare", args=[pk]),  # no versions chosen
        reverse("admin:articles_article_preview", args=[pk]),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_desk"),
        reverse("admin:articles_schedule"),
        reverse("article_live_desk", args=[pk]),
        reverse("article_breaking_desk", args=[pk]),
    ]


def _writes_while(client, urls):
    with CaptureQueriesContext(connection) as captured:
        statuses = [client.get(url).status_code for url in urls]
    writes = [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().startswith(WRITES)]
    return statuses, writes


@pytest.mark.parametrize("role", ["reporter", "editor"])
def test_opening_a_story_with_no_revision_writes_nothing(client, role):
    person = make_staff(role)
    other = make_staff("editor")
    article = make_article(status=S.DRAFT, created_by=person, headline="خبر بلا نسخة")
    assert not article.revisions.exists()  # a row older than revisions
    now = timezone.now()
    # Someone else has it open and holds the lock; a third person's entry is stale.
    Article.objects.filter(pk=article.pk).update(editing_by=other, editing_since=now)
    EditPresence.objects.create(article=article, user=other, opened_at=now, seen_at=now)
    stale = now - datetime.timedelta(hours=1)
    EditPresence.objects.create(
        article=article, user=make_staff("editor"), opened_at=stale, seen_at=stale
    )
    # The person's own kept text, offered back by the form.
    DraftBuffer.objects.create(user=person, article=article, fields={"headline": "نص محفوظ"})
    client.force_login(person)
    before = _state(article)

    statuses, writes = _writes_while(client, _pages(article))

    assert writes == []
    assert _state(article) == before
    assert statuses[:3] == [200, 200, 200]  # the form, with the kept text, and its history
    page = client.get(_pages(article)[0]).content.decode()
    assert "خبر بلا نسخة" in page
    assert other.username in page  # the page names who holds the lock, without touching it


def test_history_compare_and_preview_of_revisions_write_nothing(client):
    editor = make_staff("editor")
    story = workflow.article_create(
        user=editor,
        values={"headline": "الأصل", "section": make_article().section, "body": "<p>أ</p>"},
    )
    workflow.article_edit(article=story, user=editor, values={"body": "<p>ب</p>"})
    client.force_login(editor)
    urls = [
        reverse("admin:articles_article_compare", args=[story.pk]) + "?a=1&b=2",
        reverse("admin:articles_article_preview_revision", args=[story.pk, 1]),
        reverse("admin:articles_article_restore", args=[story.pk, 1]),  # asks first
        reverse("admin:articles_article_delete", args=[story.pk]),  # asks first
    ]
    before = _state(story)

    statuses, writes = _writes_while(client, urls)

    assert writes == []
    assert _state(story) == before
    assert statuses[:3] == [200, 200, 200]


def test_the_first_save_keeps_the_story_as_it_was_then_the_edit(client):
    """The baseline a GET used to write is kept by the first save, in its transaction."""
    editor = make_staff("editor")
    article = make_article(status=S.IN_REVIEW, headline="العنوان كما ورد")
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    client.get(url)
    assert not article.revisions.exists()

    response = client.post(url, change_form_data(article, headline="العنوان المنقح"))

    assert response.status_code == 302
    kept = list(article.revisions.order_by("version"))
    assert [(r.version, r.kind, r.user) for r in kept] == [
        (1, Revision.Kind.CREATED, None),
        (2, Revision.Kind.EDITED, editor),
    ]
    assert kept[0].snapshot["headline"] == "العنوان كما ورد"
    assert kept[1].snapshot["headline"] == "العنوان المنقح"
    # One audit entry: the edit (keeping the baseline is not an action of anyone's).
    assert list(article.events.values_list("action", flat=True)) == ["edit"]
