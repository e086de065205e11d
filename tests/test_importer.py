"""Wire copy in the sample's format becomes one faithful article."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles.models import Article
from tests.factories import make_section

pytestmark = pytest.mark.django_db

HEADLINE = "إنقاذ 549 طفلاً من جريمة الاستغلال الجنسي في عملية دولية"
STANDFIRST_START = "أنقذ التحالف الأمني الدولي 549 طفلاً"


def import_files(*paths, **options):
    """Run the command; return (stdout lines, stderr text, error or None)."""
    from io import StringIO

    out, err = StringIO(), StringIO()
    error = None
    try:
        call_command("import_article", *map(str, paths), stdout=out, stderr=err, **options)
    except CommandError as exc:
        error = exc
    return out.getvalue().splitlines(), err.getvalue(), error


def sample_paragraphs(sample_path):
    """The sample's body paragraphs as a reader should get them: every line, once, in order."""
    lines = [line.strip() for line in sample_path.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    assert lines[0] == lines[1] == "الخميس - 25 أبريل 2024"
    assert lines[2] == lines[3] == HEADLINE
    return lines[5:]


def test_sample_imports_exactly(sample_path):
    section = make_section(slug="دولي")
    lines, errors, error = import_files(sample_path, section="دولي", status="published")

    assert error is None
    article = Article.objects.get()
    assert errors == f"{sample_path}: استُورد في هذا التشغيل خبراً جديداً (رقم {article.pk})\n"
    assert lines == [article.get_absolute_url()]
    assert article.headline == HEADLINE
    assert article.standfirst.startswith(STANDFIRST_START)
    assert article.standfirst.endswith("عبر الشبكة العنكبوتية.")
    assert timezone.localtime(article.publish_at).date() == datetime.date(2024, 4, 25)
    assert article.section == section
    assert article.status == Article.Status.PUBLISHED
    expected = "\n".join(f"<p>{p}</p>" for p in sample_paragraphs(sample_path))
    assert article.body == expected
    assert article.body.count("<p>") == 13
    assert "«كوفيد-19»" in article.body


def test_importing_twice_leaves_one_article(sample_path):
    make_section(slug="دولي")
    first, *_ = import_files(sample_path, section="دولي")
    second, *_ = import_files(sample_path, section="دولي")
    assert Article.objects.count() == 1
    assert first == second


def test_publish_at_overrides_the_dateline(sample_path):
    make_section()
    import_files(sample_path, publish_at="2024-05-01T09:30+04:00", status="published")
    assert Article.objects.get().publish_at == datetime.datetime(
        2024, 5, 1, 5, 30, tzinfo=datetime.UTC
    )


def test_default_status_is_draft_and_hidden(client, sample_path):
    make_section()
    (url,), _, _ = import_files(sample_path)
    assert Article.objects.get().status == Article.Status.DRAFT
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "فارغ"),
        (b"  \n\n \n", "فارغ"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "ملف ثنائي وليس نصاً عادياً"),
        ("الخميس - 25 أبريل 2024\n".encode(), "بلا عنوان (سطر التاريخ فقط)"),
        ("الخميس - 25 أبريل 2024\nعنوان".encode("cp1256"), "ليس نصاً بترميز UTF-8"),
    ],
    ids=["empty", "blank", "binary", "no-headline", "undecodable"],
)
def test_bad_files_are_refused_by_name_and_others_still_import(
    tmp_path, sample_path, content, reason
):
    make_section()
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)

    lines, errors, error = import_files(bad, sample_path)

    assert error is not None  # non-zero exit
    assert f"{bad}: " in errors
    assert reason in errors
    assert len(lines) == 1  # the good file was imported and printed
    assert Article.objects.get().headline == HEADLINE


def test_unknown_section_is_a_clear_error(sample_path):
    make_section(slug="اقتصاد")
    _, _, error = import_files(sample_path, section="لا-يوجد")
    assert "قسم غير معروف «لا-يوجد»" in str(error)
    assert "اقتصاد" in str(error)
    assert not Article.objects.exists()


def test_missing_file_is_named(tmp_path):
    make_section()
    _, errors, error = import_files(tmp_path / "nowhere.txt")
    assert error is not None
    assert "nowhere.txt: تعذّرت قراءته" in errors


def test_contradicting_weekday_is_a_warning_not_a_crash(tmp_path):
    make_section()
    story = tmp_path / "friday.txt"
    story.write_text("الجمعة - 25 أبريل 2024\nعنوان الخبر\nالمقدمة\nفقرة", encoding="utf-8")
    lines, errors, error = import_files(story, status="published")
    assert error is None
    assert len(lines) == 1
    assert "تنبيه: يذكر سطر التاريخ يوم الجمعة لكن 2024-04-25 يوافق يوم الخميس" in errors
    article = Article.objects.get()
    assert timezone.localtime(article.publish_at).date() == datetime.date(2024, 4, 25)
    assert article.body == "<p>فقرة</p>"


def test_dateline_place_and_levantine_month_with_eastern_digits(tmp_path):
    make_section()
    story = tmp_path / "beirut.txt"
    story.write_text(
        "بيروت - الأحد - ٣ كانون الثاني ٢٠٢١\nعنوان من بيروت\nمقدمة\n", encoding="utf-8"
    )
    import_files(story, status="published")  # only publishing sets the time
    article = Article.objects.get()
    assert article.dateline_place == "بيروت"
    assert timezone.localtime(article.publish_at).date() == datetime.date(2021, 1, 3)


def test_dateline_in_full_width_digits_is_read_not_a_crash(tmp_path):
    # The dateline's pattern reads any decimal digit (as int() does); finding where the
    # date starts looked only for Western and Arabic ones and crashed (AttributeError).
    make_section()
    story = tmp_path / "wide.txt"
    full_width = str.maketrans("0123456789", "".join(chr(0xFF10 + d) for d in range(10)))
    dateline = "القاهرة - 25 أبريل 2024".translate(full_width)
    story.write_text(f"{dateline}\nعنوان الخبر\nالمقدمة\n", encoding="utf-8")
    _, errors, error = import_files(story, status="published")
    assert error is None, errors
    article = Article.objects.get()
    assert (article.headline, article.dateline_place) == ("عنوان الخبر", "القاهرة")
    assert timezone.localtime(article.publish_at).date() == datetime.date(2024, 4, 25)


def test_html_in_wire_copy_is_text_not_markup(tmp_path):
    make_section()
    story = tmp_path / "html.txt"
    story.write_text("عنوان\nمقدمة\n<script>alert(1)</script> نص", encoding="utf-8")
    import_files(story)
    assert Article.objects.get().body == "<p>&lt;script&gt;alert(1)&lt;/script&gt; نص</p>"
