"""Arabic full-text search over live stories.

How a story is indexed: ``Article.search_vector`` is a PostgreSQL *generated*
column. Its expression is the search folding of ``arabic.py`` (normalize() and
the article taken off each word) rendered as SQL, fed to the ``arabic``
configuration, headline weighted A, standfirst B, body C. We chose a generated
column over a Python-computed field because nothing can write a story without
PostgreSQL recomputing it: ``save()``, ``QuerySet.update()``, ``bulk_create()``,
``bulk_update()``, a migration or raw SQL. The folding rule still lives once, in
arabic.py; the Python and SQL renderings are checked against each other in the
tests. Queries are folded in Python with the same rule, so "اطفال" meets
"الأطفال", "امارات" meets "الإمارات" and a query with tashkeel meets plain text.

How an excerpt is made: ts_headline runs over the *folded* text (so it marks
exactly the words the index matched), with private-use characters as markers;
the markers are mapped back onto the original words (folding only drops or swaps
characters, see ``arabic.fold_with_offsets``), and the text is escaped here, so
the only markup in an excerpt is our own ``<mark>``.
"""

import datetime
import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQueryField
from django.db import connection
from django.db.models import (
    BooleanField,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Extract
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article, Section
from articles.models.querysets import ArticleQuerySet
from articles.text import lexicon
from articles.text.arabic import fold_with_offsets, search_fold, swap_characters

MAX_QUERY_CHARS = 100  # longer queries are cut here, and the reader is told
MAX_QUERY_WORDS = 8
# Relevance halves for a story this many days old (so news beats archive at equal match).
RECENCY_HALF_LIFE_DAYS = 30.0
MAX_PAGES = 20  # search pages are ranked, so they are numbered; deep pages are refused
# Ranking reads every candidate's index entry, so it is bounded: the newest matches,
# as many as the pages can show, are ranked. A word found in nearly every story (a
# common word in a newsroom that covers one subject) would otherwise rank 100,000
# rows per search; the recency factor above means an older match would rarely have
# outranked them anyway. Older matches are reached by narrowing the dates or adding
# words: both filters apply before the bound.
RANKED_CANDIDATES = MAX_PAGES * 12

_WORD = re.compile(r"[^\W_]+")
_MARK_OPEN, _MARK_CLOSE = "\ue000", "\ue001"  # private use: never in real copy
_EXCERPT_SOURCE_CHARS = 8_000  # the opening of the story: where an excerpt is worth reading
_NOT_MARKUP = {"<": " ", ">": " ", "&": " "}
_HEADLINE_OPTIONS = (
    f'StartSel="{_MARK_OPEN}", StopSel="{_MARK_CLOSE}", MaxWords=35, MinWords=15, ShortWord=2'
)


@dataclass(frozen=True)
class Terms:
    """A reader's query, made safe: only folded words, joined with AND.

    Words hold letters and digits only, so they cannot carry tsquery operators.
    """

    text: str  # what the reader typed, trimmed to MAX_QUERY_CHARS
    words: tuple[str, ...]
    trimmed: bool
    common_words_only: bool = False  # every word was one the index leaves out (في، من…)

    @property
    def tsquery(self) -> str:
        """For ts_headline: each word or the other forms of its plural group."""
        return " & ".join(
            "(" + " | ".join((word, *lexicon.other_forms(word))) + ")" for word in self.words
        )

    def as_sql(self) -> tuple[str, list[str]]:
        """The tsquery matched against the index: each word's stem, or its group's key."""
        parts: list[str] = []
        params: list[str] = []
        for word in self.words:
            key = lexicon.group_key(word)
            if key is None:
                parts.append("to_tsquery('arabic', %s)")
                params.append(word)
            elif lexicon.is_protected(word):  # its stem would find unrelated words
                parts.append("%s::tsquery")
                params.append(f"'{key}'")
            else:  # a key is letters and "_": safe inside the quotes of a tsquery literal
                parts.append("(to_tsquery('arabic', %s) || %s::tsquery)")
                params.extend([word, f"'{key}'"])
        return "(" + " && ".join(parts) + ")", params

    def __bool__(self) -> bool:
        return bool(self.words)


def parse_query(raw: str | None) -> Terms:
    text = " ".join((raw or "").split())
    trimmed = len(text) > MAX_QUERY_CHARS
    text = text[:MAX_QUERY_CHARS]
    folded = tuple(dict.fromkeys(_WORD.findall(search_fold(text))))
    words = tuple(word for word in folded if word not in lexicon.STOP_WORDS)[:MAX_QUERY_WORDS]
    return Terms(
        text=text, words=words, trimmed=trimmed, common_words_only=bool(folded) and not words
    )


def _tsquery(terms: Terms) -> RawSQL:
    sql, params = terms.as_sql()
    # The words travel as parameters; the SQL text is ours (Terms.as_sql).
    return RawSQL(sql, params, output_field=SearchQueryField())  # noqa: S611


def search(
    terms: Terms,
    *,
    section: Section | None = None,
    published_from: datetime.date | None = None,
    published_to: datetime.date | None = None,
    at: datetime.datetime | None = None,
) -> ArticleQuerySet:
    """Live stories matching every word, best first (relevance, then recency)."""
    at = at or timezone.now()
    query = _tsquery(terms)
    age_days = Extract(
        ExpressionWrapper(Value(at) - F("publish_at"), output_field=DurationField()), "epoch"
    ) / Value(86400.0)
    score = ExpressionWrapper(
        Func(F("search_vector"), query, function="ts_rank", output_field=FloatField())
        / (Value(1.0) + age_days / Value(RECENCY_HALF_LIFE_DAYS)),
        output_field=FloatField(),
    )
    matches = Func(
        F("search_vector"),
        query,
        template="%(expressions)s",
        arg_joiner=" @@ ",
        output_field=BooleanField(),
    )
    stories = Article.objects.live(at=at).filter(matches)
    if section is not None:
        stories = stories.filter(section=section)
    if published_from:
        stories = stories.filter(publish_at__gte=_start_of(published_from))
    if published_to and published_to < datetime.date.max:  # the last date has no next day
        stories = stories.filter(publish_at__lt=_start_of(published_to + datetime.timedelta(1)))
    newest_matches = stories.order_by("-publish_at", "-id").values("pk")[:RANKED_CANDIDATES]
    return (
        Article.objects.filter(pk__in=newest_matches)
        .annotate(score=score)
        .order_by("-score", "-publish_at", "-id")
    )


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight of ``day`` on the site's clock (readers mean their dates, not UTC's)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def excerpts(stories: Iterable[Article], terms: Terms) -> dict[int, SafeString]:
    """A highlighted, HTML-safe excerpt for each story, in one query."""
    sources = {story.pk: _plain_text(story) for story in stories}
    if not sources:
        return {}
    folded = {pk: fold_with_offsets(text) for pk, text in sources.items()}
    pks = list(folded)
    # PostgreSQL's parser drops what looks like a tag from a headline; blank out
    # those characters (one for one, so offsets still hold; the original keeps them).
    parsed = [swap_characters(folded[pk][0], _NOT_MARKUP) for pk in pks]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT source.pk, ts_headline('arabic', source.text, to_tsquery('arabic', %s), %s)"
            " FROM unnest(%s::bigint[], %s::text[]) AS source(pk, text)",
            [terms.tsquery, _HEADLINE_OPTIONS, pks, parsed],
        )
        marked = dict(cursor.fetchall())
    return {
        pk: _map_back(
            sources[pk], swap_characters(text, _NOT_MARKUP), offsets, marked.get(pk) or ""
        )
        for pk, (text, offsets) in folded.items()
    }


def _plain_text(story: Article) -> str:
    body = html.unescape(strip_tags(story.body.replace("<", " <")))
    text = " ".join(f"{story.standfirst} {body}".split())[:_EXCERPT_SOURCE_CHARS]
    return text.replace(_MARK_OPEN, "").replace(_MARK_CLOSE, "")


def _map_back(original: str, folded: str, offsets: list[int], marked: str) -> SafeString:
    """Carry ts_headline's marks from the folded text onto ``original``, escaped."""
    bare = marked.replace(_MARK_OPEN, "").replace(_MARK_CLOSE, "")
    start = folded.find(bare) if bare else -1
    if start < 0:  # nothing to map (empty text): a plain, escaped opening
        return escape(" ".join(original.split()[:30]))
    spans: list[tuple[int, int]] = []
    position, open_at = start, None
    for char in marked:
        if char == _MARK_OPEN:
            open_at = position
        elif char == _MARK_CLOSE:
            if open_at is not None and position > open_at:
                spans.append((open_at, position))
            open_at = None
        else:
            position += 1
    end = start + len(bare)

    def word_start(i: int) -> int:  # back over the letters and marks folding dropped
        while i > 0 and _is_word_char(original[i - 1]):
            i -= 1
        return i

    def word_end(i: int) -> int:
        while i < len(original) and _is_word_char(original[i]):
            i += 1
        return i

    out_start, out_end = word_start(offsets[start]), word_end(offsets[end - 1] + 1)
    pieces: list[str] = []
    cursor = out_start
    for a, b in spans:
        mark_start, mark_end = word_start(offsets[a]), word_end(offsets[b - 1] + 1)
        if mark_start < cursor:
            continue
        pieces.append(escape(original[cursor:mark_start]))
        pieces.append(f"<mark>{escape(original[mark_start:mark_end])}</mark>")
        cursor = mark_end
    pieces.append(escape(original[cursor:out_end]))
    lead = "… " if out_start > 0 else ""
    tail = " …" if out_end < len(original) else ""
    return mark_safe(lead + "".join(pieces) + tail)


def _is_word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LMN" or char == "\u0640"
