"""In a real browser: the story form never loses text, and says who else has it open.

- typing is autosaved into the person's buffer; a save pressed after the session
  expired leads through the login page back to the form, which gives the text back;
- leaving the form with changes not saved asks first (saving does not);
- two editors on one story see each other, and a closed page says goodbye.
"""

import pytest
from django.contrib.sessions.models import Session

from articles.models import Article, DraftBuffer, EditPresence
from tests.browser import ARTIFACTS, chromium
from tests.factories import make_article, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser(live_server):
    with chromium() as browser:
        yield browser


def _new_page(browser):
    return browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar").new_page()


def _log_in(page, live_server, username, next_url):
    page.goto(f"{live_server.url}/admin/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", "x")
    page.click("[type=submit]")


def _editor(page):
    editor = page.locator(".prose-editor .ProseMirror[contenteditable=true]")
    editor.wait_for()
    return editor


def test_text_typed_before_the_session_expired_comes_back_after_logging_in(
    browser, live_server, settings
):
    settings.NEWSROOM_AUTOSAVE_SECONDS = 2
    reporter = make_staff("reporter", username="huda")
    article = make_article(
        status=Article.Status.DRAFT, created_by=reporter, headline="عنوان قبل الكتابة"
    )
    change_url = f"/admin/articles/article/{article.pk}/change/"
    page = _new_page(browser)
    _log_in(page, live_server, "huda", change_url)
    editor = _editor(page)

    page.fill("#id_headline", "عنوان كتبته هدى")
    editor.click()
    page.keyboard.press("End")
    page.keyboard.type(" فقرة أولى كتبتها.")
    # Autosave keeps it on the server within a few seconds, and says so.
    status = page.locator("#desk-autosave-status")
    status.filter(has_text="حُفظ نصك مؤقتًا").wait_for(timeout=10_000)
    assert DraftBuffer.objects.get(user=reporter, article=article).fields["headline"] == (
        "عنوان كتبته هدى"
    )

    # More typing, then the session ends before the save.
    page.keyboard.type(" وجملة بعد الحفظ المؤقت.")
    Session.objects.all().delete()
    page.click("input[name=_save]")

    page.wait_for_url("**/admin/login/**")
    page.fill("#id_username", "huda")
    page.fill("#id_password", "x")
    page.click("[type=submit]")
    page.wait_for_url(f"**{change_url}")
    offer = page.locator(".desk-draft")
    assert "لديك نص كتبته" in offer.inner_text()
    page.screenshot(path=str(ARTIFACTS / "desk-keep-offer.png"), full_page=True)

    page.click("text=استعد نصي")
    assert page.locator("#id_headline").input_value() == "عنوان كتبته هدى"
    body = _editor(page).inner_text()
    assert "فقرة أولى كتبتها" in body
    assert "وجملة بعد الحفظ المؤقت" in body
    article.refresh_from_db()
    assert article.headline == "عنوان قبل الكتابة"  # nothing saved behind her back

    # She saves through the ordinary form: the story has her text, the buffer is gone.
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/articles/article/")
    article.refresh_from_db()
    assert article.headline == "عنوان كتبته هدى"
    assert "وجملة بعد الحفظ المؤقت" in article.body
    assert not DraftBuffer.objects.exists()


def test_leaving_with_unsaved_changes_asks_first_and_saving_does_not(browser, live_server):
    reporter = make_staff("reporter", username="sami")
    article = make_article(status=Article.Status.DRAFT, created_by=reporter)
    change_url = f"/admin/articles/article/{article.pk}/change/"
    page = _new_page(browser)
    _log_in(page, live_server, "sami", change_url)
    _editor(page)
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # "stay on the page"

    page.on("dialog", answer)

    page.click("a[href='/admin/']")  # nothing typed yet: no question
    page.wait_for_url(f"{live_server.url}/admin/")
    assert dialogs == []

    page.goto(f"{live_server.url}{change_url}")
    page.fill("#id_headline", "عنوان لم يحفظ")
    page.click("a[href='/admin/']")
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.url.endswith(change_url)  # still on the form, the text still there
    assert page.locator("#id_headline").input_value() == "عنوان لم يحفظ"

    page.click("input[name=_save]")
    page.wait_for_url("**/admin/articles/article/")
    assert dialogs == ["beforeunload"]
    article.refresh_from_db()
    assert article.headline == "عنوان لم يحفظ"


def test_two_editors_see_each_other_and_a_closed_form_says_goodbye(browser, live_server, settings):
    settings.NEWSROOM_EDIT_LOCK_SECONDS = 15  # a heartbeat every 5 seconds
    make_staff("editor", username="khaled")
    make_staff("editor", username="mona")
    article = make_article(status=Article.Status.IN_REVIEW, headline="خبر يحرره اثنان")
    change_url = f"/admin/articles/article/{article.pk}/change/"
    first, second = _new_page(browser), _new_page(browser)
    _log_in(first, live_server, "khaled", change_url)
    _editor(first)
    first.locator("#desk-presence").wait_for(state="attached")
    _log_in(second, live_server, "mona", change_url)
    _editor(second)

    second.locator("#desk-presence", has_text="يحرره khaled").wait_for(timeout=10_000)
    first.locator("#desk-presence", has_text="mona").wait_for(timeout=10_000)
    assert "مفتوح أيضًا عند" in first.locator("#desk-presence").inner_text()
    first.screenshot(path=str(ARTIFACTS / "desk-two-editors.png"), full_page=True)

    second.close()  # pagehide: the beacon releases mona's entry at once
    first.wait_for_function(
        "() => !document.getElementById('desk-presence').innerText.includes('mona')",
        timeout=10_000,
    )
    assert list(EditPresence.objects.values_list("user__username", flat=True)) == ["khaled"]
