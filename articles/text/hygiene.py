"""Plain text, cleaned in one place: what people type or paste is stored tidy and safe.

Every plain-text field of the models (headlines, standfirsts, names, tags, captions,
credits, alt text, notes, descriptions) is a ``PlainCharField`` (one line) or a
``PlainTextField`` (several lines). Both clean their value whenever Django validates
it (``full_clean()``: the workflow, the importer, every form and the admin) and again
when it is saved, so no path stores text the rules refuse:

- no C0 or C1 control characters: a vertical tab (Word's Shift+Enter), form feed and
  the other line breaks become a space on one line, a line break where lines are
  allowed; tabs survive only in multi-line text; the rest (NUL, escape, DEL, …) go;
- no noncharacters (U+FFFE, U+FFFF, U+FDD0–U+FDEF and the last two of every plane),
  no lone surrogates, no byte-order mark, no deprecated format controls;
- no bidi embedding, override or isolate controls (U+202A–U+202E, U+2066–U+2069):
  they can reverse what a reader sees (a headline, a link). The marks that carry no
  state (LRM, RLM, ALM) and the joiners Arabic and Persian need (ZWJ, ZWNJ) stay;
- Arabic presentation forms pasted from PDFs (``ﻻ``, ``ﺍ``) become the letters
  they show (NFKC on those characters only: the honorific ligatures such as ``ﷺ``
  are written on purpose and stay); then Unicode NFC;
- whitespace collapsed: one space between words, no space at either end, at most
  one blank line between paragraphs.

Cleaning is idempotent, so text already clean comes back unchanged. Serialisers
(feeds, sitemaps, JSON-LD, the page's ``<title>`` and meta tags) pass what they write
through ``strip_unsafe()``: the same character rules without the tidying, so even a
row written around the models (raw SQL) cannot break a feed or spoof a title.

What cannot be cleaned into meaning is refused: ``has_letter_or_digit`` rejects a
name or headline of only invisible characters, tatweel or diacritics.
"""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

TATWEEL = "\u0640"
NAME_KEY_LENGTH = 200  # the longest name_key(): tags store it in a column this wide

# Line breaks of every kind: Word's Shift+Enter (VT), form feed, the file/group/record
# separators Python's splitlines() honours, NEL, and Unicode's line/paragraph separators.
_LINE_BREAKS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
# Characters no stored or served text may hold (line breaks and tab are handled apart).
_ASTRAL_NONCHARACTERS = "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17)
)
_FORBIDDEN = "".join(
    [
        "\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f",  # C0 and C1 controls, DEL
        "\ud800-\udfff",  # surrogates: only ever alone in a Python string
        "\ufdd0-\ufdef\ufffe\uffff",  # noncharacters of the first plane
        _ASTRAL_NONCHARACTERS,
        _BIDI_CONTROLS,
        "\u206a-\u206f",  # deprecated format controls
        "\ufeff",  # byte-order mark / zero-width no-break space
        "\ufff9-\ufffb",  # interlinear annotation
    ]
)
_FORBIDDEN_RE = re.compile(f"[{_FORBIDDEN}]")
_FORBIDDEN_KEEPING_BIDI_RE = re.compile(f"[{_FORBIDDEN.replace(_BIDI_CONTROLS, '')}]")
_BIDI_RE = re.compile(f"[{_BIDI_CONTROLS}]")
_UNSAFE_RE = re.compile(f"[{_FORBIDDEN}{_LINE_BREAKS}\t]")
_BREAK_RE = re.compile(f"\r\n|[{_LINE_BREAKS}]")
# Arabic presentation forms (contextual letters and letter ligatures), not the
# honorific ligatures U+FDF0–U+FDFF.
_PRESENTATION_FORMS_RE = re.compile("[\ufb50-\ufdcf\ufe70-\ufefe]+")
_SPACES_RE = re.compile(r"\s+")
_NO_BREAK_SPACES = frozenset("\xa0\u202f\u2007")
_BLANK_LINES_RE = re.compile(r"\n{3,}")
# Invisible characters that mean nothing at the ends of a field.
_EDGE = " \u200b\u2060"
# Fast path: text with none of these needs only the NFC check.
_NEEDS_WORK_RE = re.compile(
    f"[{_FORBIDDEN}{_LINE_BREAKS}\t\ufb50-\ufdcf\ufe70-\ufefe\u200b\u2060]|\\s\\s|[^\\S ]|^\\s|\\s$"
)


def clean_line(text: str) -> str:
    """One-line text (a headline, a name, a credit) cleaned by the rules above."""
    if not text:
        return ""
    if _NEEDS_WORK_RE.search(text) is None and unicodedata.is_normalized("NFC", text):
        return text
    text = _characters(_BREAK_RE.sub(" ", text.replace("\t", " ")))
    return _collapse(text).strip(_EDGE)


def clean_text(text: str) -> str:
    """Multi-line text (a standfirst, a caption, a note): lines kept, each tidied."""
    if not text:
        return ""
    text = _characters(_BREAK_RE.sub("\n", text))
    lines = (_collapse(line).strip(_EDGE + "\t") for line in text.split("\n"))
    return _BLANK_LINES_RE.sub("\n\n", "\n".join(lines)).strip(_EDGE + "\n\t")


def strip_unsafe(text: str, *, keep_bidi: bool = False) -> str:
    """Only the character rules: what a serialiser may write of any stored text.

    Line breaks and tabs stay; forbidden characters go (a vertical tab or form feed
    becomes a space). ``keep_bidi`` leaves bidi controls alone (rich text outside
    links, where a writer may have isolated a phrase on purpose). Text already clean
    comes back unchanged, quickly.
    """
    # isprintable() (in C) is False for every control, format, surrogate and unassigned
    # character: when it is True there is nothing to look for.
    if not text or text.isprintable() or _UNSAFE_RE.search(text) is None:
        return text
    text = text.replace("\x0b", " ").replace("\x0c", " ")
    return (_FORBIDDEN_KEEPING_BIDI_RE if keep_bidi else _FORBIDDEN_RE).sub("", text)


def strip_unsafe_everywhere(value):
    """``strip_unsafe()`` on every string inside ``value`` (dicts, lists: JSON documents)."""
    if isinstance(value, str):
        return strip_unsafe(value)
    if isinstance(value, dict):
        return {key: strip_unsafe_everywhere(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [strip_unsafe_everywhere(item) for item in value]
    return value


def strip_bidi_controls(text: str) -> str:
    """Bidi embedding, override and isolate controls removed (link text in rich text)."""
    return _BIDI_RE.sub("", text) if text else text


def has_letter_or_digit(text: str) -> bool:
    """True when ``text`` holds something to read: a letter or a digit, tatweel aside."""
    return any(
        unicodedata.category(ch)[0] in "LN" for ch in text if ch != TATWEEL
    )  # marks (diacritics), format and space characters are not enough


def validate_has_letter_or_digit(value: str) -> None:
    if value and not has_letter_or_digit(value):
        raise ValidationError(
            _(
                "Write at least one letter or digit: invisible characters, tatweel "
                "or diacritics alone are not text."
            ),
            code="no_letters",
        )


def name_key(text: str) -> str:
    """What makes two names "the same" (tags): cleaned, NFKC, search-folded, case-folded.

    «أخبار» typed as NFC or NFD, «ﻻجئ» and «لاجئ», «الأخبار» and «اخبار» meet.
    """
    from articles.text.arabic import search_fold

    folded = search_fold(unicodedata.normalize("NFKC", clean_line(text)))
    # Bounded: NFKC spells a ligature such as «﷽» out in dozens of letters.
    return " ".join(folded.casefold().split())[:NAME_KEY_LENGTH]


def _characters(text: str) -> str:
    text = _FORBIDDEN_RE.sub("", text)
    text = _PRESENTATION_FORMS_RE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return unicodedata.normalize("NFC", text)


def _collapse(text: str) -> str:
    """Runs of spaces become one; a lone run of no-break spaces stays a no-break space."""
    return _SPACES_RE.sub(_one_space, text)


def _one_space(match: re.Match) -> str:
    run = match.group()
    if "\n" in run:
        return "\n"
    if "\t" in run:
        return "\t"
    return run[0] if set(run) <= _NO_BREAK_SPACES else " "


# ---------------------------------------------------------------- fields


class _PlainFormField(forms.CharField):
    """The form side: the text is cleaned before the form's own checks (length, NUL)."""

    def __init__(self, *, multiline: bool = False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return (clean_text if self.multiline else clean_line)(value) if value else value


class _CleanedOnValidationAndSave:
    cleaner = staticmethod(clean_line)
    multiline = False

    def to_python(self, value):
        value = super().to_python(value)
        return self.cleaner(value) if isinstance(value, str) else value

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            value = self.cleaner(value)
            setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(
            **{"form_class": _PlainFormField, "multiline": self.multiline, **kwargs}
        )


class PlainCharField(_CleanedOnValidationAndSave, models.CharField):
    """A one-line plain-text column, cleaned by ``clean_line()`` on validation and save."""


class PlainTextField(_CleanedOnValidationAndSave, models.TextField):
    """A multi-line plain-text column, cleaned by ``clean_text()`` on validation and save."""

    cleaner = staticmethod(clean_text)
    multiline = True


def clean_plain_fields(instance: models.Model) -> None:
    """Every plain-text field of ``instance`` cleaned in place now, not at validation:
    for code that compares what it is about to save with what is stored."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, _CleanedOnValidationAndSave):
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                setattr(instance, field.attname, field.cleaner(value))
