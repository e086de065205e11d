"""In a real browser: a paste from Word keeps its lists and loses its Office styling.

The clipboard fragment (tests/fixtures/word_paste_ar.html) is what Word desktop
puts on the clipboard for an Arabic document: a whole HTML page with Office
namespaces, a <style> block, and lists written as MsoListParagraph paragraphs
whose markers hide in <![if !supportLists]> conditional comments.
"""

import re
from pathlib import Path

import pytest

from articles.models import Article
from tests.browser import chromium_page, screenshot
from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORD_CLIPBOARD = (Path(__file__).parent / "fixtures" / "word_paste_ar.html").read_text()

PASTE = """(editor, html) => {
    const data = new DataTransfer();
    data.setData("text/html", html);
    data.setData("text/plain", editor.innerText);
    editor.dispatchEvent(new ClipboardEvent("paste", {
        clipboardData: data, bubbles: true, cancelable: true }));
}"""


def _open_article_editor(page, live_server, admin_user, article):
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    change_url = f"/admin/articles/article/{article.pk}/change/"
    page.goto(f"{live_server.url}/admin/login/?next={change_url}")
    page.fill("#id_username", admin_user.username)
    page.fill("#id_password", "password")
    page.click("[type=submit]")
    editor = page.locator(".prose-editor .ProseMirror[contenteditable=true]")
    editor.wait_for()
    return editor, errors


def test_word_lists_pasted_in_arabic_become_real_lists_and_are_saved_clean(live_server, admin_user):
    article = make_article(status=Article.Status.DRAFT, body="<p>مسودة سيحل محلها النص الملصق</p>")
    with chromium_page(1280, 1000) as page:
        editor, errors = _open_article_editor(page, live_server, admin_user, article)
        editor.click()
        page.keyboard.press("Control+A")  # the paste replaces the draft text
        editor.evaluate(PASTE, WORD_CLIPBOARD)

        # What the journalist sees straight after the paste.
        assert editor.locator("ul > li").count() == 3
        assert editor.locator("ol > li").count() == 2
        assert editor.locator("h2").inner_text() == "خطة البلدية لتطوير الحدائق العامة"
        assert editor.locator("ul > li").first.inner_text().strip() == "زراعة ألف شجرة"
        assert editor.locator("ol > li").nth(1).inner_text().strip() == "التنفيذ خلال عام"
        shown = editor.inner_text()
        assert "·" not in shown
        assert "١." not in shown
        assert "مسودة" not in shown
        screenshot(page, "admin-word-paste")

        page.click("input[name=_save]")
        page.wait_for_url(f"{live_server.url}/admin/articles/article/")
        assert [e for e in errors if "Content Security Policy" in e or "Error" in e] == []

    body = Article.objects.get(pk=article.pk).body
    bullets = re.findall(r"<ul>(.*?)</ul>", body, re.S)
    numbers = re.findall(r"<ol>(.*?)</ol>", body, re.S)
    assert len(bullets) == 1, body
    assert bullets[0].count("<li>") == 3, body
    assert len(numbers) == 1, body
    assert numbers[0].count("<li>") == 2, body
    assert "<h2>خطة البلدية لتطوير الحدائق العامة</h2>" in body
    assert "<strong>أعلنت البلدية</strong>" in body
    assert "<strong>للمشاة</strong>" in body
    assert "زراعة ألف شجرة" in body
    assert "تركيب إنارة موفرة للطاقة" in body
    assert "الدراسة والتصميم" in body
    assert "التنفيذ خلال عام" in body
    for junk in ("·", "١.", "٢.", "Mso", "mso-", "style=", "class=", "<!--", "<![", "o:p"):
        assert junk not in body, (junk, body)
    assert "&nbsp;" not in body  # Word's spacing paragraph and marker padding are gone


NESTED_WORD_LIST = """<p class=MsoListParagraphCxSpFirst style='mso-list:l0 level1 lfo1'><![if !supportLists]><span style='font-family:Symbol'>·<span
style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;</span></span><![endif]>أولاً</p>
<p class=MsoListParagraphCxSpMiddle style='mso-list:l0 level2 lfo1'><![if !supportLists]><span
style='font-family:"Courier New"'>o<span style='font:7.0pt "Times New Roman"'>&nbsp;</span></span><![endif]>فرع أ</p>
<p class=MsoListParagraphCxSpMiddle style='mso-list:l0 level2 lfo1'><![if !supportLists]><span
style='font-family:"Courier New"'>o<span style='font:7.0pt "Times New Roman"'>&nbsp;</span></span><![endif]>فرع ب</p>
<p class=MsoListParagraphCxSpLast style='mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='font-family:Symbol'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;</span></span><![endif]>ثانياً</p>
<p class=MsoListParagraph style='mso-list:l1 level1 lfo2'><!--[if !supportLists]--><span
style='mso-list:Ignore'>1.<span style='font:7.0pt "Times New Roman"'>&nbsp;</span></span><!--[endif]-->one</p>
<p class=MsoNormal>after<![if !supportLineBreakNewLine]><br><![endif]><o:p></o:p></p>"""


def test_word_list_levels_nest_and_a_new_list_id_starts_a_new_list(live_server, admin_user):
    article = make_article(status=Article.Status.DRAFT, body="<p>مسودة</p>")
    with chromium_page(1280, 900) as page:
        _open_article_editor(page, live_server, admin_user, article)
        cleaned = page.evaluate(
            # The module the widget config names: the same one the editor loaded.
            """async (html) => {
                const textarea = document.querySelector("[data-django-prose-editor-configurable]");
                const config = JSON.parse(textarea.dataset.djangoProseEditorConfigurable);
                const { cleanPastedHtml } = await import(config.js_modules[0]);
                return cleanPastedHtml(html);
            }""",
            NESTED_WORD_LIST,
        )
    compact = re.sub(r">\s+<", "><", cleaned).strip()
    assert compact == (
        "<ul><li><p>أولاً</p><ul><li><p>فرع أ</p></li><li><p>فرع ب</p></li></ul></li>"
        "<li><p>ثانياً</p></li></ul>"
        "<ol><li><p>one</p></li></ol>"
        "<p>after</p>"
    ), cleaned
