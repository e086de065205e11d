import datetime

import pytest
from django.utils import timezone

from articles.text import arabic


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("الخميس - 25 أبريل 2024", datetime.date(2024, 4, 25)),
        ("الخميس - 25 إبريل 2024", datetime.date(2024, 4, 25)),
        ("الخميس - ٢٥ أبريل ٢٠٢٤", datetime.date(2024, 4, 25)),
        ("الخميس 25 نيسان 2024", datetime.date(2024, 4, 25)),
        ("السبت 1 حزيران 2024", datetime.date(2024, 6, 1)),
        ("الأحد - 3 كانون الثاني 2021", datetime.date(2021, 1, 3)),
        ("الجمعة 31 كانون الأول 2021", datetime.date(2021, 12, 31)),
        ("الخميس 1 يونيه 2023", datetime.date(2023, 6, 1)),
        ("السبت 1 يوليه 2023", datetime.date(2023, 7, 1)),
        ("الاثنين - 14 تشرين الأول 2024", datetime.date(2024, 10, 14)),
        ("الثلاثاء 5 تشرين الثاني 2024", datetime.date(2024, 11, 5)),
        ("الأربعاء 7 شباط 2024", datetime.date(2024, 2, 7)),
    ],
)
def test_parse_dateline_spellings(line, expected):
    parsed = arabic.parse_dateline(line)
    assert parsed.date == expected
    assert parsed.warning == ""


def test_parse_dateline_place():
    parsed = arabic.parse_dateline("دبي - الخميس - 25 أبريل 2024")
    assert (parsed.place, parsed.date) == ("دبي", datetime.date(2024, 4, 25))


@pytest.mark.parametrize("line", ["عنوان بلا تاريخ", "الخميس - 31 فبراير 2024", "25/04/2024"])
def test_not_a_dateline(line):
    with pytest.raises(arabic.DatelineError):
        arabic.parse_dateline(line)


def test_format_dateline_matches_the_wire_style(settings):
    assert arabic.format_dateline(datetime.date(2024, 4, 25)) == "الخميس - 25 أبريل 2024"
    settings.NEWSROOM_DIGITS = "eastern"
    assert arabic.format_dateline(datetime.date(2024, 4, 25)) == "الخميس - ٢٥ أبريل ٢٠٢٤"


def test_format_dateline_uses_the_newsroom_time_zone(settings):
    settings.TIME_ZONE = "Asia/Dubai"
    late_utc = datetime.datetime(
        2024, 4, 24, 22, 30, tzinfo=datetime.UTC
    )  # 02:30 on the 25th in Dubai
    assert arabic.format_dateline(late_utc) == "الخميس - 25 أبريل 2024"


def test_normalize_folds_what_readers_type_interchangeably():
    assert arabic.normalize("الأَطْفَالُ") == "الاطفال"
    assert arabic.normalize("إلى مدرسةٍ") == "الي مدرسه"
    assert arabic.normalize("آمـــال ٢٠٢٤") == "امال 2024"


def test_a_clock_time_reads_hours_and_minutes_on_the_site_clock_in_its_digits(settings):
    at = datetime.datetime(2026, 3, 1, 6, 5, 59, tzinfo=datetime.UTC)
    with timezone.override("Asia/Riyadh"):
        assert arabic.format_time(at) == "09:05"
        settings.NEWSROOM_DIGITS = "eastern"
        assert arabic.format_time(at) == "٠٩:٠٥"
