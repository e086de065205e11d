"""Search quality beside its baselines, on the relevance set (not part of the test suite).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<any migrated database> \\
        .venv/bin/python bench/relevance.py

Scores the judgments of tests/relevance/ (81 stories, 202 judgments) for three systems,
each ranking by ts_rank over headline (weight A) and body (weight C):

- ``arabic alone``: PostgreSQL's `arabic` configuration on the raw text and the
  raw query (plainto_tsquery), what a stock Django SearchVector would do;
- ``fold of main``: the search folding before issue 14 (hamza, ya, ta marbuta,
  tashkeel, digits, the article) and its AND query, no lexicon, no stop words;
- ``this branch``: the stored column's own function (newsroom_search_vector) on the
  folding of articles/arabic.py, and the query of articles/search.py (plural groups,
  protected words, no function words).

Everything happens in temporary tables of one session: the database is not changed.
Prints, per kind of judgment, how many were found, precision@10 and recall@10 (see
tests/relevance/measure.py for the definitions).
"""

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import TextField  # noqa: E402
from django.db.models.expressions import RawSQL  # noqa: E402
from django.db.models.sql import Query  # noqa: E402

from articles.models import Article  # noqa: E402
from articles.site.search import parse_query  # noqa: E402
from articles.text.arabic import normalize, search_fold_sql  # noqa: E402
from tests.relevance import measure  # noqa: E402

# The folding as it was on main before this work (articles/text/arabic.py before migration 0017).
_MAIN_PREFIXES = ("وال", "فال", "بال", "كال", "لل", "ال")
_MAIN_ARTICLE = re.compile(f"(^|[^ء-ي])(?:{'|'.join(_MAIN_PREFIXES)})(?=[ء-ي]{{3}})")
_WORD = re.compile(r"[^\W_]+")


def main_fold(text: str) -> str:
    return _MAIN_ARTICLE.sub(r"\1", normalize(text))


def fold_sql(column: str) -> tuple[str, list]:
    query = Query(Article)
    expression = search_fold_sql(RawSQL(column, [], output_field=TextField()))
    return expression.resolve_expression(query).as_sql(
        query.get_compiler(connection=connection), connection
    )


def load(cursor, corpus) -> None:
    cursor.execute(
        "CREATE TEMP TABLE relevance_story (key text, headline text, body text,"
        " main_headline text, main_body text)"
    )
    cursor.executemany(
        "INSERT INTO relevance_story VALUES (%s, %s, %s, %s, %s)",
        [(k, h, b, main_fold(h), main_fold(b)) for k, (h, b) in corpus.items()],
    )
    headline, headline_params = fold_sql("headline")
    body, body_params = fold_sql("body")
    cursor.execute(
        "CREATE TEMP TABLE relevance_vector AS SELECT key,"
        " setweight(to_tsvector('arabic', headline), 'A')"
        "  || setweight(to_tsvector('arabic', body), 'C') AS alone,"
        " setweight(to_tsvector('arabic', main_headline), 'A')"
        "  || setweight(to_tsvector('arabic', main_body), 'C') AS main,"
        f" setweight(newsroom_search_vector({headline}), 'A')"
        f"  || setweight(newsroom_search_vector({body}), 'C') AS branch"
        " FROM relevance_story",
        [*headline_params, *body_params],
    )


def ranked(cursor, column: str, tsquery_sql: str, params) -> list[str]:
    cursor.execute(
        f"SELECT key FROM relevance_vector, ({tsquery_sql}) AS q(query)"
        f" WHERE {column} @@ q.query ORDER BY ts_rank({column}, q.query) DESC, key",
        params,
    )
    return [key for (key,) in cursor.fetchall()]


def answers(cursor, queries) -> dict[str, dict[str, list[str]]]:
    systems = {"arabic alone": {}, "fold of main": {}, "this branch": {}}
    for text in queries:
        systems["arabic alone"][text] = ranked(
            cursor, "alone", "SELECT plainto_tsquery('arabic', %s)", [text]
        )
        words = list(dict.fromkeys(_WORD.findall(main_fold(text))))[:8]
        systems["fold of main"][text] = ranked(
            cursor, "main", "SELECT to_tsquery('arabic', %s)", [" & ".join(words)]
        )
        terms = parse_query(text)
        sql, params = terms.as_sql() if terms else ("''::tsquery", [])
        systems["this branch"][text] = ranked(cursor, "branch", f"SELECT {sql}", params)
    return systems


def run() -> None:
    judgments = measure.judgments()
    queries = list(dict.fromkeys(judgment.query for judgment in judgments))
    with connection.cursor() as cursor:
        load(cursor, measure.corpus())
        systems = answers(cursor, queries)
    print(f"Relevance set: {len(measure.corpus())} stories, {len(judgments)} judgments")
    for name, found in systems.items():
        print(f"\n{name}\n{measure.table(measure.score(found, judgments))}")


if __name__ == "__main__":
    run()
