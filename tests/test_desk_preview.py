"""Previews: staff preview of any revision, and shared links for people without an account."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from articles.desk import preview
from articles.media import images
from articles.models import Article, PreviewVisit
from tests.factories import change_form_data, make_article, make_author, make_staff, make_tag
from tests.images_helpers import photo_bytes, upload

pytestmark = pytest.mark.django_db
S = Article.Status


@pytest.fixture
def editor():
    return make_staff("editor")


@pytest.fixture
def draft():
    return make_article(status=S.DRAFT, headline="خبر لم يُنشر بعد", body="<p>سرّ التحرير</p>")


def _share(client, editor, article):
    client.force_login(editor)
    client.post(reverse("admin:articles_article_preview_links", args=[article.pk]))
    client.logout()
    link = article.preview_links.get()
    return link, reverse("articles:preview", args=[preview.token_for(link)])


def _assert_private(response):
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert "noindex" in response["X-Robots-Tag"]


def test_draft_is_never_public_without_a_link(client, draft):
    assert client.get(f"/article/{draft.pk}/").status_code == 404
    assert client.get(f"/article/{draft.pk}/{draft.slug}/").status_code == 404


def test_valid_link_shows_only_that_story_and_is_logged(client, editor, draft):
    link, url = _share(client, editor, draft)
    response = client.get(url, HTTP_USER_AGENT="Mozilla/5.0 test")
    assert response.status_code == 200
    page = response.content.decode()
    assert "خبر لم يُنشر بعد" in page
    assert "سرّ التحرير" in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "معاينة" in page
    _assert_private(response)
    visit = PreviewVisit.objects.get(link=link)
    assert visit.allowed
    assert visit.user_agent == "Mozilla/5.0 test"
    other = make_article(status=S.DRAFT, headline="خبر آخر")
    assert "خبر آخر" not in page
    assert other.headline not in client.get(url).content.decode()


def test_link_expires_after_48_hours(client, editor, draft):
    link, url = _share(client, editor, draft)
    with time_machine.travel(datetime.timedelta(hours=47)):
        assert client.get(url).status_code == 200
    with time_machine.travel(datetime.timedelta(hours=49)):
        response = client.get(url)
    assert response.status_code == 410
    assert "سرّ التحرير" not in response.content.decode()
    _assert_private(response)
    assert list(link.visits.order_by("at").values_list("allowed", flat=True)) == [True, False]


def test_tampered_link_is_refused(client, editor, draft):
    _link, url = _share(client, editor, draft)
    tampered = url.rstrip("/")[:-3] + "abc/"
    assert client.get(tampered).status_code == 404
    other = make_article(status=S.DRAFT)
    # A link's signature covers the story too: it cannot be pointed at another one.
    forged = preview.signing.dumps(
        {"link": _link.pk, "article": other.pk}, salt="not-our-salt", compress=True
    )
    assert client.get(reverse("articles:preview", args=[forged])).status_code == 404


def test_revoked_link_is_refused(client, editor, draft):
    link, url = _share(client, editor, draft)
    client.force_login(editor)
    client.post(
        reverse("admin:articles_article_preview_links", args=[draft.pk]), {"revoke": link.pk}
    )
    client.logout()
    response = client.get(url)
    assert response.status_code == 410
    assert "سرّ التحرير" not in response.content.decode()


def test_reporter_cannot_share_links(client, draft):
    reporter = make_staff("reporter")
    draft.created_by = reporter
    draft.save()
    client.force_login(reporter)
    response = client.post(reverse("admin:articles_article_preview_links", args=[draft.pk]))
    assert response.status_code == 403
    assert not draft.preview_links.exists()


def test_staff_preview_of_any_revision(client, editor):
    reporter = make_staff("reporter")
    article = make_article(status=S.DRAFT, created_by=reporter, headline="العنوان الأول")
    client.force_login(reporter)
    url = reverse("admin:articles_article_change", args=[article.pk])
    client.post(url, change_form_data(article, standfirst="مقدمة منقحة"))
    article.refresh_from_db()
    client.post(url, change_form_data(article, headline="العنوان الثاني"))

    old = client.get(reverse("admin:articles_article_preview_revision", args=[article.pk, 2]))
    assert "العنوان الأول" in old.content.decode()
    _assert_private(old)
    current = client.get(reverse("admin:articles_article_preview", args=[article.pk]))
    assert "العنوان الثاني" in current.content.decode()

    stranger = make_staff("reporter")
    client.force_login(stranger)
    assert (  # another reporter's story is not found
        client.get(reverse("admin:articles_article_preview", args=[article.pk])).status_code == 404
    )
    client.force_login(editor)
    assert (
        client.get(reverse("admin:articles_article_preview", args=[article.pk])).status_code == 200
    )


def test_preview_shows_the_whole_story_as_readers_will(client, editor, settings, tmp_path):
    """Bylines, tags and the lead picture appear in a preview as on the published page."""
    settings.MEDIA_ROOT = tmp_path / "media"
    picture = images.create_image(upload(photo_bytes((1600, 1000))), alt_text="صورة المعاينة")
    story = make_article(
        status=S.DRAFT,
        headline="خبر بصورة ووسوم",
        authors=[make_author("ريم الكاتبة")],
        tags=[make_tag("التعليم")],
        lead_image=picture,
    )
    _link, url = _share(client, editor, story)
    page = client.get(url).content.decode()
    assert "ريم الكاتبة" in page
    assert 'rel="tag">التعليم</a>' in page
    assert 'alt="صورة المعاينة"' in page
    assert "<picture" in page


@pytest.mark.parametrize("revoke", ["²", "①", "9" * 40])
def test_revoking_a_hostile_link_id_is_not_found_and_revokes_nothing(client, editor, draft, revoke):
    # isdigit() accepts "²" and "①", which the id lookup refuses; forty nines are too large.
    link, url = _share(client, editor, draft)
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_preview_links", args=[draft.pk]), {"revoke": revoke}
    )
    assert response.status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None
    client.logout()
    assert "سرّ التحرير" in client.get(url).content.decode()  # the shared link still works
