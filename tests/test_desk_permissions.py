"""Every role against every transition, through the admin's HTTP interface.

Allowed: the story moves and an audit entry is written. Forbidden: nothing
changes (state, words, history) and the person is told or refused.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleEvent, Revision
from tests.factories import change_form_data, make_article, make_staff

pytestmark = pytest.mark.django_db
S = Article.Status

ROLES = ["owner", "other_reporter", "editor", "chief"]

# transition -> (state it starts from, state it reaches, roles allowed)
TRANSITIONS = {
    "submit": (S.DRAFT, S.IN_REVIEW, {"owner", "editor", "chief"}),
    "return": (S.IN_REVIEW, S.DRAFT, {"editor", "chief"}),
    "approve": (S.IN_REVIEW, S.APPROVED, {"editor", "chief"}),
    "publish": (S.APPROVED, S.PUBLISHED, {"editor", "chief"}),
    "schedule": (S.APPROVED, S.PUBLISHED, {"editor", "chief"}),
    "withdraw": (S.PUBLISHED, S.WITHDRAWN, {"editor", "chief"}),
}


@pytest.fixture
def people():
    return {
        "owner": make_staff("reporter"),
        "other_reporter": make_staff("reporter"),
        "editor": make_staff("editor"),
        "chief": make_staff("chief"),
    }


def _story(owner, status):
    return make_article(status=status, created_by=owner, headline="خبر عن الميزانية")


def _fingerprint(article):
    article.refresh_from_db()
    return (
        article.status,
        article.publish_at,
        article.headline,
        article.body,
        article.version,
        ArticleEvent.objects.filter(article=article).count(),
        Revision.objects.filter(article=article).count(),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_transition_matrix(client, people, role, action):
    source, target, allowed = TRANSITIONS[action]
    article = _story(people["owner"], source)
    before = _fingerprint(article)
    client.force_login(people[role])
    data = {"note": "أعد صياغة المقدمة"}
    if action == "schedule":
        at = timezone.localtime() + datetime.timedelta(days=1)
        data["publish_at"] = at.strftime("%Y-%m-%dT%H:%M")
    url = reverse("admin:articles_article_workflow", args=[article.pk, action])
    response = client.post(url, data, follow=True)

    article.refresh_from_db()
    if role in allowed:
        assert article.status == target
        event = ArticleEvent.objects.get(article=article)
        assert event.user == people[role]
        assert (event.from_status, event.to_status) == (source, target)
        if action == "schedule":
            assert article.publish_at > timezone.now()
            assert not Article.objects.live().filter(pk=article.pk).exists()
        if action == "publish":
            assert Article.objects.live().filter(pk=article.pk).exists()
    else:
        # Another reporter's story is not found at all (it may be an embargoed scoop).
        assert response.status_code in ((404,) if role == "other_reporter" else (200, 403))
        assert _fingerprint(article) == before
        if response.status_code == 200:
            assert "ليست لديك صلاحية" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (S.DRAFT, {"owner", "editor", "chief"}),
        (S.IN_REVIEW, {"editor", "chief"}),
        (S.APPROVED, {"editor", "chief"}),
        (S.PUBLISHED, {"editor", "chief"}),  # a correction
    ],
)
def test_edit_matrix(client, people, role, status, allowed):
    article = _story(people["owner"], status)
    before = _fingerprint(article)
    client.force_login(people[role])
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(article, headline="عنوان مصحح", correction_note="صُحّح اسم الوزير")
    response = client.post(url, data)

    article.refresh_from_db()
    if role in allowed:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert article.headline == "عنوان مصحح"
        assert article.version == before[4] + 1
        assert article.status == status
        if status == S.PUBLISHED:
            assert article.publish_at == before[1]  # the original publication time
            assert article.corrected_at is not None
            event = ArticleEvent.objects.get(article=article, action="correct")
            assert event.public_note == "صُحّح اسم الوزير"
    elif role == "other_reporter":
        # Not found, as Django's admin says for a story outside what the person may see.
        assert (response.status_code, response["Location"]) == (302, "/admin/")
        assert _fingerprint(article) == before
    else:
        assert response.status_code == 403
        assert _fingerprint(article) == before


def test_correction_is_shown_to_readers(client, people):
    article = _story(people["owner"], S.PUBLISHED)
    published_at = article.publish_at
    client.force_login(people["editor"])
    url = reverse("admin:articles_article_change", args=[article.pk])
    client.post(url, change_form_data(article, correction_note="صُحّح عدد الضحايا"))
    client.logout()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "صُحّح عدد الضحايا" in page
    assert "تحديث" in page
    article.refresh_from_db()
    assert article.publish_at == published_at


def test_return_needs_a_note_and_reaches_the_reporter(client, people):
    article = _story(people["owner"], S.IN_REVIEW)
    client.force_login(people["editor"])
    url = reverse("admin:articles_article_workflow", args=[article.pk, "return"])
    response = client.post(url, {"note": "  "}, follow=True)
    article.refresh_from_db()
    assert article.status == S.IN_REVIEW
    assert "اكتب ملاحظة" in response.content.decode()

    client.post(url, {"note": "المصدر غير مذكور"})
    article.refresh_from_db()
    assert article.status == S.DRAFT
    assert article.returned_at is not None
    client.force_login(people["owner"])
    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert "المصدر غير مذكور" in page.content.decode()


def test_reporter_sees_submitted_story_read_only(client, people):
    article = _story(people["owner"], S.IN_REVIEW)
    client.force_login(people["owner"])
    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert page.status_code == 200
    assert 'name="headline"' not in page.content.decode()


@pytest.mark.parametrize(
    ("action", "source", "perm_role"),
    [("approve_selected", S.IN_REVIEW, "editor"), ("withdraw_selected", S.PUBLISHED, "editor")],
)
def test_bulk_actions_apply_rules_per_story(client, people, action, source, perm_role):
    good = [_story(people["owner"], source) for _ in range(2)]
    wrong_state = _story(people["owner"], S.DRAFT)
    client.force_login(people[perm_role])
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": action, "_selected_action": [a.pk for a in [*good, wrong_state]]},
        follow=True,
    )
    page = response.content.decode()
    for article in good:
        article.refresh_from_db()
        assert article.status != source
    wrong_state.refresh_from_db()
    assert wrong_state.status == S.DRAFT
    assert wrong_state.headline in page  # named among the refused


def test_bulk_action_refused_for_reporter(client, people):
    article = _story(people["owner"], S.IN_REVIEW)
    client.force_login(people["owner"])
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "approve_selected", "_selected_action": [article.pk]},
    )
    article.refresh_from_db()
    assert article.status == S.IN_REVIEW
    assert not ArticleEvent.objects.filter(article=article).exists()


def test_reporter_files_a_story(client, people):
    section = make_article().section
    client.force_login(people["owner"])
    response = client.post(
        reverse("admin:articles_article_add"),
        {
            "headline": "خبر جديد من المراسل",
            "slug": "",
            "standfirst": "مقدمة",
            "body": "<p>نص<script>alert(1)</script></p>",
            "section": str(section.pk),
            "dateline_place": "دبي",
            "expire_at_0": "",
            "expire_at_1": "",
            "_save": "1",
        },
    )
    assert response.status_code == 302
    article = Article.objects.get(headline="خبر جديد من المراسل")
    assert article.created_by == people["owner"]
    assert article.status == S.DRAFT
    assert "<script>" not in article.body
    assert article.revisions.get().kind == Revision.Kind.CREATED


@pytest.mark.parametrize("bad_time", ["", "غدا", "2026-13-45T10:00", "2000-01-01T10:00"])
def test_schedule_with_a_bad_time_changes_nothing(client, people, bad_time):
    article = _story(people["owner"], S.APPROVED)
    client.force_login(people["editor"])
    url = reverse("admin:articles_article_workflow", args=[article.pk, "schedule"])
    response = client.post(url, {"publish_at": bad_time}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "حدّد تاريخ النشر" in page or "يجب أن يكون موعد الجدولة في المستقبل" in page
    article.refresh_from_db()
    assert article.status == S.APPROVED
    assert article.publish_at is None


# ------------------------------------------------------------------ who sees which story


@pytest.mark.parametrize("status", [S.DRAFT, S.IN_REVIEW, S.APPROVED])
def test_a_reporter_cannot_read_another_reporters_story(client, people, status):
    """An embargoed scoop stays with its reporter and the editors."""
    article = make_article(status=status, created_by=people["owner"], headline="سبق صحفي مكتوم")
    revision_url = reverse("admin:articles_article_compare", args=[article.pk])
    client.force_login(people["other_reporter"])
    changelist = client.get(reverse("admin:articles_article_changelist"))
    assert changelist.status_code == 200
    assert "سبق صحفي مكتوم" not in changelist.content.decode()
    for url in [
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:articles_article_history", args=[article.pk]),
        revision_url,
        reverse("admin:articles_article_preview", args=[article.pk]),
        reverse("admin:articles_desk"),
    ]:
        response = client.get(url, follow=True)
        assert "سبق صحفي مكتوم" not in response.content.decode(), url
        assert response.status_code in (200, 403, 404), url


def test_a_reporter_does_not_see_others_scheduled_stories_on_the_schedule(client, people):
    at = timezone.now() + datetime.timedelta(hours=5)
    make_article(publish_at=at, created_by=people["owner"], headline="خبر مجدول مكتوم")
    client.force_login(people["other_reporter"])
    page = client.get(reverse("admin:articles_schedule")).content.decode()
    assert "خبر مجدول مكتوم" not in page
    client.force_login(people["owner"])
    assert "خبر مجدول مكتوم" in client.get(reverse("admin:articles_schedule")).content.decode()


@pytest.mark.parametrize("role", ["owner", "editor", "chief"])
def test_the_reporter_editors_and_chiefs_read_the_story(client, people, role):
    article = make_article(status=S.IN_REVIEW, created_by=people["owner"], headline="سبق صحفي")
    client.force_login(people[role])
    assert "سبق صحفي" in client.get(reverse("admin:articles_article_changelist")).content.decode()
    for name in ["change", "history"]:
        response = client.get(reverse(f"admin:articles_article_{name}", args=[article.pk]))
        assert response.status_code == 200
        assert "سبق صحفي" in response.content.decode()
    compare = client.get(reverse("admin:articles_article_compare", args=[article.pk]), follow=True)
    assert compare.status_code == 200
    assert "سبق صحفي" in compare.content.decode()
