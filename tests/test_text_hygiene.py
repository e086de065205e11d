"""Plain text that cannot break the site: cleaned in one place, whatever the path in.

Hostile input — Word's Shift+Enter (U+000B), other C0 and C1 controls, noncharacters,
lone surrogates, bidi overrides and isolates, text of only invisible characters, NFD —
through the model, the admin's forms over HTTP and the importer.
"""

import random
import unicodedata
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import models

from articles.models import Article, ArticleEvent, Author, Section, Tag
from articles.text import hygiene
from articles.text.hygiene import clean_line, clean_text, strip_unsafe
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

RLO, LRI, PDI, PDF = "\u202e", "\u2066", "\u2069", "\u202c"
NFD_NEWS = unicodedata.normalize("NFD", "أخبار")


# ---------------------------------------------------------------- the rules


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("الأسعار\x0bترتفع", "الأسعار ترتفع"),  # Word's Shift+Enter
        ("الأسعار\x0cترتفع\x1f", "الأسعار ترتفع"),
        ("سطر\r\nثان\u2028ثالث\x85رابع", "سطر ثان ثالث رابع"),
        ("\x00صفر\x01\x07\x1b\x7f", "صفر"),
        ("C1\x80\x9b\x9f نص", "C1 نص"),
        ("نص\ufffe\uffff\ufdd0\ufdef\U0001fffe\U0010ffff", "نص"),
        ("نص\ud800 وحيد\udfff", "نص وحيد"),
        (f"{RLO}gpj.exe{PDF} و{LRI}iso{PDI}", "gpj.exe وiso"),
        ("\u202a\u202b\u202d\u2067\u2068خبر", "خبر"),
        ("\ufeffخبر\u200b", "خبر"),
        ("  كلمات   كثيرة\t\tبينها  ", "كلمات كثيرة بينها"),
        (NFD_NEWS, "أخبار"),
        ("ﻻجئ ﺍﻟﻤﺨﻴﻢ", "لاجئ المخيم"),  # presentation forms pasted from a PDF
        ("محمد ﷺ", "محمد ﷺ"),  # an honorific written on purpose stays
        ("100\xa0كم", "100\xa0كم"),  # a no-break space stays
        ("بين\u200cالكلمات\u200d و\u200fعلامة", "بين\u200cالكلمات\u200d و\u200fعلامة"),
    ],
)
def test_one_line_text_is_cleaned(typed, stored):
    assert clean_line(typed) == stored


def test_multi_line_text_keeps_its_lines_and_tabs_but_not_the_junk():
    typed = "الفقرة\x0bالأولى  \r\n\r\n\r\n\r\n\tالثانية\u2029الثالثة\x00\n  "
    assert clean_text(typed) == "الفقرة\nالأولى\n\nالثانية\nالثالثة"
    assert clean_text("عمود\t\tعمود") == "عمود\tعمود"


def test_cleaning_is_idempotent_and_leaves_clean_text_alone():
    rng = random.Random(11)
    alphabet = (
        "ابتثجحخ أإآ ةى ـ \u064e\u0651 0123٤٥ abc \t\n\r\x0b\x0c\x00\x1c\x85\x9f\xa0\u2028"
        "\u202a\u202e\u2066\u2069\u200b\u200c\u200d\u200e\u200f\ufeff\uffff\ufdd5\ud800"
        "ﻻﺍﷺ\U0010fffe"
    )
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        for clean in (clean_line, clean_text):
            once = clean(text)
            assert clean(once) == once
            assert unicodedata.is_normalized("NFC", once)
            assert strip_unsafe(once) == once
        assert strip_unsafe(strip_unsafe(text)) == strip_unsafe(text)
    plain = "إنقاذ 549 طفلاً من جريمة الاستغلال في عملية دولية"
    assert clean_line(plain) is plain


# ---------------------------------------------------------------- the model


def test_the_model_stores_clean_text_whatever_the_path():
    section = make_section()
    story = Article(
        headline=f"النفط{RLO} يرتفع\x0bاليوم\uffff",
        standfirst="سطر\x0bثان\x01",
        dateline_place="دبي\x1b",
        body="<p>نص</p>",
        section=section,
    )
    story.full_clean()  # the workflow and the importer validate like this
    story.save()
    story.refresh_from_db()
    assert story.headline == "النفط يرتفع اليوم"
    assert story.standfirst == "سطر\nثان"
    assert story.dateline_place == "دبي"
    # save() alone (a path that skips full_clean) cleans too.
    Article.objects.filter(pk=story.pk).update(headline="قديم")
    story = Article.objects.create(headline="\x0bجديد\u2066", section=section, body="")
    assert Article.objects.get(pk=story.pk).headline == "جديد"


def test_a_lone_surrogate_is_cleaned_not_a_crash():
    story = Article(headline="خبر\ud83d عاجل", section=make_section(), body="")
    story.full_clean()
    story.save()  # psycopg would refuse to encode the surrogate: a 500
    assert Article.objects.get(pk=story.pk).headline == "خبر عاجل"


@pytest.mark.parametrize(
    "headline",
    [
        "\u200b\u200c\u200d",  # zero-width
        "\u200f\u200e\u061c",  # bidi marks
        "ـــــ",  # tatweel
        "\u064e\u0650\u0651\u0652",  # diacritics
        f"{RLO}{PDF}\x0b",  # cleaned away entirely
    ],
)
def test_a_headline_with_nothing_to_read_is_refused_in_arabic(headline):
    story = Article(headline=headline, section=make_section(), body="")
    with pytest.raises(ValidationError) as caught:
        story.full_clean()
    messages = caught.value.message_dict["headline"]
    assert any(
        "حرف" in message or "فارغ" in message or "مطلوب" in message for message in messages
    ), messages
    assert not any("article_" in message for message in caught.value.messages)


def test_names_captions_and_notes_are_cleaned_too():
    section = Section(name=f"اقتصاد{RLO}\x0b", slug="eco", description="وصف\x01\n\n\n\nثان")
    section.full_clean()
    section.save()
    author = Author.objects.create(name="ليلى\x0bأحمد", bio="سيرة\uffff")
    tag = Tag.objects.create(name=f"  {LRI}طاقة{PDI} ")
    story = make_article(section=section)
    event = ArticleEvent.objects.create(
        article=story, action="correct", note="ملاحظة\x0b", public_note=f"صُحّح{RLO} الرقم"
    )
    section.refresh_from_db(), author.refresh_from_db(), tag.refresh_from_db()
    event.refresh_from_db()
    assert (section.name, section.description) == ("اقتصاد", "وصف\n\nثان")
    assert (author.name, author.bio) == ("ليلى أحمد", "سيرة")
    assert tag.name == "طاقة"
    assert (event.note, event.public_note) == ("ملاحظة", "صُحّح الرقم")


def test_every_plain_text_column_goes_through_the_hygiene():
    """A new CharField/TextField people type into must be a Plain* field (or be listed here)."""
    not_plain_text = {
        ("article", "body"),  # rich text: articles/sanitize.py
        ("article", "source_key"),  # a hash
        ("articleevent", "from_status"),
        ("articleevent", "to_status"),
        ("image", "format"),
        ("rendition", "format"),
        ("commandrun", "name"),
        ("apipartner", "key_prefix"),  # made from the key
        ("apipartner", "key_digest"),
        ("image", "content_hash"),
        ("liveupdate", "body"),  # rich text: the sanitiser
        # The purge outbox: written by the application (keys, addresses, errors), never typed.
        ("pendingpurge", "target"),
        ("pendingpurge", "keys"),
        ("pendingpurge", "last_error"),
    }
    from django.apps import apps

    unguarded = [
        f"{model._meta.model_name}.{field.name}"
        for model in apps.get_app_config("articles").get_models()
        for field in model._meta.get_fields()
        if isinstance(field, (models.CharField, models.TextField))
        and not isinstance(field, (hygiene.PlainCharField, hygiene.PlainTextField))
        and not isinstance(field, models.SlugField)
        and not field.choices
        and field.name != "folded_name"
        and (model._meta.model_name, field.name) not in not_plain_text
    ]
    assert unguarded == []


# ---------------------------------------------------------------- the admin, over HTTP


@pytest.fixture
def chief(client):
    user = get_user_model().objects.create_superuser("chief", "chief@example.com", "x")
    client.force_login(user)
    return user


def add_story(client, section, **fields):
    data = {
        "headline": "خبر",
        "standfirst": "",
        "body": "<p>نص</p>",
        "section": section.pk,
        "dateline_place": "",
        "opened_version": "",
        "_save": "1",
        **fields,
    }
    return client.post("/admin/articles/article/add/", data)


def test_the_admin_form_stores_hostile_headlines_clean(client, chief):
    section = make_section()
    response = add_story(
        client,
        section,
        headline=f"\x00الأسعار\x0bترتفع{RLO}\x9b\uffff",
        standfirst="سطر\x0bثان\x07",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    story = Article.objects.get()
    assert story.headline == "الأسعار ترتفع"
    assert story.standfirst == "سطر\nثان"


def test_invalid_utf8_over_http_is_a_replacement_character_not_a_crash(client, chief):
    section = make_section()
    body = (
        "headline=%D8%AE%D8%A8%D8%B1%ED%A0%80&standfirst=&body=%3Cp%3En%3C%2Fp%3E"
        f"&section={section.pk}&dateline_place=&opened_version=&_save=1"
    )
    response = client.post(
        "/admin/articles/article/add/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 302
    assert Article.objects.get().headline.startswith("خبر")


def test_a_zero_width_headline_is_refused_in_the_admin_and_the_text_is_kept(client, chief):
    response = add_story(
        client, make_section(), headline="\u200b\u200d\u0640\u064e", standfirst="مقدمة محفوظة"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "اكتب حرفًا أو رقمًا واحدًا على الأقل" in html
    assert "مقدمة محفوظة" in html
    assert not Article.objects.exists()


@pytest.mark.parametrize("headline", ["", f"{RLO}\x0b"])
def test_an_empty_headline_never_shows_a_constraint_name(client, chief, headline):
    response = add_story(client, make_section(), headline=headline, standfirst="مقدمة")
    assert response.status_code == 200
    html = response.content.decode()
    assert "article_slug_not_empty" not in html
    assert "Constraint" not in html
    assert "هذا الحقل مطلوب" in html
    assert not Article.objects.exists()


def test_constraint_messages_are_arabic_sentences():
    for model in (Article, Section, Author, Tag):
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.CheckConstraint):
                message = str(constraint.get_violation_error_message())
                assert constraint.name not in message
                assert any("\u0600" <= ch <= "\u06ff" for ch in message), message


def test_the_section_author_and_image_admin_forms_clean_too(client, chief):
    response = client.post(
        "/admin/articles/section/add/",
        {"name": f"رياضة{RLO}\x0b", "slug": "sport", "description": "", "order": "0"},
    )
    assert response.status_code == 302
    assert Section.objects.get(slug="sport").name == "رياضة"
    response = client.post("/admin/articles/author/add/", {"name": "\u200b\u200f", "slug": "x"})
    assert response.status_code == 200
    assert "اكتب حرفًا أو رقمًا واحدًا على الأقل" in response.content.decode()
    assert not Author.objects.exists()


# ---------------------------------------------------------------- the importer


def test_the_importer_stores_hostile_wire_copy_clean(tmp_path):
    make_section(slug="news")
    path = tmp_path / "story.txt"
    path.write_text(
        "الخميس - 25 أبريل 2024\n"
        f"{NFD_NEWS} الطقس\x01 {RLO}اليوم\uffff\x80\n"
        f"المقدمة \x01هنا\ufeff{RLO}\n"
        "الفقرة الأولى.\n",
        encoding="utf-8",
    )
    call_command("import_article", str(path), section="news", stdout=StringIO())
    story = Article.objects.get()
    assert story.headline == "أخبار الطقس اليوم"
    assert story.standfirst == "المقدمة هنا"


def test_the_importer_refuses_a_headline_of_invisible_characters(tmp_path, capsys):
    make_section(slug="news")
    path = tmp_path / "story.txt"
    path.write_text("\u200b\u0640\u200f\nالمقدمة\n", encoding="utf-8")
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError):
        call_command("import_article", str(path), section="news", stdout=out, stderr=err)
    assert "حرف" in err.getvalue()
    assert not Article.objects.exists()


def test_picture_alt_text_caption_and_credit_are_cleaned_on_upload(settings, tmp_path):
    from articles.media import images
    from tests.images_helpers import photo_bytes, upload

    settings.MEDIA_ROOT = tmp_path / "media"
    image = images.create_image(
        upload(photo_bytes((800, 600))),
        alt_text=f"متظاهرون{RLO} في\x0bالساحة",
        caption="الساحة\x0bصباحًا\uffff",
        credit="وكالة\x1b الأنباء",
    )
    image.refresh_from_db()
    assert image.alt_text == "متظاهرون في الساحة"
    assert image.caption == "الساحة\nصباحًا"
    assert image.credit == "وكالة الأنباء"
    with pytest.raises(ValidationError) as caught:
        images.create_image(upload(photo_bytes((800, 600))), alt_text="\u200b\u0640")
    assert "حرف" in " ".join(caught.value.messages)


def test_wire_ingest_stores_clean_text_and_the_same_hostile_copy_again_changes_nothing(tmp_path):
    import json
    from pathlib import Path

    make_section(slug="local")
    item = json.loads(
        (Path(__file__).parent / "fixtures" / "wire" / "ninjs3_item.json").read_text("utf-8")
    )
    item["headlines"][0]["value"] = f"{NFD_NEWS}\x0bالمدارس{RLO}  اليوم\uffff"
    item["descriptions"][0]["value"] = "مقدمة\x0bثانية\x01 "
    item["located"] = f"عمّان{LRI}\x1b"

    def ingest(name, version):
        path = tmp_path / name
        path.write_text(json.dumps({**item, "version": version}), "utf-8")
        call_command("ingest", str(path), "--section", "local", stdout=StringIO())

    ingest("a.json", "4")
    story = Article.objects.get()
    assert story.headline == "أخبار المدارس اليوم"
    assert story.standfirst == "مقدمة\nثانية"
    assert story.dateline_place == "عمّان"
    before = (story.updated_at, story.version, story.revisions.count(), story.events.count())
    ingest("b.json", "5")  # identical copy, a later version: nothing moves
    story.refresh_from_db()
    assert (
        story.updated_at,
        story.version,
        story.revisions.count(),
        story.events.count(),
    ) == before
