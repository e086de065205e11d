"""The Hijri date (Umm al-Qura) that Arabic newspapers print beside the Gregorian one.

Computed on the fly with the hijridate package (its Umm al-Qura tables), never
stored. The day is the newsroom's civil day, as in print: the Hijri date changes at
midnight with the Gregorian one, not at sunset. Turned off with NEWSROOM_HIJRI_DATE.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from hijridate import Gregorian

from articles.text import arabic

MONTHS = (
    "محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة",
    "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة",
)  # fmt: skip


def hijri_parts(day: datetime.date) -> tuple[int, int, int] | None:
    """(year, month, day) in the Umm al-Qura calendar, or None outside its tables."""
    try:
        hijri = Gregorian(day.year, day.month, day.day).to_hijri()
    except OverflowError:  # the tables cover 1924-08-01 to 2077-11-16
        return None
    return hijri.year, hijri.month, hijri.day


def _local_date(value: datetime.datetime | datetime.date) -> datetime.date:
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def format_full_dateline(value: datetime.datetime | datetime.date) -> str:
    """``الخميس 16 شوال 1445 هـ - 25 أبريل 2024``; without the Hijri date when it is
    turned off or out of the tables' range (then ``الخميس - 25 أبريل 2024``)."""
    day = _local_date(value)
    parts = hijri_parts(day) if getattr(settings, "NEWSROOM_HIJRI_DATE", True) else None
    if parts is None:
        return arabic.format_dateline(day)
    year, month, hijri_day = parts
    weekday = arabic.WEEKDAYS[day.weekday()]
    gregorian = f"{day.day} {arabic.MONTHS[day.month - 1]} {day.year}"
    return arabic.localize_digits(
        f"{weekday} {hijri_day} {MONTHS[month - 1]} {year} هـ - {gregorian}"
    )
