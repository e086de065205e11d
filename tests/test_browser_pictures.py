"""In a real browser: pictures on phone and desktop, and the RTL body editor in the admin."""

import os

import pytest

from articles.media import images
from tests.browser import ARTIFACTS, chromium, chromium_page
from tests.factories import make_article
from tests.images_helpers import photo_bytes, upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _browser_env(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ARTIFACTS.mkdir(exist_ok=True)


def test_article_with_lead_and_inline_image_on_phone_and_desktop(live_server):
    lead = images.create_image(
        upload(photo_bytes((2400, 1600))),
        alt_text="الصورة الرئيسية",
        caption="تعليق الصورة الرئيسية",
        credit="وكالة الأنباء",
    )
    inline = images.create_image(
        upload(photo_bytes((1600, 1200), color=(30, 160, 60))), alt_text="صورة داخل النص"
    )
    src = inline.renditions.get(shape="original", format="jpeg").file.url
    article = make_article(
        headline="خبر مصور عن افتتاح المكتبة العامة",
        lead_image=lead,
        body=(
            "<p>افتُتحت المكتبة العامة صباح اليوم بحضور عدد كبير من الزوار.</p>"
            f'<figure class="figure"><img src="{src}" alt="" data-file="{inline.pk}">'
            "<figcaption>القاعة الرئيسية في المكتبة</figcaption></figure>"
            "<p>وتضم المكتبة أكثر من مئة ألف كتاب.</p>"
        ),
    )
    url = live_server.url + article.get_absolute_url()
    with chromium() as browser:
        for name, width in (("phone", 390), ("desktop", 1280)):
            page = browser.new_page(viewport={"width": width, "height": 900})
            failed = []  # any picture, stylesheet or font that did not load (favicon aside)
            page.on(
                "response",
                lambda r, failed=failed: (
                    r.status >= 400 and not r.url.endswith("/favicon.ico") and failed.append(r.url)
                ),
            )
            page.goto(url)
            page.wait_for_load_state("networkidle")
            page.evaluate("document.querySelectorAll('img').forEach(i => i.loading = 'eager')")
            page.wait_for_function(
                "[...document.querySelectorAll('picture img')].every(i => i.complete)"
            )
            pictures = page.evaluate(
                """[...document.querySelectorAll('picture img')].map(i => ({
                    src: i.currentSrc, natural: i.naturalWidth, shown: i.clientWidth,
                    ratio: i.clientHeight / i.clientWidth}))"""
            )
            assert len(pictures) == 2, pictures
            for picture in pictures:
                assert picture["natural"] > 0, picture  # it loaded
                assert picture["src"].endswith(".webp"), picture  # the WebP source was chosen
                assert picture["natural"] >= picture["shown"], picture  # sharp, not upscaled
            assert abs(pictures[0]["ratio"] - 1600 / 2400) < 0.02
            overflow = page.evaluate("document.documentElement.scrollWidth > innerWidth")
            assert not overflow, "the page scrolls sideways"
            assert failed == []
            page.screenshot(path=ARTIFACTS / f"article-pictures-{name}.png", full_page=True)
            page.close()


def test_body_editor_is_rtl_works_under_csp_and_cleans_a_word_paste(live_server, admin_user):
    with chromium_page(1280, 1000) as page:
        errors = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.goto(live_server.url + "/admin/login/?next=/admin/articles/article/add/")
        page.fill("#id_username", admin_user.username)
        page.fill("#id_password", "password")
        page.click("[type=submit]")
        editor = page.locator(".prose-editor .ProseMirror[contenteditable=true]")
        editor.wait_for()
        assert editor.evaluate("e => getComputedStyle(e).direction") == "rtl"
        editor.click()
        page.keyboard.type("نص عربي مع كلمة English في الوسط.")
        page.keyboard.press("Enter")
        word_html = (
            '<p class="MsoNormal" style="color:red"><b><span style="font-size:14pt">عريض'
            "</span></b> عادي<o:p></o:p></p><ul><li>بند</li></ul><script>alert(1)</script>"
        )
        editor.evaluate(
            """(e, html) => { const dt = new DataTransfer(); dt.setData('text/html', html);
            dt.setData('text/plain', 'x');
            e.dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true,
            cancelable: true})); }""",
            word_html,
        )
        inner = editor.inner_html()
        assert "عريض" in inner
        assert "<strong>" in inner
        assert "<li>" in inner
        assert "MsoNormal" not in inner
        assert "font-size" not in inner
        assert "<script" not in inner
        assert "English" in inner
        toolbar = page.locator(".prose-menubar")
        assert toolbar.count() == 1
        page.screenshot(path=ARTIFACTS / "admin-body-editor.png", full_page=False)
        csp_errors = [e for e in errors if "Content Security Policy" in e]
        assert csp_errors == [], csp_errors
    assert os.path.exists(ARTIFACTS / "admin-body-editor.png")
