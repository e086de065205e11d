"""In a real browser: pressing إرسال للمراجعة with unsaved edits sends the edited story."""

import pytest

from articles.models import Article
from tests.browser import chromium_page, screenshot
from tests.factories import make_article, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reporter_submits_unsaved_edits_of_a_returned_draft(live_server):
    from django.utils import timezone

    reporter = make_staff("reporter", username="mona")
    article = make_article(
        status=Article.Status.DRAFT,
        created_by=reporter,
        headline="عنوان أعاده المحرر",
        body="<p>النص كما أُعيد</p>",
        returned_at=timezone.now(),
    )
    change_url = f"/admin/articles/article/{article.pk}/change/"
    with chromium_page(1280, 1000, locale="ar") as page:
        page.goto(f"{live_server.url}/admin/login/?next={change_url}")
        page.fill("#id_username", "mona")
        page.fill("#id_password", "x")
        page.click("[type=submit]")
        editor = page.locator(".prose-editor .ProseMirror[contenteditable=true]")
        editor.wait_for()

        page.fill("#id_headline", "عنوان بعد التعديل")
        editor.click()
        page.keyboard.press("Control+A")
        page.keyboard.type("نص كتبته المراسلة ولم تحفظه")
        page.click("button:has-text('إرسال للمراجعة')")
        page.wait_for_selector(".messagelist")
        screenshot(page, "submit-with-unsaved-edits")
        message = page.locator(".messagelist").inner_text()

    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW, message
    assert article.headline == "عنوان بعد التعديل"
    assert "نص كتبته المراسلة ولم تحفظه" in article.body
    assert "النص كما أُعيد" not in article.body
    assert "قيد المراجعة" in message


def test_enter_in_a_field_saves_and_takes_no_workflow_step(live_server):
    """The buttons post the story form too; Enter must still mean "Save", not the first of them."""
    reporter = make_staff("reporter", username="sami")
    article = make_article(status=Article.Status.DRAFT, created_by=reporter, headline="قبل")
    change_url = f"/admin/articles/article/{article.pk}/change/"
    with chromium_page(1280, 1000, locale="ar") as page:
        page.goto(f"{live_server.url}/admin/login/?next={change_url}")
        page.fill("#id_username", "sami")
        page.fill("#id_password", "x")
        page.click("[type=submit]")
        page.locator(".prose-editor .ProseMirror[contenteditable=true]").wait_for()
        assert page.locator("button:has-text('إرسال للمراجعة')").is_visible()
        page.fill("#id_headline", "بعد")
        page.press("#id_headline", "Enter")
        page.wait_for_selector(".messagelist")

    article.refresh_from_db()
    assert article.headline == "بعد"
    assert article.status == Article.Status.DRAFT
