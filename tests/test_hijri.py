"""The Hijri (Umm al-Qura) date beside the Gregorian one: masthead and article page."""

import datetime
import re

import pytest
from hijridate import Gregorian, Hijri

from articles.text import hijri
from tests.factories import make_article

pytestmark = pytest.mark.django_db

SAMPLE_DAY = datetime.date(2024, 4, 25)


def test_the_sample_day_reads_as_a_newspaper_prints_it():
    assert hijri.format_full_dateline(SAMPLE_DAY) == "الخميس 16 شوال 1445 هـ - 25 أبريل 2024"


def test_eastern_digits_follow_the_setting(settings):
    settings.NEWSROOM_DIGITS = "eastern"
    assert hijri.format_full_dateline(SAMPLE_DAY) == "الخميس ١٦ شوال ١٤٤٥ هـ - ٢٥ أبريل ٢٠٢٤"


def test_a_setting_turns_the_hijri_date_off(settings, client):
    settings.NEWSROOM_HIJRI_DATE = False
    assert hijri.format_full_dateline(SAMPLE_DAY) == "الخميس - 25 أبريل 2024"
    story = make_article(publish_at=datetime.datetime(2024, 4, 25, 9, tzinfo=datetime.UTC))
    assert " هـ " not in client.get(story.get_absolute_url()).content.decode()


# Known Umm al-Qura month starts (as announced): the day before ends the last month.
@pytest.mark.parametrize(
    ("gregorian", "expected"),
    [
        (datetime.date(2024, 3, 10), "الأحد 29 شعبان 1445 هـ - 10 مارس 2024"),
        (datetime.date(2024, 3, 11), "الاثنين 1 رمضان 1445 هـ - 11 مارس 2024"),
        (datetime.date(2024, 4, 9), "الثلاثاء 30 رمضان 1445 هـ - 9 أبريل 2024"),
        (datetime.date(2024, 4, 10), "الأربعاء 1 شوال 1445 هـ - 10 أبريل 2024"),
        (datetime.date(2024, 7, 7), "الأحد 1 محرم 1446 هـ - 7 يوليو 2024"),
    ],
)
def test_month_boundaries(gregorian, expected):
    assert hijri.format_full_dateline(gregorian) == expected


def test_every_day_of_three_years_agrees_with_the_librarys_own_conversion():
    # Month starts and ends included: each Hijri month's first and last day, both ways.
    day = datetime.date(2023, 1, 1)
    while day < datetime.date(2026, 1, 1):
        library = Gregorian(day.year, day.month, day.day).to_hijri()
        text = hijri.format_full_dateline(day)
        match = re.match(r"\S+ (\d+) (.+) (\d+) هـ - ", text)
        assert (int(match[1]), hijri.MONTHS.index(match[2]) + 1, int(match[3])) == (
            library.day,
            library.month,
            library.year,
        ), day
        if library.day == 1:  # the library's table: month starts convert back exactly
            assert Hijri(library.year, library.month, 1).to_gregorian() == day
        day += datetime.timedelta(days=1)


def test_a_date_outside_the_tables_shows_the_gregorian_date_alone(client):
    assert hijri.format_full_dateline(datetime.date(1900, 1, 1)) == "الاثنين - 1 يناير 1900"
    story = make_article(publish_at=datetime.datetime(1900, 1, 1, 9, tzinfo=datetime.UTC))
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200


def test_the_article_page_and_masthead_show_both_dates_with_iso_in_time(client):
    story = make_article(publish_at=datetime.datetime(2024, 4, 25, 9, tzinfo=datetime.UTC))
    html = client.get(story.get_absolute_url()).content.decode()
    dateline = re.search(r'<p class="story__dateline">.*?</p>', html).group(0)
    assert re.search(
        r'<time datetime="2024-04-25T\d\d:00:00\+\d\d:\d\d">'
        r"الخميس 16 شوال 1445 هـ - 25 أبريل 2024</time>",
        dateline,
    )
    masthead = re.search(r'<p class="masthead__date">(.*?)</p>', html).group(1)
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\d">\S+ \d+ .+ \d{4} هـ - ', masthead)
