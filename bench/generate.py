"""Generate N stories of realistic Arabic copy for benchmarks (not part of the tests).

    .venv/bin/python bench/generate.py --stories 100000 --seed 1

Text is cut from the sample wire story, spread over sections, tags, authors and ten
years of publication dates, with a few drafts, stories in review, scheduled, expired
and withdrawn. Rows go in with COPY over two connections. The same seed gives the
same stories.

Into an empty story table (a fresh benchmark database) the story table's own indexes
(Article.Meta.indexes: the search GIN, the trigram GINs, the listing indexes) are
dropped first and built again after the load, two at a time: building an index once
costs a fraction of keeping it up to date row by row. Primary keys, unique and foreign
key indexes stay. If a load is interrupted, the indexes are missing until the next run
of this script, which first builds any of them that is missing (`--stories 0` does
only that); `--keep-indexes` loads with the indexes in place.
"""

import argparse
import datetime
import os
import random
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DEBUG", "true")

SECTION_NAMES = [
    "محليات", "عربي ودولي", "اقتصاد", "رياضة", "ثقافة وفنون", "تكنولوجيا",
    "صحة", "تعليم", "سياحة", "رأي", "منوعات", "علوم",
]  # fmt: skip
FIRST_NAMES = ["سارة", "أحمد", "ليلى", "يوسف", "مريم", "خالد", "نورة", "عمر", "هند", "سالم"]
FAMILY_NAMES = ["المنصوري", "الكعبي", "حداد", "العلي", "الشامسي", "النعيمي", "الحسن", "عيسى"]
BATCH = 5_000
LOADERS = 2  # connections writing at once (one per core here)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tags", type=int, default=2_000)
    parser.add_argument("--authors", type=int, default=300)
    parser.add_argument(
        "--keep-indexes",
        action="store_true",
        help="keep the story indexes during the load even into an empty table",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection, transaction

    from articles.text.hygiene import name_key

    restore_indexes()  # whatever an interrupted load left missing
    rng = random.Random(args.seed)
    corpus = Corpus(ROOT / "demo" / "wire" / "000_8a60910e0df4ed03.txt", rng)
    started = time.perf_counter()
    with transaction.atomic():
        sections = ensure_sections()
        authors = ensure_rows(
            "articles_author",
            ["name", "slug", "bio"],
            [
                (
                    f"{rng.choice(FIRST_NAMES)} {rng.choice(FAMILY_NAMES)} {n}",
                    f"bench-author-{n}",
                    "",
                )
                for n in range(args.authors)
            ],
        )
        tag_names = [f"{corpus.word()} {n}" for n in range(args.tags)]
        tags = ensure_rows(
            "articles_tag",
            ["name", "slug", "folded_name"],  # tags are unique by folded name
            [(name, f"bench-tag-{n}", name_key(name)) for n, name in enumerate(tag_names)],
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(max(id), 0) FROM articles_article")
            first_id = cursor.fetchone()[0] + 1
    bulk_load = first_id == 1 and args.stories > 0 and not args.keep_indexes
    if bulk_load:
        drop_indexes()
    now = datetime.datetime.now(datetime.UTC)
    # PostgreSQL computes each story's search_vector as it goes in (the bulk of the cost),
    # so batches are written over LOADERS connections at once; the rows themselves are
    # made in order, here, so the same seed still gives the same stories.
    done = 0
    with ThreadPoolExecutor(LOADERS) as loaders:
        pending = set()
        for offset in range(0, args.stories, BATCH):
            size = min(BATCH, args.stories - offset)
            rows = make_batch(rng, corpus, first_id + offset, size, now, sections, authors, tags)
            if len(pending) >= LOADERS:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    done += future.result()
                    progress(done, args.stories, started)
            pending.add(loaders.submit(write_batch, rows))
        for future in pending:
            done += future.result()
            progress(done, args.stories, started)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('articles_article', 'id'), "
            "(SELECT max(id) FROM articles_article))"
        )
    with connection.cursor() as cursor:
        # A visibility map so index-only scans work (before the indexes: a heap-only pass).
        cursor.execute("VACUUM articles_article, articles_articleauthor, articles_article_tags")
    loaded = time.perf_counter()
    restore_indexes()
    sys.stderr.write(f"\nindexes built in {time.perf_counter() - loaded:.1f} s")
    with connection.cursor() as cursor:
        # Statistics for the planner, the expression indexes' included.
        cursor.execute(
            "ANALYZE articles_article, articles_articleauthor, articles_article_tags,"
            " articles_author, articles_tag, articles_section"
        )
    elapsed = time.perf_counter() - started
    sys.stderr.write(
        f"\n{args.stories:,} stories in {elapsed:.1f} s ({args.stories / elapsed:,.0f} stories/s)\n"
    )


class Corpus:
    """Sentences and words of the sample story, recombined."""

    def __init__(self, path: Path, rng: random.Random):
        from django.utils.html import escape

        lines = [" ".join(line.split()) for line in path.read_text(encoding="utf-8").splitlines()]
        self.paragraphs = list(dict.fromkeys(line for line in lines if len(line) > 60))
        self.escaped = [escape(paragraph) for paragraph in self.paragraphs]
        self.words = [word for paragraph in self.paragraphs for word in paragraph.split()]
        self.rng = rng

    def word(self) -> str:
        return self.rng.choice(self.words)

    def headline(self) -> str:
        start = self.rng.randrange(len(self.words) - 12)
        return " ".join(self.words[start : start + self.rng.randint(6, 11)])

    def standfirst(self) -> str:
        return self.rng.choice(self.paragraphs)[:300]

    def body(self) -> str:
        chosen = self.rng.sample(self.escaped, self.rng.randint(4, 9))
        return "\n".join(f"<p>{paragraph}</p>" for paragraph in chosen)


def ensure_sections():
    from articles.models import Section

    return [
        Section.objects.get_or_create(slug=f"bench-{n}", defaults={"name": name, "order": 100 + n})[
            0
        ].pk
        for n, name in enumerate(SECTION_NAMES)
    ]


def ensure_rows(table, columns, rows):
    """Insert the rows not there yet (by slug); return every id of the set."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT slug FROM {table} WHERE slug LIKE 'bench-%%'")
        existing = {slug for (slug,) in cursor.fetchall()}
        missing = [row for row in rows if row[columns.index("slug")] not in existing]
        if missing:
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in missing:
                    copy.write_row(row)
        cursor.execute(f"SELECT id FROM {table} WHERE slug LIKE 'bench-%%' ORDER BY id")
        return [ident for (ident,) in cursor.fetchall()]


STATUS_WEIGHTS = [
    ("published", 955),
    ("scheduled", 5),
    ("expired", 10),
    ("draft", 15),
    ("in_review", 5),
    ("withdrawn", 10),
]
TEN_YEARS = 10 * 365 * 24 * 3600


def make_batch(rng, corpus, first_id, size, now, sections, authors, tags):
    kinds, weights = zip(*STATUS_WEIGHTS, strict=True)
    articles, credits, labels = [], [], []
    for ident in range(first_id, first_id + size):
        kind = rng.choices(kinds, weights)[0]
        publish_at = now - datetime.timedelta(seconds=rng.randrange(60, TEN_YEARS))
        expire_at = None
        status = kind
        if kind == "scheduled":
            status, publish_at = (
                "published",
                now + datetime.timedelta(seconds=rng.randrange(3600, 30 * 86400)),
            )
        elif kind == "expired":
            status, expire_at = (
                "published",
                publish_at + datetime.timedelta(days=rng.randint(1, 30)),
            )
            if expire_at > now:
                expire_at = now - datetime.timedelta(seconds=1)
                publish_at = min(publish_at, expire_at - datetime.timedelta(hours=1))
        elif kind in ("draft", "in_review"):
            publish_at = None
        # Filed a little before publication, last saved around then: the desk's
        # "recently updated first" order then spreads over ten years too.
        created_at = (publish_at or now) - datetime.timedelta(seconds=rng.randrange(600, 86400))
        updated_at = min(now, created_at + datetime.timedelta(seconds=rng.randrange(60, 7200)))
        headline = corpus.headline()
        articles.append(
            (
                ident,
                headline,
                f"story-{ident}",
                corpus.standfirst(),
                corpus.body(),
                rng.choice(sections),
                status,
                publish_at,
                expire_at,
                "",
                created_at,
                updated_at,
                1,
            )
        )
        for position, author in enumerate(rng.sample(authors, rng.choice((1, 1, 1, 2)))):
            credits.append((ident, author, position))
        for tag in rng.sample(tags, rng.randint(1, 4)):
            labels.append((ident, tag))
    return articles, credits, labels


def story_indexes():
    """The story table's own indexes, biggest to build first."""
    from articles.models import Article

    gin_first = sorted(Article._meta.indexes, key=lambda index: index.suffix != "gin")
    return Article, gin_first


def drop_indexes():
    from django.db import connection

    model, indexes = story_indexes()
    with connection.schema_editor() as editor:
        for index in indexes:
            editor.remove_index(model, index)


def restore_indexes():
    """Build every story index that is missing, LOADERS at a time."""
    from django.db import connection

    model, indexes = story_indexes()
    with connection.cursor() as cursor:
        present = connection.introspection.get_constraints(cursor, model._meta.db_table)
    missing = [index for index in indexes if index.name not in present]
    if missing:
        with ThreadPoolExecutor(LOADERS) as builders:
            list(builders.map(lambda index: _build_index(model, index), missing))


def _build_index(model, index):
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
        with connection.schema_editor() as editor:
            editor.add_index(model, index)
    finally:
        connection.close()


def write_batch(rows) -> int:
    """COPY one batch in one transaction, on this thread's own connection."""
    from django.db import connection, transaction

    articles, credits, labels = rows
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # Throwaway data: no waiting for the WAL flush at commit, and lz4 for the
            # long text (much cheaper to compress than the default pglz, read the same).
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute("SET LOCAL default_toast_compression = lz4")
            _copy(cursor, articles, credits, labels)
    finally:
        connection.close()
    return len(articles)


def _copy(cursor, articles, credits, labels):
    columns = (
        "id, headline, slug, standfirst, body, section_id, status, publish_at, expire_at, "
        "dateline_place, created_at, updated_at, version"
    )
    with cursor.cursor.copy(f"COPY articles_article ({columns}) FROM STDIN") as copy:
        for row in articles:
            copy.write_row(row)
    with cursor.cursor.copy(
        "COPY articles_articleauthor (article_id, author_id, position) FROM STDIN"
    ) as copy:
        for row in credits:
            copy.write_row(row)
    with cursor.cursor.copy("COPY articles_article_tags (article_id, tag_id) FROM STDIN") as copy:
        for row in labels:
            copy.write_row(row)


def progress(done, total, started):
    width = 40
    filled = width * done // total
    rate = done / max(time.perf_counter() - started, 1e-9)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} {rate:,.0f}/s")
    sys.stderr.flush()


if __name__ == "__main__":
    main()
