"""The desk reads Arabic: no English interface text left on the pages the desk uses."""

import datetime
import html
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import change_form_data, make_article, make_staff

pytestmark = pytest.mark.django_db

# Latin script that is data, not interface: brand and format names, ISO forms, the
# time zone's name, and what the test itself creates (user names, e-mail, URLs).
ALLOWED = {
    "HTML", "URL", "RSS", "Atom", "JSON", "ISO", "UTC", "Asia", "Dubai", "JPEG", "PNG",
    "WebP", "AVIF", "GIF", "Newsroom", "Django", "ProseMirror",
    # Django writes alt="Search" on its search icon without gettext (admin/search_form.html).
    "Search",
}  # fmt: skip
_LATIN_WORD = re.compile(
    r"[A-Za-z][A-Za-z'\u2019-]+"
)  # a right single quote, as in "Django\u2019s"
_HIDDEN = re.compile(r"<(script|style|template|noscript)\b.*?</\1>", re.S | re.I)


def interface_text(page: str) -> str:
    """What a user of the page sees or hears: its text, and the labels held in attributes."""
    page = _HIDDEN.sub(" ", page)
    page = re.sub(r"<textarea\b.*?</textarea>", " ", page, flags=re.S | re.I)  # content
    labels = [
        *re.findall(r'<input\b[^>]*type="(?:submit|button)"[^>]*value="([^"]*)"', page),
        *re.findall(r'\b(?:title|placeholder|aria-label|alt)="([^"]*)"', page),
    ]
    text = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(" ".join([text, *labels]))


def latin_words(page: str, *content: str) -> set[str]:
    allowed = set(ALLOWED)
    for item in content:
        allowed |= set(_LATIN_WORD.findall(item))
    return {word for word in _LATIN_WORD.findall(interface_text(page)) if word not in allowed}


@pytest.fixture
def desk(client):
    chief = make_staff("chief", username="chief")
    chief.is_superuser = True  # every page, images and accounts included
    chief.save()
    client.force_login(chief)
    story = make_article(
        headline="الوزراء يجتمعون", status=Article.Status.DRAFT, created_by=chief, publish_at=None
    )
    for body in ("<p>نص معدل</p>", "<p>نص معدل مرة ثانية</p>"):  # versions 2 and 3
        story.refresh_from_db()
        client.post(
            reverse("admin:articles_article_change", args=[story.pk]),
            change_form_data(story, body=body),
        )
    scheduled = make_article(  # published, in three hours: on the schedule
        headline="خبر مجدول", publish_at=timezone.now() + datetime.timedelta(hours=3)
    )
    return client, chief, story, scheduled


def desk_pages(story):
    pk = story.pk
    return {
        "index": reverse("admin:index"),
        "desk": reverse("admin:articles_desk"),
        "schedule": reverse("admin:articles_schedule"),
        "changelist": reverse("admin:articles_article_changelist"),
        "add": reverse("admin:articles_article_add"),
        "change": reverse("admin:articles_article_change", args=[pk]),
        "history": reverse("admin:articles_article_history", args=[pk]),
        "compare": reverse("admin:articles_article_compare", args=[pk]) + "?a=2&b=3",
        "delete": reverse("admin:articles_article_delete", args=[pk]),
        "images": reverse("admin:articles_image_changelist"),
        "image add": reverse("admin:articles_image_add"),
        "password": reverse("admin:password_change"),
    }


def test_no_english_is_left_on_the_desks_pages(desk):
    client, chief, story, _scheduled = desk
    found = {}
    for name, url in desk_pages(story).items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        words = latin_words(response.content.decode(), chief.username, story.slug)
        if words:
            found[name] = sorted(words)

    assert found == {}


def test_history_reads_states_and_times_in_arabic(desk):
    from articles.desk import workflow

    client, chief, story, _scheduled = desk
    story.refresh_from_db()
    workflow.article_submit(article=story, user=chief)
    workflow.article_approve(article=story, user=chief)
    page = client.get(reverse("admin:articles_article_history", args=[story.pk])).content.decode()
    text = re.sub(r"\s+", " ", interface_text(page))
    assert "(مسودة ← قيد المراجعة)" in text
    assert f"({Article.Status.IN_REVIEW.label} ← {Article.Status.APPROVED.label})" in text
    for code in ("draft", "in_review", "approved"):
        assert f"({code}" not in text
        assert f"{code})" not in text
    # Arabic date order, minutes not seconds, the ISO form kept for machines in <time>.
    when = timezone.localtime(timezone.now())
    assert f"{when.day} " in text
    assert re.search(
        r'<time datetime="\d{4}-\d\d-\d\dT[^"]+">\d+ \S+ \d{4}، \d\d:\d\d</time>', page
    )
    assert not re.search(r"\d\d:\d\d:\d\d", text)


def test_the_javascript_catalogue_has_the_desks_widget_and_editor_labels_in_arabic(client):
    client.force_login(make_staff("reporter"))
    catalogue = client.get("/admin/jsi18n/").content.decode("utf-8")
    for english in (
        "Note: Enter times in the %(timezone)s timezone. (You are %(offset)s hour behind.)",
        "Note: Enter times in the %(timezone)s timezone. (You are %(offset)s hour ahead.)",
        "Heading 2",
        "Paragraph",
        "Browse...",
    ):
        assert json.dumps(english) in catalogue, english
    assert json.dumps("ملاحظة: أدخل الأوقات بتوقيت")[1:-1] in catalogue
