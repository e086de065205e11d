"""Arabic text: datelines, digits and search normalisation.

Everything the project knows about writing Arabic lives here, so the importer,
the templates and search agree on it.
"""

import datetime
import re
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext as _

if TYPE_CHECKING:  # only search_fold_sql builds expressions; it imports them when called
    from django.db.models import Func
    from django.db.models.expressions import Combinable

# Python's weekday(): Monday == 0.
WEEKDAYS = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")
MONTHS = (
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
    "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
)  # fmt: skip

# Spellings met in wire copy, keyed by their normalised form (see normalize()).
_MONTH_NAMES = {
    1: ("يناير", "كانون الثاني"),
    2: ("فبراير", "شباط"),
    3: ("مارس", "آذار"),
    4: ("أبريل", "إبريل", "ابريل", "نيسان"),
    5: ("مايو", "أيار", "ايار"),
    6: ("يونيو", "يونيه", "حزيران"),
    7: ("يوليو", "يوليه", "تموز"),
    8: ("أغسطس", "اغسطس", "آب"),
    9: ("سبتمبر", "أيلول", "ايلول"),
    10: ("أكتوبر", "اكتوبر", "تشرين الأول"),
    11: ("نوفمبر", "تشرين الثاني"),
    12: ("ديسمبر", "كانون الأول"),
}
_WEEKDAY_NAMES = {
    0: ("الاثنين", "الإثنين", "الأثنين", "اثنين"),
    1: ("الثلاثاء", "ثلاثاء"),
    2: ("الأربعاء", "الاربعاء", "أربعاء"),
    3: ("الخميس", "خميس"),
    4: ("الجمعة", "جمعة"),
    5: ("السبت", "سبت"),
    6: ("الأحد", "الاحد", "أحد"),
}

EASTERN_DIGITS = "٠١٢٣٤٥٦٧٨٩"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_TO_EASTERN = str.maketrans("0123456789", EASTERN_DIGITS)

_TASHKEEL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
_LETTER_FOLDS = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"}


def swap_characters(text: str, table: dict[str, str]) -> str:
    """str.translate for a few characters; replace() is many times faster on long text."""
    for old, new in table.items():
        if old in text:
            text = text.replace(old, new)
    return text


_WESTERN = dict(zip(EASTERN_DIGITS + PERSIAN_DIGITS, "0123456789" * 2, strict=True))


def to_western_digits(text: str) -> str:
    return swap_characters(text, _WESTERN)


def to_eastern_digits(text: str) -> str:
    return text.translate(_TO_EASTERN)


def localize_digits(text: str | int) -> str:
    """Digits as the site is configured to show them (settings.NEWSROOM_DIGITS)."""
    if getattr(settings, "NEWSROOM_DIGITS", "western") == "eastern":
        return to_eastern_digits(str(text))
    return str(text)


def normalize(text: str) -> str:
    """Fold the spellings readers type interchangeably, for matching and search.

    Hamza forms of alef become bare alef, alef maqsura becomes yaa, taa marbuta
    becomes haa; tashkeel and tatweel go; Eastern digits become Western.
    """
    text = _TASHKEEL.sub("", text.replace(_TATWEEL, ""))
    return to_western_digits(swap_characters(text, _LETTER_FOLDS))


def format_dateline(value: datetime.datetime | datetime.date) -> str:
    """The wire-copy dateline style: ``الخميس - 25 أبريل 2024``."""
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    text = f"{WEEKDAYS[value.weekday()]} - {value.day} {MONTHS[value.month - 1]} {value.year}"
    return localize_digits(text)


def format_time(value: datetime.datetime) -> str:
    """A clock time for readers: ``14:05``."""
    from django.utils import timezone

    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return clock_face(value)


def clock_face(local: datetime.datetime) -> str:
    """format_time() of a time already on the site's clock (a page of many converts once).
    Written out: strftime() costs five times as much, and a live page shows forty."""
    return localize_digits(f"{local.hour:02d}:{local.minute:02d}")


class DatelineError(ValueError):
    """The line is not a dateline we can read."""


def _lookup(table: dict[int, tuple[str, ...]]) -> dict[str, int]:
    return {normalize(name): number for number, names in table.items() for name in names}


_MONTHS_BY_NAME = _lookup(_MONTH_NAMES)
_WEEKDAYS_BY_NAME = _lookup(_WEEKDAY_NAMES)
_MONTH_PATTERN = "|".join(sorted(map(re.escape, _MONTHS_BY_NAME), key=len, reverse=True))
_DATE = re.compile(rf"(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH_PATTERN})\s*[،,]?\s*(?P<year>\d{{4}})")


class Dateline:
    """A parsed dateline: the date, an optional place, and any warning."""

    def __init__(self, date: datetime.date, place: str = "", warning: str = ""):
        self.date, self.place, self.warning = date, place, warning

    def __repr__(self) -> str:
        return f"Dateline({self.date!r}, place={self.place!r}, warning={self.warning!r})"


def parse_dateline(line: str) -> Dateline:
    """Read ``[place -] [weekday -] day month year`` in any spelling we know.

    A weekday that contradicts the date is reported as a warning; the date wins.
    """
    folded = normalize(" ".join(line.split()))
    match = _DATE.search(folded)
    if not match:
        raise DatelineError(f"not a dateline: {line!r}")
    month = _MONTHS_BY_NAME[match["month"]]
    try:
        date = datetime.date(int(match["year"]), month, int(match["day"]))
    except ValueError as exc:
        raise DatelineError(f"impossible date in dateline {line!r}: {exc}") from None

    # What stands before the date: "[place] - [weekday] -", separators optional.
    # normalize() may shorten the text (tashkeel), so find the day in the original, by
    # the same digits _DATE reads (any decimal digit: full-width ones as well as 25 and ٢٥).
    original = " ".join(line.split())
    original_head = re.split(r"\d", original, maxsplit=1)[0]
    parts = [p.strip() for p in re.split(r"\s+[-–—]\s+|[-–—،,]\s*$|^\s*[-–—]", original_head)]
    parts = [p.strip(" -–—،,") for p in parts if p and p.strip(" -–—،,")]
    warning = ""
    place_parts: list[str] = []
    for part in parts:
        weekday = _WEEKDAYS_BY_NAME.get(normalize(part))
        if weekday is None:
            place_parts.append(part)
        elif weekday != date.weekday():
            warning = _(
                "the dateline says %(said)s but %(date)s is a %(weekday)s; the date is kept"
            ) % {"said": part, "date": date.isoformat(), "weekday": WEEKDAYS[date.weekday()]}
    return Dateline(date, place=" - ".join(place_parts), warning=warning)


# --- Search folding -----------------------------------------------------------
# PostgreSQL's `arabic` snowball stemmer strips the definite article from some
# words but not others ("الامارات" -> امار but "امارات" -> امارا; "والاطفال" is
# kept whole), so one word with and without "ال" would not meet. Search folding
# is normalize() and then the article (with any particle glued to it) removed
# before the stemmer sees the word. The rule is written once, here, and rendered
# both as Python (queries, excerpts) and as SQL (the stored search column, see
# search_fold_sql), so the two cannot drift; tests/test_search.py checks
# that they agree on real copy and on every hard case.
# A conjunction before a preposition before the article (وبالأطفال، وللمدارس) too.
ARTICLE_PREFIXES = ("وبال", "فبال", "وكال", "ولل", "وال", "فال", "بال", "كال", "لل", "ال")
# The article goes only when three letters or more stay ("الله", "الذي" keep it).
_ARTICLE_PATTERN = f"(^|[^ء-ي])(?:{'|'.join(ARTICLE_PREFIXES)})(?=[ء-ي]{{3}})"
_ARTICLE_RE = re.compile(_ARTICLE_PATTERN)
_DROPPED_MARKS = _TASHKEEL.pattern[:-1] + _TATWEEL + "]"  # tashkeel and tatweel
_DROPPED_RE = re.compile(_DROPPED_MARKS)


def search_fold(text: str) -> str:
    """What search compares: normalize(), then the article taken off each word."""
    return fold_with_offsets(text)[0]


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """search_fold(text), and for each folded character its index in ``text``.

    Folding only drops characters or swaps one for one, so a highlight found in
    the folded text maps back onto the words the reader wrote.
    """
    # Keep the runs between dropped marks (slices and ranges: no per-character Python).
    runs: list[str] = []
    offsets: list[int] = []
    last = 0
    for mark in _DROPPED_RE.finditer(text):
        runs.append(text[last : mark.start()])
        offsets.extend(range(last, mark.start()))
        last = mark.end()
    runs.append(text[last:])
    offsets.extend(range(last, len(text)))
    kept = "".join(runs)
    folded = to_western_digits(swap_characters(kept, _LETTER_FOLDS))
    # Remove each article: everything matched except the boundary in group 1.
    pieces: list[str] = []
    piece_offsets: list[int] = []
    last = 0
    for match in _ARTICLE_RE.finditer(folded):
        cut = match.end(1)
        pieces.append(folded[last:cut])
        piece_offsets.extend(offsets[last:cut])
        last = match.end()
    pieces.append(folded[last:])
    piece_offsets.extend(offsets[last:])
    return "".join(pieces), piece_offsets


# The SQL rendering is written for speed: PostgreSQL computes it for every story
# written, and the generator writes 100,000 (measured per 1,800-character body on
# PostgreSQL 15; the old chain cost ~0.56 ms a row, this one ~0.15):
# - translate() walks its whole "from" list for every character (~0.01 ms a row per
#   listed character), so the six letter folds are replace() calls (~0.008 ms each),
#   and the twenty digits run only when the source has one.
# - regexp_replace() pays ~1 microsecond per match, and the article matches ~100
#   times a body. So the regular expressions only mark the rare cases (an article
#   word too short to lose it, an article after something other than a space) and
#   plain replace() calls strip the article after a space. The mark is tatweel: the
#   tashkeel step removed every tatweel, so any left is ours, and it is one of the
#   letters [ء-ي], so a marked word no longer starts a word for later steps.
_DIGITS = EASTERN_DIGITS + PERSIAN_DIGITS
_HAS_DIGIT = f"[{_DIGITS}]"
_MARK = _TATWEEL
_LETTER = "ء-ي"
_ANY_ARTICLE = "(?:" + "|".join(ARTICLE_PREFIXES) + ")"
# An article word with fewer than three letters after the article keeps it: marked.
_SHORT_ARTICLE_WORD = f"(?<![{_LETTER}])({_ANY_ARTICLE}[{_LETTER}]{{0,2}})(?![{_LETTER}])"
# Any other article at a word start that is not after a space: removed here.
_ARTICLE_NOT_AFTER_SPACE = f"(?<![{_LETTER} ]){_ANY_ARTICLE}"


def search_fold_sql(expression: "Combinable", source: "Combinable | None" = None) -> "Func":
    """The same folding as a PostgreSQL expression (immutable, for a generated column).

    ``source``, when given, is a cheaper expression whose characters include every
    character of ``expression`` (the raw body for its tag-stripped text): the test
    for digits reads it instead of computing ``expression`` twice.
    """
    from django.db.models import Case, Func, TextField, Value, When
    from django.db.models.lookups import Regex

    def call(function: str, *args: "Combinable") -> Func:
        return Func(*args, function=function, output_field=TextField())

    def text(value: str) -> Value:
        return Value(value, output_field=TextField())

    def regexp_replace(expr: "Combinable", pattern: str, replacement: str) -> Func:
        return call("regexp_replace", expr, text(pattern), text(replacement), text("g"))

    def replace(expr: "Combinable", old: str, new: str) -> Func:
        return call("replace", expr, text(old), text(new))

    western = call("translate", expression, text(_DIGITS), text("0123456789" * 2))
    digits_folded = Case(
        When(Regex(source if source is not None else expression, text(_HAS_DIGIT)), then=western),
        default=expression,
        output_field=TextField(),
    )
    folded = regexp_replace(digits_folded, _DROPPED_MARKS, "")
    for old, new in _LETTER_FOLDS.items():
        folded = replace(folded, old, new)
    folded = regexp_replace(folded, _SHORT_ARTICLE_WORD, _MARK + r"\1")
    folded = regexp_replace(folded, _ARTICLE_NOT_AFTER_SPACE, "")
    # One replace() per article; each leaves the mark, so a word that still starts
    # with an article after losing one ("والالتزام") is not stripped twice.
    for prefix in ARTICLE_PREFIXES:
        folded = replace(folded, " " + prefix, " " + _MARK)
    return replace(folded, _MARK, "")
