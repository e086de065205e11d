"""Arabic search: what readers type finds what we wrote, and nothing unpublished."""

import datetime
import html
import random
import re

import pytest
from django.db import connection
from django.db.models import TextField
from django.db.models.expressions import RawSQL
from django.utils import timezone

from articles.models import Article
from articles.site import search
from articles.text import lexicon
from articles.text.arabic import search_fold, search_fold_sql
from tests.factories import (
    SAMPLE,
    card_headlines,
    make_article,
    make_author,
    make_section,
    next_page_link,
)

pytestmark = pytest.mark.django_db


def found(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return response


def headlines(response):
    return card_headlines(response)


def notice(response) -> str:
    """The hint shown above the results, or "" when there is none."""
    found = re.search(r'<p class="notice" role="status">(.*?)</p>', response.content.decode())
    return html.unescape(found.group(1)) if found else ""


@pytest.mark.parametrize(
    ("query", "written"),
    [
        ("اطفال", "إنقاذ الأطفال من الغرق"),
        ("طفل", "إنقاذ طفلاً من الغرق"),
        ("الامارات", "أمطار غزيرة على الإمارات"),
        ("امارات", "أمطار غزيرة على الإمارات"),
        ("طِفْلٌ", "إنقاذ طفل من الغرق"),  # diacritics in the query, none in the story
        ("طفل", "إنقاذ طِفْلٍ من الغرق"),  # and the reverse
        ("مستشفي", "افتتاح مستشفى جديد"),  # alef maqsura typed as yaa
        ("مدرسه", "افتتاح مدرسة جديدة"),  # taa marbuta typed as haa
        ("٢٠٢٤", "ميزانية 2024 تتجاوز التوقعات"),  # Eastern digits
        ("اطفال", "ورشة للأهالي والأطفال"),  # article with a conjunction glued on
    ],
)
def test_arabic_query_finds_the_spelling_the_story_uses(client, query, written):
    make_article(headline=written)
    make_article(headline="خبر لا علاقة له بالموضوع")
    assert headlines(found(client, query)) == [written]


# Text that has broken folding before, or could: every rule at a word start, mid-word,
# at the start and end of the text and after punctuation, and words too short to lose
# their article. SQL and Python must fold each exactly alike.
HARD_FOLDING_CASES = [
    "والأطفالُ مستشفـى ٣٤ للإمارات الله الذي",
    # tashkeel on every letter, tatweel inside and between words
    "وَالْأَطْفَالُ فِي الْمَدْرَسَةِ ٱلْكِتَابُ لِلّٰهِ مُـحَـمَّـد ـالكتاب الـكتاب",
    # every folded letter, alone and inside words
    "أ إ آ ٱ ى ة أمير إسلام آمال ٱلرحمن مستشفى مدرسة هدى الى على",
    # Eastern and Persian digits, next to letters and inside an article word
    "٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹ ٢٠٢٤م ال٣٠ ٣الكتاب كتاب٤٥ ۱۴۰۳",
    # each article at a word start, mid-word, at the very start and end, after punctuation
    "الكتاب والكتاب فالكتاب بالكتاب كالكتاب للكتاب",
    "استقبال المال تحالف الحالات مقال كالسيف متكامل",
    "(الكتاب) «والمدرسة» ،بالقلم الكتاب.الجديد 12الكتاب abcالكتاب\nالكتاب\tالكتاب",
    "الكتاب",
    "من الكتاب",
    "كتاب ال",
    "ال لل وال فال بال كال",
    # too short to lose the article, and just long enough
    "الله لله والله بالله تالله الذي التي الى الا اله الاب الابن والد والدة فالح بالغ كالب",
    # an article left after an article was removed is kept: one per word
    "والالتزام الالتزام للالتزام الللل اللاعب والوالد بالبال",
    # runs of separators, a lone tatweel between marks, nothing at all
    "  الكتاب   ـ  ـال ـلل  ",
    "",
]


def fold_in_postgresql(texts):
    """search_fold_sql applied by PostgreSQL to each text, in order."""
    from django.db.models.sql import Query

    query = Query(Article)
    expression = search_fold_sql(RawSQL("t.text", [], output_field=TextField()))
    sql, params = expression.resolve_expression(query).as_sql(
        query.get_compiler(connection=connection), connection
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {sql} FROM unnest(%s::text[]) WITH ORDINALITY AS t(text, n) ORDER BY n",
            [*params, list(texts)],
        )
        return [folded for (folded,) in cursor.fetchall()]


@pytest.mark.parametrize("text", [SAMPLE.read_text(), *HARD_FOLDING_CASES])
def test_search_folding_is_the_same_in_python_and_postgresql(text):
    assert fold_in_postgresql([text]) == [search_fold(text)]


def test_search_folding_agrees_on_random_mixtures_of_the_hard_parts():
    # Thousands of words glued from the pieces the rules look at, in any order.
    pieces = [
        *("وال", "فال", "بال", "كال", "لل", "ال", "ال", "ال"),
        *"أإآٱىةـ",
        *"\u064b\u064e\u064f\u0650\u0651\u0652\u0670\u0610\u06d6",
        *"كتبمدرسهعلي",
        *"٣۴7",
        *(" ", " ", " ", "  ", "\n", "،", ".", "(", "«", "-", "x"),
    ]
    rng = random.Random(20240425)
    texts = ["".join(rng.choices(pieces, k=rng.randint(1, 60))) for _ in range(2_000)]
    assert fold_in_postgresql(texts) == [search_fold(text) for text in texts]


def test_the_stored_search_column_is_python_folding_of_each_field():
    story = make_article(
        headline=HARD_FOLDING_CASES[1] + " الوزراء والمدارس",
        standfirst=HARD_FOLDING_CASES[2] + " شوارع مدينة",
        # Digits too: the body's folding looks for them in the raw body (cheaper).
        body="<p>" + "</p><p>".join(HARD_FOLDING_CASES[3:-1]) + "</p><p>بيوت اليد</p>",
    )
    story.refresh_from_db()
    body_words = re.sub("<[^>]*>", " ", story.body)
    fields = [search_fold(story.headline), search_fold(story.standfirst), search_fold(body_words)]
    # Stems less the stop words, as PostgreSQL's stemmer gives them, and the plural
    # groups' keys as Python finds them: the stored column must be exactly that.
    expected_parts = " || ".join(
        f"setweight(ts_delete(to_tsvector('arabic', %s), %s::text[])"
        f" || array_to_tsvector(%s::text[]), '{weight}')"
        for weight in "ABC"
    )
    params = []
    for folded in fields:
        params += [folded, sorted(lexicon.STOP_LEXEMES), sorted(lexicon.index_keys(folded))]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT search_vector::text, ({expected_parts})::text"
            " FROM articles_article WHERE id = %s",
            [*params, story.pk],
        )
        stored, expected = cursor.fetchone()
    assert stored == expected
    assert "'1403':" in stored  # Persian digits in the body, folded
    for key in ("'_وزير'", "'_مدرسه'", "'_شارع'", "'_مدينه'", "'_بيت'", "'_يد'", "'_كتاب'"):
        assert key in stored
    assert "'في'" not in stored
    assert "'من'" not in stored


def test_the_stemmer_gives_one_stem_with_and_without_the_article():
    # Why search_fold() removes the article: PostgreSQL's stemmer alone does not.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_tsvector('arabic', 'امارات')::text"
            " = to_tsvector('arabic', 'الامارات')::text,"
            " to_tsvector('arabic', %s)::text = to_tsvector('arabic', %s)::text",
            [search_fold("امارات"), search_fold("الإمارات")],
        )
        stemmer_alone, folded = cursor.fetchone()
    assert (stemmer_alone, folded) == (False, True)


def test_headline_outranks_standfirst_outranks_body():
    when = timezone.now() - datetime.timedelta(hours=1)
    make_article(headline="خبر عن الطقس", body="<p>الأطفال في المدارس</p>", publish_at=when)
    make_article(headline="خبر عن الاقتصاد", standfirst="الأطفال والأسواق", publish_at=when)
    make_article(headline="الأطفال يعودون إلى المدارس", publish_at=when)
    terms = search.parse_query("اطفال")
    assert [a.headline for a in search.search(terms)] == [
        "الأطفال يعودون إلى المدارس",
        "خبر عن الاقتصاد",
        "خبر عن الطقس",
    ]


def test_at_equal_relevance_the_newer_story_comes_first():
    now = timezone.now()
    make_article(headline="الأطفال قديماً", publish_at=now - datetime.timedelta(days=300))
    make_article(headline="الأطفال اليوم", publish_at=now - datetime.timedelta(hours=2))
    make_article(headline="الأطفال أمس", publish_at=now - datetime.timedelta(days=1))
    terms = search.parse_query("الأطفال")
    assert [a.headline for a in search.search(terms)] == [
        "الأطفال اليوم",
        "الأطفال أمس",
        "الأطفال قديماً",
    ]


def test_a_strong_old_match_loses_to_recent_news_only_with_time():
    now = timezone.now()
    make_article(headline="الأطفال", publish_at=now - datetime.timedelta(days=3650))
    make_article(
        headline="خبر", body="<p>عن الأطفال</p>", publish_at=now - datetime.timedelta(hours=1)
    )
    terms = search.parse_query("اطفال")
    assert [a.headline for a in search.search(terms)] == ["خبر", "الأطفال"]


def test_only_live_stories_are_found(client):
    now = timezone.now()
    make_article(headline="الأطفال منشور")
    make_article(headline="الأطفال مسودة", status=Article.Status.DRAFT)
    make_article(headline="الأطفال مجدول", publish_at=now + datetime.timedelta(hours=1))
    make_article(
        headline="الأطفال منتهي",
        publish_at=now - datetime.timedelta(days=2),
        expire_at=now - datetime.timedelta(hours=1),
    )
    make_article(headline="الأطفال مسحوب", status=Article.Status.WITHDRAWN)
    assert headlines(found(client, "اطفال")) == ["الأطفال منشور"]


def test_the_index_follows_update_and_bulk_create():
    story = make_article(headline="خبر أول")
    Article.objects.filter(pk=story.pk).update(headline="زلزال في المحيط")
    section = story.section
    Article.objects.bulk_create(
        [
            Article(
                headline="بركان يثور",
                slug="volcano",
                section=section,
                status=Article.Status.PUBLISHED,
                publish_at=timezone.now(),
            )
        ]
    )
    assert [a.headline for a in search.search(search.parse_query("زلزال"))] == ["زلزال في المحيط"]
    assert [a.headline for a in search.search(search.parse_query("بركان"))] == ["بركان يثور"]
    assert not search.search(search.parse_query("أول")).exists()


def test_excerpt_marks_the_reader_s_words_in_the_original_spelling(client):
    make_article(
        headline="عنوان",
        standfirst="أعلنت الوزارة خطة جديدة",
        body="<p>تشمل الخطة حماية الأطفال على الإنترنت، و<b>تدريب</b> الأهالي.</p>",
    )
    response = found(client, "اطفال")
    html = response.content.decode()
    assert "حماية <mark>الأطفال</mark> على" in html
    assert "<b>تدريب</b>" not in html  # the body's markup is text in an excerpt


def test_excerpt_escapes_whatever_the_story_contains(client):
    make_article(
        headline="عنوان", standfirst="الأطفال &lt;script&gt;alert(1)&lt;/script&gt; <mark>"
    )
    html = found(client, "اطفال").content.decode()
    excerpt = re.search(r'search-excerpt">(.*?)</p>', html, re.S).group(1)
    assert "<script" not in excerpt
    assert re.findall(r"</?[a-z]+", excerpt) == ["<mark", "</mark"]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "!!!؟؟ ... ،،",
        "<script>alert(1)</script>",
        "'; DROP TABLE articles_article; --",
        "اطفال & | ! :* ( ) <-> '",
        "اطفال " * 1000,
        "\x00\ue000\ue001",
    ],
)
def test_hostile_queries_are_harmless(client, query):
    make_article(headline="الأطفال في أمان")
    response = client.get("/search/", {"q": query})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in page
    # Either a hint, the story the words name, or the Arabic "nothing matches" line.
    assert (
        notice(response) or headlines(response) == ["الأطفال في أمان"] or "لا أخبار تطابق" in page
    )
    assert Article.objects.count() == 1


def test_empty_and_punctuation_queries_get_an_arabic_hint(client):
    assert "اكتب" in notice(found(client, ""))
    assert "الحروف" in notice(found(client, "!!!"))


def test_a_long_query_is_trimmed_and_the_reader_is_told(client):
    make_article(headline="الأطفال في أمان")
    response = found(client, "اطفال " + "ا" * 5000)
    # The search box keeps what was searched: the query cut to its first characters.
    box = re.search(r'name="q" id="[^"]+" value="([^"]*)"', response.content.decode())
    assert len(html.unescape(box.group(1))) == search.MAX_QUERY_CHARS
    assert str(search.MAX_QUERY_CHARS) in notice(response)


def test_filters_by_section_and_date(client):
    sports, economy = make_section("رياضة", slug="sport"), make_section("اقتصاد", slug="eco")
    now = timezone.localtime()
    make_article(
        headline="الأطفال والرياضة", section=sports, publish_at=now - datetime.timedelta(days=10)
    )
    make_article(
        headline="الأطفال والاقتصاد", section=economy, publish_at=now - datetime.timedelta(hours=1)
    )
    assert headlines(found(client, "اطفال", section="sport")) == ["الأطفال والرياضة"]
    since = (now - datetime.timedelta(days=2)).date().isoformat()
    assert headlines(found(client, "اطفال", published_from=since)) == ["الأطفال والاقتصاد"]
    until = (now - datetime.timedelta(days=5)).date().isoformat()
    assert headlines(found(client, "اطفال", published_to=until)) == ["الأطفال والرياضة"]


def test_a_bad_filter_is_reported_and_the_words_still_searched(client):
    make_article(headline="الأطفال في أمان")
    response = found(client, "اطفال", published_from="2024-13-45", section="لا-يوجد")
    assert headlines(response) == ["الأطفال في أمان"]
    errors = re.search(r'class="form-errors" role="alert">(.*?)</div>', response.content.decode())
    # Each bad filter is named with its error, and the reader told it was not applied.
    assert "<p>من تاريخ: " in errors.group(1)
    assert "<p>القسم: " in errors.group(1)
    assert "لم يُطبَّق" in errors.group(1)


def test_results_are_paginated_and_out_of_range_pages_are_404(client, settings):
    settings.NEWSROOM_PAGE_SIZE = 2
    for n in range(5):
        make_article(headline=f"الأطفال {n}")
    first, second, third = (found(client, "اطفال", page=p) for p in (1, 2, 3))
    seen = headlines(first) + headlines(second) + headlines(third)
    assert len(seen) == len(set(seen)) == 5
    assert next_page_link(third) is None
    for page in ("4", "0", "-1", "abc", str(search.MAX_PAGES + 1)):
        assert client.get("/search/", {"q": "اطفال", "page": page}).status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_search_query_count_is_flat(client, django_assert_max_num_queries, count):
    section = make_section()
    authors = [make_author(), make_author()]
    for n in range(count):
        make_article(headline=f"الأطفال {n}", section=section, authors=authors)
    with django_assert_max_num_queries(6):
        response = found(client, "اطفال", section=section.slug)
    assert headlines(response)


def test_ranking_is_bounded_to_the_newest_matches_and_dates_reach_older_ones(client, monkeypatch):
    monkeypatch.setattr(search, "RANKED_CANDIDATES", 5)
    now = timezone.now()
    for n in range(6):
        make_article(headline=f"أخبار المكتبة {n}", publish_at=now - datetime.timedelta(days=n + 1))
    oldest = make_article(
        headline="المكتبة القديمة المكتبة", publish_at=now - datetime.timedelta(days=400)
    )

    assert oldest.headline not in headlines(found(client, "المكتبة"))
    day = timezone.localtime(oldest.publish_at).date()
    narrowed = found(client, "المكتبة", published_from=day, published_to=day)
    assert headlines(narrowed) == [oldest.headline]


# Issue 14: broken plurals, both ways (articles/text/plurals.tsv).
@pytest.mark.parametrize(
    ("query", "written"),
    [
        ("مدرسة", "افتتاح المدارس في الموعد"),
        ("المدارس", "افتتاح مدرسة جديدة في الحي"),
        ("كتاب", "معرض الكتب يفتح أبوابه"),
        ("وزير", "اجتماع الوزراء يبحث الميزانية"),
        ("مسجد", "ترميم المساجد القديمة"),
        ("بيت", "سيول تغمر البيوت"),
        ("شارع", "إغلاق الشوارع أمام السيارات"),
        ("مدارس", "تطوير مدرسة البنات"),
        ("وزراء", "وزير الصحة يزور المستشفى"),
        ("للمدارس", "جولة في المدارس"),
        ("وبالأطفال", "رعاية الطفل"),
    ],
)
def test_a_plural_finds_its_singular_and_back(client, query, written):
    make_article(headline=written)
    make_article(headline="خبر لا علاقة له بالموضوع")
    assert headlines(found(client, query)) == [written]


@pytest.mark.parametrize(
    ("query", "unrelated"),
    [
        ("كتاب", "افتتاح مكتب جديد للبريد"),
        ("كتاب", "الكاتب يوقع روايته"),
        ("مكتب", "معرض الكتب يفتح أبوابه"),
        ("وزير", "تحديث الجهاز الإداري"),
        ("امام", "خطبة الأئمة في المساجد"),  # أمام (in front of) is not إمام
        # The stemmer alone joins these (وزير -> زير, سيارات -> يارا): protected words.
        ("وزير", "أغنية زير النساء"),
        ("سيارات", "حفل المغنية يارا"),
        ("جامعة", "صلاة الجمعة في الجامع الكبير"),
    ],
)
def test_words_sharing_a_root_do_not_find_each_other(client, query, unrelated):
    make_article(headline=unrelated)
    assert headlines(found(client, query)) == []


@pytest.mark.parametrize(
    ("query", "exact", "other"),
    [
        ("وزير", "تصريح الوزير اليوم", "تصريح الوزراء اليوم"),
        ("وزراء", "تصريح الوزراء اليوم", "تصريح الوزير اليوم"),
        ("مدارس", "زيارة المدارس اليوم", "زيارة المدرسة اليوم"),
    ],
)
def test_the_form_searched_for_ranks_above_its_plural_or_singular(query, exact, other):
    when = timezone.now() - datetime.timedelta(hours=1)
    make_article(headline=other, publish_at=when)
    make_article(headline=exact, publish_at=when)
    assert [a.headline for a in search.search(search.parse_query(query))] == [exact, other]


def test_the_excerpt_marks_the_plural_a_singular_found(client):
    make_article(headline="الميزانية", body="<p>اجتمع الوزراء صباح اليوم لمناقشة الميزانية.</p>")
    page = found(client, "وزير").content.decode()
    assert "<mark>الوزراء</mark>" in page


def test_function_words_are_not_indexed_and_not_asked_for(client):
    make_article(headline="الحرب في غزة")
    # "في" is left out of the query, so the other words still find the story.
    assert headlines(found(client, "الحرب في غزة")) == ["الحرب في غزة"]
    response = found(client, "في من")
    assert headlines(response) == []
    assert "شائعة" in notice(response)  # told why, in Arabic
