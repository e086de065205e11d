"""Never lose text: autosave into a per-person buffer, a save after the session
expired, and the soft lock kept by the open form's heartbeat."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from articles.models import Article, DraftBuffer, EditPresence, Revision
from tests.factories import change_form_data, make_article, make_staff

pytestmark = pytest.mark.django_db
S = Article.Status


def _client(user, **options):
    client = Client(**options)
    client.force_login(user)
    return client


def _change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def _keep_token(page: str) -> str:
    return re.search(r'name="_keep_token" value="([^"]+)"', page).group(1)


def _presence(client, article):
    return client.post(reverse("admin:articles_article_presence", args=[article.pk]))


def _autosave(client, article, **changes):
    url = (
        reverse("admin:articles_article_autosave", args=[article.pk])
        if article
        else reverse("admin:articles_article_autosave")
    )
    data = change_form_data(article, **changes) if article else changes
    return client.post(url, data)


# ------------------------------------------------------------------ autosave


def test_autosave_keeps_the_text_without_touching_the_story():
    reporter = make_staff("reporter")
    article = make_article(status=S.DRAFT, created_by=reporter, headline="العنوان المحفوظ")
    client = _client(reporter)

    response = _autosave(client, article, headline="عنوان لم يحفظ بعد", body="<p>فقرة جديدة</p>")

    assert response.status_code == 200
    assert "لم يُحفظ في الخبر بعد" in response.json()["message"]
    article.refresh_from_db()
    assert article.headline == "العنوان المحفوظ"
    assert article.version == 1
    assert not Revision.objects.filter(article=article).exists()
    buffer = DraftBuffer.objects.get(user=reporter, article=article)
    assert buffer.fields["headline"] == "عنوان لم يحفظ بعد"
    # Every few seconds: the same row again, never a pile of them.
    _autosave(client, article, headline="عنوان ثالث")
    assert DraftBuffer.objects.filter(user=reporter).count() == 1
    assert DraftBuffer.objects.get().fields["headline"] == "عنوان ثالث"


def test_reopening_offers_the_kept_text_and_restore_fills_the_form():
    reporter = make_staff("reporter")
    article = make_article(status=S.DRAFT, created_by=reporter, headline="العنوان المحفوظ")
    client = _client(reporter)
    _autosave(client, article, headline="عنوان مكتوب", body="<p>نص <strong>مكتوب</strong></p>")

    page = client.get(_change_url(article)).content.decode()
    assert "لديك نص كتبته" in page
    assert "استعد نصي" in page
    # Offered, not imposed: the form still holds the stored text.
    assert client.get(_change_url(article)).context["adminform"].form["headline"].value() == (
        "العنوان المحفوظ"
    )

    restored = client.get(_change_url(article) + "?draft=restore")
    form = restored.context["adminform"].form
    assert form["headline"].value() == "عنوان مكتوب"
    assert form["body"].value() == "<p>نص <strong>مكتوب</strong></p>"
    assert "ثم احفظ الخبر" in restored.content.decode()

    # Saving through the ordinary form keeps it, and the buffer is gone.
    saved = client.post(
        _change_url(article),
        change_form_data(article, headline="عنوان مكتوب", body=form["body"].value()),
    )
    assert saved.status_code == 302
    article.refresh_from_db()
    assert article.headline == "عنوان مكتوب"
    assert not DraftBuffer.objects.exists()
    assert "لديك نص كتبته" not in client.get(_change_url(article)).content.decode()


def test_discarding_the_kept_text():
    reporter = make_staff("reporter")
    article = make_article(status=S.DRAFT, created_by=reporter)
    client = _client(reporter)
    _autosave(client, article, headline="مسودة لا أريدها")
    client.post(reverse("admin:articles_article_autosave_discard", args=[article.pk]))
    assert not DraftBuffer.objects.exists()


def test_a_new_story_is_kept_too_and_offered_on_the_add_form():
    reporter = make_staff("reporter")
    client = _client(reporter)
    response = _autosave(client, None, headline="خبر جديد لم يحفظ", body="<p>بداية</p>")
    assert response.status_code == 200
    assert DraftBuffer.objects.get(user=reporter, article=None).fields["headline"] == (
        "خبر جديد لم يحفظ"
    )
    add_url = reverse("admin:articles_article_add")
    assert "استعد نصي" in client.get(add_url).content.decode()
    form = client.get(add_url + "?draft=restore").context["adminform"].form
    assert form["headline"].value() == "خبر جديد لم يحفظ"


def test_nobody_reads_or_writes_another_persons_kept_text():
    owner = make_staff("reporter")
    article = make_article(status=S.DRAFT, created_by=owner, headline="عنوان")
    _autosave(_client(owner), article, headline="نص سري لم يحفظ")

    editor = make_staff("editor")
    editor_client = _client(editor)
    page = editor_client.get(_change_url(article) + "?draft=restore")
    assert "نص سري لم يحفظ" not in page.content.decode()
    assert page.context["adminform"].form["headline"].value() == "عنوان"

    # Another reporter may not edit the story, so nothing of theirs is kept for it.
    stranger = _client(make_staff("reporter"))
    assert _autosave(stranger, article, headline="دخيل").status_code == 403
    assert DraftBuffer.objects.count() == 1


def test_autosave_is_a_post_behind_login_and_csrf():
    reporter = make_staff("reporter")
    article = make_article(status=S.DRAFT, created_by=reporter)
    url = reverse("admin:articles_article_autosave", args=[article.pk])
    assert _client(reporter).get(url).status_code == 405
    anonymous = Client().post(url, change_form_data(article, headline="x"))
    assert anonymous.status_code == 302
    assert "/login/" in anonymous["Location"]
    strict = _client(reporter, enforce_csrf_checks=True)
    assert strict.post(url, change_form_data(article, headline="x")).status_code == 403
    assert not DraftBuffer.objects.exists()


def test_a_form_larger_than_any_story_is_refused_in_arabic():
    reporter = make_staff("reporter")
    article = make_article(status=S.DRAFT, created_by=reporter)
    response = _autosave(_client(reporter), article, body="<p>" + "ا" * 600_000 + "</p>")
    assert response.status_code == 413
    assert "أكبر من أن" in response.json()["error"]
    assert not DraftBuffer.objects.exists()


# ------------------------------------------------------------------ the session expired


def _expire_sessions():
    Session.objects.all().delete()


def test_a_save_after_the_session_expired_is_kept_and_offered_after_login():
    reporter = make_staff("reporter", username="huda")
    article = make_article(status=S.DRAFT, created_by=reporter, headline="قبل انتهاء الجلسة")
    client = _client(reporter)
    token = _keep_token(client.get(_change_url(article)).content.decode())
    _expire_sessions()

    response = client.post(
        _change_url(article),
        change_form_data(article, headline="كتبته والجلسة منتهية", _keep_token=token),
    )

    assert response.status_code == 302
    assert "/login/" in response["Location"]
    article.refresh_from_db()
    assert article.headline == "قبل انتهاء الجلسة"
    assert DraftBuffer.objects.get(user=reporter, article=article).fields["headline"] == (
        "كتبته والجلسة منتهية"
    )
    # Logging in again sends them back to the form, which offers the text.
    back = client.post(response["Location"], {"username": "huda", "password": "x"}, follow=True)
    assert back.redirect_chain[-1][0].endswith(_change_url(article))
    assert "لديك نص كتبته" in back.content.decode()
    restored = client.get(_change_url(article) + "?draft=restore").context["adminform"].form
    assert restored["headline"].value() == "كتبته والجلسة منتهية"


def test_without_a_valid_token_nothing_is_kept_for_an_anonymous_post():
    reporter = make_staff("reporter")
    article = make_article(status=S.DRAFT, created_by=reporter)
    other = make_article(status=S.DRAFT, created_by=reporter)
    token = _keep_token(_client(reporter).get(_change_url(article)).content.decode())
    anonymous = Client()
    for url, data in [
        (_change_url(article), change_form_data(article, headline="بلا رمز")),
        (_change_url(article), change_form_data(article, _keep_token=token + "x")),
        # A token is for one story only.
        (_change_url(other), change_form_data(other, _keep_token=token)),
        (reverse("admin:articles_article_add"), {"headline": "x", "_keep_token": token}),
    ]:
        assert anonymous.post(url, data).status_code == 302
    assert not DraftBuffer.objects.exists()


def test_a_token_of_someone_who_may_no_longer_edit_keeps_nothing():
    reporter = make_staff("reporter")
    article = make_article(status=S.DRAFT, created_by=reporter)
    token = _keep_token(_client(reporter).get(_change_url(article)).content.decode())
    Article.objects.filter(pk=article.pk).update(status=S.IN_REVIEW)
    Client().post(_change_url(article), change_form_data(article, _keep_token=token))
    assert not DraftBuffer.objects.exists()


# ------------------------------------------------------------------ the soft lock


def test_showing_the_form_does_not_take_the_lock():
    reporter = make_staff("reporter")
    article = make_article(status=S.DRAFT, created_by=reporter)
    _client(reporter).get(_change_url(article))
    article.refresh_from_db()
    assert article.editing_by is None
    assert not EditPresence.objects.exists()


def test_heartbeat_is_a_post_for_people_who_may_edit():
    reporter = make_staff("reporter")
    article = make_article(status=S.DRAFT, created_by=reporter)
    url = reverse("admin:articles_article_presence", args=[article.pk])
    assert _client(reporter).get(url).status_code == 405
    assert _client(make_staff("reporter")).post(url).status_code == 403
    assert _client(reporter, enforce_csrf_checks=True).post(url).status_code == 403
    assert not EditPresence.objects.exists()


def test_two_editors_on_one_story_see_each_other():
    first = make_staff("editor", username="khaled")
    second = make_staff("editor", username="mona")
    article = make_article(status=S.IN_REVIEW)
    first_client, second_client = _client(first), _client(second)

    _presence(first_client, article)
    seen_by_second = _presence(second_client, article).json()["html"]
    assert "يحرره khaled منذ" in seen_by_second
    seen_by_first = _presence(first_client, article).json()["html"]
    assert "مفتوح أيضًا عند" in seen_by_first
    assert "mona" in seen_by_first
    page = first_client.get(_change_url(article)).content.decode()
    assert "mona" in page
    assert "يحرره" not in page


def test_submitting_releases_the_reporters_lock():
    reporter = make_staff("reporter", username="salma")
    editor = make_staff("editor")
    article = make_article(status=S.DRAFT, created_by=reporter)
    reporter_client = _client(reporter)
    _presence(reporter_client, article)

    reporter_client.post(reverse("admin:articles_article_workflow", args=[article.pk, "submit"]))

    article.refresh_from_db()
    assert article.status == S.IN_REVIEW
    assert article.editing_by is None
    page = _client(editor).get(_change_url(article)).content.decode()
    assert "salma" not in page


def test_saving_and_leaving_release_the_lock():
    reporter = make_staff("reporter", username="nour")
    article = make_article(status=S.DRAFT, created_by=reporter)
    client = _client(reporter)
    _presence(client, article)
    client.post(_change_url(article), change_form_data(article, headline="عنوان بعد الحفظ"))
    article.refresh_from_db()
    assert article.editing_by is None
    assert not EditPresence.objects.exists()

    _presence(client, article)
    assert (
        client.post(reverse("admin:articles_article_leave", args=[article.pk])).status_code == 204
    )
    article.refresh_from_db()
    assert article.editing_by is None
    assert not EditPresence.objects.exists()


def test_an_entry_without_heartbeat_goes_stale(settings):
    editor = make_staff("editor", username="rami")
    other = make_staff("editor")
    article = make_article(status=S.IN_REVIEW)
    _presence(_client(editor), article)
    later = datetime.timedelta(seconds=django_settings.NEWSROOM_EDIT_LOCK_SECONDS + 1)
    with time_machine.travel(later):
        html = _presence(_client(other), article).json()["html"]
        page = _client(other).get(_change_url(article)).content.decode()
    assert "rami" not in html
    assert "rami" not in page
    assert list(EditPresence.objects.values_list("user", flat=True)) == [other.pk]


def test_the_story_forms_scripts_speak_arabic():
    """desk-*.js translate through the admin's JavaScript catalogue (djangojs.po)."""
    import json

    client = _client(make_staff("reporter"))
    catalogue = client.get("/admin/jsi18n/").content.decode("utf-8")
    for english, arabic in [
        (
            "You have changes that are not saved. Leave the page anyway?",
            "لديك تغييرات لم تُحفظ. أتغادر الصفحة مع ذلك؟",
        ),
        (
            "Your session has ended. Save: you will be asked to log in, then offered your "
            "text back.",
            "انتهت جلستك. اضغط «حفظ»: سيُطلب منك تسجيل الدخول، ثم يُعرض عليك نصك من جديد.",
        ),
    ]:
        assert f"{json.dumps(english)}: {json.dumps(arabic)}" in catalogue


def test_autosave_of_text_with_a_nul_or_a_control_character_is_kept_not_a_500():
    # PostgreSQL's jsonb cannot hold U+0000: a buffer must store what it can of the text.
    reporter = make_staff("reporter")
    article = make_article(status=S.DRAFT, created_by=reporter)
    client = _client(reporter)

    response = _autosave(client, article, headline="عنوان\x00مكسور\x0bهنا", body="<p>نص\x00</p>")

    assert response.status_code == 200
    fields = DraftBuffer.objects.get(user=reporter, article=article).fields
    assert fields["headline"] == "عنوانمكسور هنا"
    assert fields["body"] == "<p>نص</p>"
