"""The desk's smaller promises: diffs that see markup, the read-only view that
renders the body, and a changelist that gives the headline the room."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from tests.factories import change_form_data, make_article, make_staff

pytestmark = pytest.mark.django_db
S = Article.Status


def _compare_page(client, article, before: str, after: str) -> str:
    url = reverse("admin:articles_article_change", args=[article.pk])
    client.post(url, change_form_data(article, body=before))
    article.refresh_from_db()
    client.post(url, change_form_data(article, body=after))
    article.refresh_from_db()
    compare = reverse("admin:articles_article_compare", args=[article.pk])
    return client.get(compare, {"a": article.version - 1, "b": article.version}).content.decode()


@pytest.mark.parametrize(
    ("before", "after", "removed", "added"),
    [
        (
            '<p>راجع <a href="https://example.com/old">التقرير</a></p>',
            '<p>راجع <a href="https://example.com/new">التقرير</a></p>',
            "https://example.com/old",
            "https://example.com/new",
        ),
        ("<p>النمو قوي</p>", "<p>النمو <strong>قوي</strong></p>", "قوي", "**قوي**"),
        ("<p>الأسعار</p>", "<h2>الأسعار</h2>", None, "[عنوان فرعي]"),
        ("<p>أولًا</p><p>ثانيًا</p>", "<ul><li>أولًا</li><li>ثانيًا</li></ul>", None, "•"),
        ("<ul><li>أولًا</li></ul>", "<ol><li>أولًا</li></ol>", "•", "1."),
    ],
)
def test_a_change_of_markup_alone_shows_in_the_diff(before, after, removed, added):
    editor = make_staff("editor")
    client = Client()
    client.force_login(editor)
    article = make_article(status=S.IN_REVIEW)

    page = _compare_page(client, article, before, after)

    assert "لا فروق" not in page
    assert f"<ins>{added}" in page or f"{added}</ins>" in page or added in _inserted(page)
    if removed:
        assert removed in _deleted(page)


def _inserted(page: str) -> str:
    import re

    return " ".join(re.findall(r"<ins>(.*?)</ins>", page, re.S))


def _deleted(page: str) -> str:
    import re

    return " ".join(re.findall(r"<del>(.*?)</del>", page, re.S))


def test_the_same_markup_is_no_difference():
    from articles.desk.diffing import compare

    body = '<h2>عنوان</h2><p>نص <strong>عريض</strong> و<a href="https://a.example/">رابط</a></p>'
    assert compare({"body": body}, {"body": body}, ["body"]) == []


def test_the_read_only_view_renders_the_body_as_readers_see_it():
    reporter = make_staff("reporter")
    article = make_article(
        status=S.IN_REVIEW,
        created_by=reporter,
        body='<p>نص <strong>مهم</strong> مع <a href="https://example.com/">رابط</a></p>',
    )
    client = Client()
    client.force_login(reporter)

    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()

    assert "&lt;strong&gt;" not in page
    assert "&lt;p&gt;" not in page
    assert (
        '<div class="readonly"><p>نص <strong>مهم</strong> مع <a href="https://example.com/"' in page
    )


def test_the_changelist_names_the_reporter_and_who_edited_last():
    reporter = make_staff("reporter", username="reem")
    editor = make_staff("editor", username="khaled")
    editor.first_name, editor.last_name = "خالد", "منصور"
    editor.save()
    article = make_article(status=S.IN_REVIEW, created_by=reporter, headline="خبر الجدول")
    client = Client()
    client.force_login(editor)
    client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        change_form_data(article, headline="خبر الجدول المعدل"),
    )

    page = client.get(reverse("admin:articles_article_changelist")).content.decode()

    assert "المراسل" in page
    assert "آخر من حرَّره" in page
    rows = page[page.index('id="result_list"') :]
    row = rows[rows.index("خبر الجدول المعدل") :]
    row = row[: row.index("</tr>")]
    assert "reem" in row
    assert "خالد منصور" in row
    # Short dates: day/month and time, the full date in the tooltip.
    assert 'class="desk-date"' in row
