"""Revisions, restore, the word-level diff, and two people saving one story."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from articles.desk.diffing import words_diff
from articles.models import Article, Revision
from tests.factories import change_form_data, make_article, make_author, make_staff, make_tag

pytestmark = pytest.mark.django_db
S = Article.Status


@pytest.fixture
def reporter():
    return make_staff("reporter")


@pytest.fixture
def editor():
    return make_staff("editor")


def _save(client, article, **changes):
    url = reverse("admin:articles_article_change", args=[article.pk])
    return client.post(url, change_form_data(article, **changes))


def test_every_save_keeps_the_whole_story(client, reporter):
    author, tag = make_author(name="سارة"), make_tag(name="الطاقة")
    article = make_article(status=S.DRAFT, created_by=reporter, headline="العنوان الأول")
    client.force_login(reporter)
    _save(client, article, headline="العنوان الثاني", authors=[str(author.pk)], tags=[str(tag.pk)])
    article.refresh_from_db()
    _save(client, article, body="<p>نص جديد</p>")

    revs = list(Revision.objects.filter(article=article).order_by("version"))
    # Version 1: the story as it was before its first save, kept by that save.
    assert [r.version for r in revs] == [1, 2, 3]
    assert revs[0].snapshot["headline"] == "العنوان الأول"
    revs = revs[1:]
    first = revs[0].snapshot
    assert first["headline"] == "العنوان الثاني"
    assert first["author_names"] == ["سارة"]
    assert first["tag_names"] == ["الطاقة"]
    assert first["section_name"] == article.section.name
    assert first["images"] == []
    assert "publish_at" in first
    assert revs[0].user == reporter
    assert revs[1].snapshot["body"] == "<p>نص جديد</p>"


def test_history_page_lists_revisions_and_transitions(client, reporter, editor):
    article = make_article(status=S.DRAFT, created_by=reporter)
    client.force_login(reporter)
    _save(client, article, headline="عنوان منقح")
    client.post(reverse("admin:articles_article_workflow", args=[article.pk, "submit"]))
    client.force_login(editor)
    client.post(
        reverse("admin:articles_article_workflow", args=[article.pk, "return"]),
        {"note": "أضف مصدراً"},
    )
    page = client.get(reverse("admin:articles_article_history", args=[article.pk])).content.decode()
    assert "أُرسل للمراجعة" in page
    assert "أُعيد إلى الصحفي" in page
    assert "أضف مصدراً" in page
    assert "النسخة 2" in page
    assert reporter.username in page
    assert editor.username in page


def test_restore_makes_a_new_revision_and_keeps_later_ones(client, reporter):
    article = make_article(status=S.DRAFT, created_by=reporter, headline="الأصل")
    client.force_login(reporter)
    _save(client, article, headline="النسخة ب")
    article.refresh_from_db()
    _save(client, article, headline="النسخة ج")
    response = client.post(reverse("admin:articles_article_restore", args=[article.pk, 2]))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "النسخة ب"
    versions = list(article.revisions.order_by("version").values_list("version", "kind"))
    assert versions == [(1, "created"), (2, "edited"), (3, "edited"), (4, "restored")]


def test_reporter_cannot_restore_a_submitted_story(client, reporter):
    article = make_article(status=S.DRAFT, created_by=reporter, headline="الأصل")
    client.force_login(reporter)
    _save(client, article, headline="تعديل")
    client.post(reverse("admin:articles_article_workflow", args=[article.pk, "submit"]))
    client.post(reverse("admin:articles_article_restore", args=[article.pk, 1]))
    article.refresh_from_db()
    assert article.revisions.count() == 2  # the story as it was, and the reporter's save
    assert article.headline == "تعديل"


def test_compare_page_shows_word_diff_in_arabic(client, reporter):
    article = make_article(
        status=S.DRAFT, created_by=reporter, body="<p>قال الوزير إن النمو قوي</p>"
    )
    client.force_login(reporter)
    _save(client, article, standfirst="مقدمة منقحة")  # a save that changes nothing writes nothing
    article.refresh_from_db()
    _save(client, article, body="<p>قال الوزيرُ إن النمو ضعيف</p>")
    url = reverse("admin:articles_article_compare", args=[article.pk])
    page = client.get(url, {"a": 2, "b": 3}).content.decode()
    assert "<del>الوزير إن النمو قوي</del>" not in page  # only changed words are marked
    assert "<del>قوي</del>" in page
    assert "<ins>ضعيف</ins>" in page
    assert "<del>الوزير</del>" in page
    assert "<ins>الوزيرُ</ins>" in page


def test_word_diff_keeps_diacritics_inside_words():
    pieces = words_diff("كَتَبَ الوَلَدُ الدرسَ", "كَتَبَ البنتُ الدرسَ")
    assert [(p.op, p.text) for p in pieces] == [
        ("same", "كَتَبَ "),
        ("removed", "الوَلَدُ"),
        ("added", "البنتُ"),
        ("same", " الدرسَ"),
    ]


def _open(user, article):
    """A browser with the change form open: returns the client and the version it holds."""
    client = Client()
    client.force_login(user)
    client.get(reverse("admin:articles_article_change", args=[article.pk]))
    # The open form's first heartbeat (static/js/desk-presence.js) takes the soft lock.
    client.post(reverse("admin:articles_article_presence", args=[article.pk]))
    article.refresh_from_db()
    return client, change_form_data(article)


def test_stale_save_of_the_same_field_is_refused_and_nothing_is_lost(editor):
    other = make_staff("editor")
    article = make_article(status=S.IN_REVIEW, headline="عنوان", body="<p>النص الأصلي للخبر</p>")
    first, first_form = _open(editor, article)
    second, second_form = _open(other, article)
    url = reverse("admin:articles_article_change", args=[article.pk])

    assert first.post(url, {**first_form, "body": "<p>نص المحرر الأول</p>"}).status_code == 302
    response = second.post(url, {**second_form, "body": "<p>نص المحرر الثاني</p>"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "حفظ شخص آخر هذا الخبر" in page
    assert "نص المحرر الثاني" in page  # their unsaved text is still in the form
    assert "<del>الأول</del>" in page  # the diff against what is stored
    article.refresh_from_db()
    assert article.body == "<p>نص المحرر الأول</p>"
    # Saving again (after reconciling) is made against the stored version and succeeds.
    form = response.context["adminform"].form
    again = second.post(
        url,
        {**second_form, "opened_version": form.data["opened_version"], "body": "<p>نص موفق</p>"},
    )
    assert again.status_code == 302
    article.refresh_from_db()
    assert article.body == "<p>نص موفق</p>"


def test_stale_save_of_different_fields_is_merged(editor):
    other = make_staff("editor")
    article = make_article(status=S.IN_REVIEW, headline="عنوان قديم", standfirst="مقدمة قديمة")
    first, first_form = _open(editor, article)
    second, second_form = _open(other, article)
    url = reverse("admin:articles_article_change", args=[article.pk])

    assert first.post(url, {**first_form, "headline": "عنوان جديد"}).status_code == 302
    response = second.post(url, {**second_form, "standfirst": "مقدمة جديدة"})

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.headline, article.standfirst) == ("عنوان جديد", "مقدمة جديدة")
    latest = article.revisions.first()
    assert latest.kind == Revision.Kind.MERGED
    assert "العنوان" in latest.note


def test_soft_lock_shows_who_is_editing_and_expires(editor, settings):
    reporter = make_staff("reporter", username="layla")
    article = make_article(status=S.DRAFT, created_by=reporter)
    url = reverse("admin:articles_article_change", args=[article.pk])
    _open(reporter, article)

    other = Client()
    other.force_login(editor)
    page = other.get(url).content.decode()
    assert "يحرره layla منذ" in page
    assert "تولَّ التحرير" in page
    article.refresh_from_db()
    assert article.editing_by == reporter

    with time_machine.travel(datetime.timedelta(seconds=settings.NEWSROOM_EDIT_LOCK_SECONDS + 1)):
        page = other.get(url).content.decode()
        other.post(reverse("admin:articles_article_presence", args=[article.pk]))
    assert "يحرره layla" not in page
    article.refresh_from_db()
    assert article.editing_by == editor


def test_editor_takes_over_the_lock(editor):
    reporter = make_staff("reporter", username="omar")
    article = make_article(status=S.DRAFT, created_by=reporter)
    _open(reporter, article)
    client = Client()
    client.force_login(editor)
    client.post(reverse("admin:articles_article_take_over", args=[article.pk]))
    article.refresh_from_db()
    assert article.editing_by == editor
    assert article.events.get().action == "take_over"

    reporter_client = Client()
    reporter_client.force_login(reporter)
    page = reporter_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert f"يحرره {editor.username} منذ" in page.content.decode()
    # A reporter may not take it back.
    reporter_client.post(reverse("admin:articles_article_take_over", args=[article.pk]))
    article.refresh_from_db()
    assert article.editing_by == editor
