"""One door for every write: the workflow's edit, its table of transitions, and the
admin pages that go through them (buttons that save the form first, restore,
delete, withdraw)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.desk import preview, workflow
from articles.models import Article, ArticleEvent, PreviewLink, Revision
from tests.factories import change_form_data, make_article, make_staff

pytestmark = pytest.mark.django_db
S = Article.Status


@pytest.fixture
def reporter():
    return make_staff("reporter")


@pytest.fixture
def editor():
    return make_staff("editor")


@pytest.fixture
def chief():
    return make_staff("chief")


def _change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def _returned_draft(reporter):
    article = make_article(
        status=S.DRAFT,
        created_by=reporter,
        headline="العنوان القديم",
        body="<p>النص القديم</p>",
        returned_at=timezone.now(),
    )
    return article


# ------------------------------------------------------------------ predicates


@pytest.mark.parametrize(
    ("status", "publish", "expire", "live", "scheduled", "expired"),
    [
        (S.PUBLISHED, -1, None, True, False, False),
        (S.PUBLISHED, +1, None, False, True, False),
        (S.PUBLISHED, -2, -1, False, False, True),
        (S.PUBLISHED, -2, +1, True, False, False),
        (S.APPROVED, None, None, False, False, False),
        (S.WITHDRAWN, -1, None, False, False, False),
        (S.DRAFT, None, None, False, False, False),
    ],
)
def test_state_predicates_agree_with_live(status, publish, expire, live, scheduled, expired):
    now = timezone.now()
    hours = datetime.timedelta(hours=1)
    article = make_article(
        status=status,
        publish_at=now + publish * hours if publish is not None else None,
        expire_at=now + expire * hours if expire is not None else None,
    )
    if status != S.PUBLISHED:
        Article.objects.filter(pk=article.pk).update(publish_at=None)
        article.refresh_from_db()
    assert (article.is_live(), article.is_scheduled(), article.is_expired()) == (
        live,
        scheduled,
        expired,
    )
    assert article.has_gone_live() == (live or expired)
    stories = Article.objects.filter(pk=article.pk)
    assert stories.live().exists() == live
    assert stories.scheduled().exists() == scheduled
    assert stories.expired().exists() == expired


# ------------------------------------------------------------------ the table


def test_the_buttons_are_the_table(editor):
    """What the story form offers is read from the one table the server enforces."""
    article = make_article(status=S.IN_REVIEW)
    offered = {t.name for t in workflow.available(editor, article)}
    assert offered == {"return", "approve"}
    for name in offered:
        assert S.IN_REVIEW in workflow.TRANSITIONS[name].sources


def test_unknown_transition_is_404(client, editor):
    article = make_article(status=S.IN_REVIEW)
    client.force_login(editor)
    url = reverse("admin:articles_article_workflow", args=[article.pk, "explode"])
    assert client.post(url).status_code == 404


# ------------------------------------------------------------------ buttons save first


def test_submit_saves_the_unsaved_edits_first(client, reporter):
    article = _returned_draft(reporter)
    client.force_login(reporter)
    data = change_form_data(
        article, headline="العنوان الجديد", body="<p>النص الجديد</p>", _workflow="submit"
    )
    del data["_save"]
    response = client.post(_change_url(article), data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == S.IN_REVIEW
    assert (article.headline, article.body) == ("العنوان الجديد", "<p>النص الجديد</p>")
    assert article.version == 2
    # Version 1 is the story as it was before this first save (kept by the door).
    assert article.revisions.get(version=2).snapshot["headline"] == "العنوان الجديد"
    actions = list(article.events.order_by("id").values_list("action", flat=True))
    assert actions == ["edit", "submit"]


def test_a_button_on_an_invalid_form_refuses_and_keeps_the_text(client, reporter):
    article = _returned_draft(reporter)
    client.force_login(reporter)
    data = change_form_data(article, headline="   ", body="<p>نص لم يُحفظ بعد</p>")
    data["_workflow"] = "submit"
    response = client.post(_change_url(article), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "لم يُنفَّذ الإجراء" in page
    assert "نص لم يُحفظ بعد" in page
    article.refresh_from_db()
    assert article.status == S.DRAFT
    assert article.body == "<p>النص القديم</p>"
    assert not article.events.exists()


def test_a_refused_transition_keeps_the_edits_unsaved_and_in_the_form(client, editor):
    article = make_article(status=S.IN_REVIEW, body="<p>قبل</p>")
    client.force_login(editor)
    data = change_form_data(article, body="<p>تعديل المحرر</p>", _workflow="return")
    response = client.post(_change_url(article), data)  # no note

    assert response.status_code == 200
    assert "اكتب ملاحظة" in response.content.decode()
    assert "تعديل المحرر" in response.content.decode()
    article.refresh_from_db()
    assert article.status == S.IN_REVIEW
    assert article.body == "<p>قبل</p>"
    assert article.version == 1


def test_return_with_a_note_saves_and_returns(client, editor):
    article = make_article(status=S.IN_REVIEW, body="<p>قبل</p>")
    client.force_login(editor)
    data = change_form_data(
        article, body="<p>بعد</p>", _workflow="return", note_return="راجع الأرقام"
    )
    assert client.post(_change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.status == S.DRAFT
    assert article.body == "<p>بعد</p>"
    assert article.events.get(action="return").note == "راجع الأرقام"


def test_a_button_with_nothing_changed_writes_no_revision(client, editor):
    article = make_article(status=S.IN_REVIEW)
    client.force_login(editor)
    client.post(_change_url(article), change_form_data(article, _workflow="approve"))
    article.refresh_from_db()
    assert article.status == S.APPROVED
    assert article.version == 1
    assert not article.revisions.exists()


def test_the_form_renders_buttons_inside_the_story_form(client, reporter):
    article = _returned_draft(reporter)
    client.force_login(reporter)
    page = client.get(_change_url(article)).content.decode()
    assert 'form="article_form" name="_workflow" value="submit"' in page


# ------------------------------------------------------------------ the edit door


def test_editing_a_scheduled_story_is_not_a_correction(client, editor):
    article = make_article(
        status=S.PUBLISHED, publish_at=timezone.now() + datetime.timedelta(days=1)
    )
    client.force_login(editor)
    response = client.post(_change_url(article), change_form_data(article, headline="عنوان أدق"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "عنوان أدق"
    assert article.corrected_at is None
    assert article.revisions.get(version=2).kind == Revision.Kind.EDITED
    assert not article.events.filter(action="correct").exists()


def test_edit_bumps_version_keeps_revision_audits_and_signals(
    editor, django_capture_on_commit_callbacks
):
    article = make_article(status=S.APPROVED, headline="قبل")
    seen = []

    def listener(**kwargs):
        seen.append(kwargs["action"])

    workflow.article_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            workflow.article_edit(article=article, user=editor, values={"headline": "بعد"})
    finally:
        workflow.article_changed.disconnect(listener)
    article.refresh_from_db()
    assert (article.headline, article.version) == ("بعد", 2)
    assert article.revisions.get(version=2).user == editor
    assert article.events.get().action == "edit"
    assert seen == ["edit"]


def test_edit_is_refused_without_permission(reporter):
    article = make_article(status=S.IN_REVIEW, headline="قبل")
    with pytest.raises(workflow.WorkflowError):
        workflow.article_edit(article=article, user=reporter, values={"headline": "بعد"})
    article.refresh_from_db()
    assert article.headline == "قبل"
    assert article.version == 1


def test_expiry_in_the_past_is_refused_by_the_edit(editor):
    article = make_article(status=S.APPROVED)
    with pytest.raises(workflow.WorkflowError):
        workflow.article_edit(
            article=article,
            user=editor,
            values={"expire_at": timezone.now() - datetime.timedelta(hours=1)},
        )


# ------------------------------------------------------------------ restore


def _published_with_history(client, editor):
    article = make_article(status=S.PUBLISHED, headline="الأصل")
    client.force_login(editor)
    for headline in ("مصحح", "مصحح مرة ثانية"):
        client.post(
            _change_url(article),
            change_form_data(article, headline=headline, correction_note="صُحّح"),
        )
        article.refresh_from_db()
    return article


def test_restore_asks_for_confirmation_first(client, reporter):
    article = make_article(status=S.DRAFT, created_by=reporter, headline="الأصل")
    client.force_login(reporter)
    client.post(_change_url(article), change_form_data(article, headline="الثاني"))
    article.refresh_from_db()
    client.post(_change_url(article), change_form_data(article, headline="الثالث"))
    url = reverse("admin:articles_article_restore", args=[article.pk, 2])

    page = client.get(url)
    assert page.status_code == 200
    assert "استعادة النسخة 2" in page.content.decode()
    article.refresh_from_db()
    assert article.headline == "الثالث"  # nothing happened yet
    history = client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert f'href="{url}"' in history.content.decode()


def test_restoring_a_published_story_is_a_correction_with_a_public_note(client, editor):
    article = _published_with_history(client, editor)
    url = reverse("admin:articles_article_restore", args=[article.pk, 2])
    first = client.get(url).content.decode()
    assert "ملاحظة التصحيح" in first

    refused = client.post(url, {"correction_note": ""})
    assert refused.status_code == 200
    assert "اكتب ملاحظة التصحيح" in refused.content.decode()
    article.refresh_from_db()
    assert article.version == 3

    client.post(url, {"correction_note": "أُعيد العنوان كما كان"})
    article.refresh_from_db()
    assert article.version == 4
    assert article.headline == "مصحح"
    event = article.events.filter(action="correct").first()
    assert event.public_note == "أُعيد العنوان كما كان"
    assert article.revisions.get(version=4).kind == Revision.Kind.RESTORED


# ------------------------------------------------------------------ withdraw


def test_withdrawing_revokes_outstanding_preview_links(editor):
    article = make_article(status=S.PUBLISHED)
    link = preview.create_link(article=article, user=editor)
    workflow.article_withdraw(article=article, user=editor)
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert not PreviewLink.objects.filter(article=article, revoked_at__isnull=True).exists()


def test_a_kill_from_the_agency_revokes_preview_links_too(editor):
    article = make_article(status=S.APPROVED)
    link = preview.create_link(article=article, user=editor)
    workflow.article_kill(article=article, user=editor, note="ألغته الوكالة")
    link.refresh_from_db()
    article.refresh_from_db()
    assert article.status == S.WITHDRAWN
    assert link.revoked_at is not None


# ------------------------------------------------------------------ delete


def test_a_live_story_cannot_be_deleted_even_by_the_chief(client, chief):
    article = make_article(status=S.PUBLISHED)
    client.force_login(chief)
    url = reverse("admin:articles_article_delete", args=[article.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code in (302, 403)
    assert Article.objects.filter(pk=article.pk, status=S.PUBLISHED).exists()
    assert client.get(url).status_code in (302, 403)  # no confirmation page either


def test_a_once_published_story_cannot_be_deleted(client, chief, editor):
    article = make_article(status=S.PUBLISHED)
    workflow.article_withdraw(article=article, user=editor)
    workflow.article_return(article=article, user=editor, note="أعد كتابته")
    client.force_login(chief)
    client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
    article.refresh_from_db()
    assert article.status == S.DRAFT


def test_deleting_a_draft_keeps_its_audit_trail_and_asks_in_arabic(client, chief, reporter):
    article = make_article(status=S.DRAFT, created_by=reporter, headline="مسودة للحذف")
    workflow.article_submit(article=article, user=reporter)
    workflow.article_return(article=article, user=chief, note="لا داعي")
    client.force_login(chief)
    url = reverse("admin:articles_article_delete", args=[article.pk])

    confirm = client.get(url).content.decode()
    assert "هل تريد حذف" in confirm
    assert "مسودة للحذف" in confirm
    assert "object (" not in confirm
    assert "Are you sure" not in confirm

    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Article.objects.visible_on_desk().filter(pk=article.pk).exists()
    actions = set(
        ArticleEvent.objects.filter(article_id=article.pk).values_list("action", flat=True)
    )
    assert {"submit", "return", "delete"} <= actions
    changelist = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert _change_url(article) not in changelist
    assert client.get(_change_url(article)).status_code == 302  # "no such story"


def test_other_delete_confirmations_are_arabic_too(client, chief):
    from tests.factories import make_section

    section = make_section(name="قسم للحذف")
    client.force_login(chief)
    page = client.get(reverse("admin:articles_section_delete", args=[section.pk])).content.decode()
    assert "هل تريد حقاً حذف" in page
    assert "«قسم للحذف»" in page
    assert "Are you sure" not in page


def test_an_expired_story_is_not_brought_back_by_clearing_the_expiry_in_the_form(client, editor):
    now = timezone.now()
    article = make_article(
        status=S.PUBLISHED,
        publish_at=now - datetime.timedelta(days=2),
        expire_at=now - datetime.timedelta(days=1),
    )
    client.force_login(editor)
    data = change_form_data(article, expire_at_0="", expire_at_1="")
    response = client.post(_change_url(article), data)
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.expire_at is not None
    assert not Article.objects.live().filter(pk=article.pk)
