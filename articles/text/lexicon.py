"""Search words PostgreSQL's `arabic` stemmer cannot handle alone.

Broken plurals: Arabic forms most plurals inside the word (وزير/وزراء, مدرسة/مدارس),
so a light stemmer never joins them. plurals.tsv (written for this project, see its
header) lists plural/singular pairs; pairs that share a form are one *group*, and
each group has a key: ``_`` and its first singular. When a story is indexed, every
word found in the lexicon adds its group's key to the search vector; a query word
found in the lexicon also looks for the key. So «وزير» finds «الوزراء» and «وزراء»
finds «وزير», while the stemmed word still matches only its own form, which is why
the exact form ranks first. The lookup is by whole folded word: no guessing at
clitics (كمال is not ك + مال), so «لوزراء» without the article is not joined. The one
exception is the conjunction و, by far the commonest: a word not in the lexicon that
is و and three or more letters is looked up without it (ومريض, وقضايا).

Function words: the commonest particles are taken out of the index and out of
queries. «على» is not among them: folded, it is «علي», the name.

The index side runs in PostgreSQL, inside the stored generated column, so it is an
IMMUTABLE function holding the lexicon as a jsonb literal (a generated column cannot
read a table, and a managed PostgreSQL takes no files in tsearch_data). The Python
side (group_key, index_keys) reads the same file with the same rule; the tests
check the two agree. After editing plurals.tsv, install the function again and
recompute the column: ``manage.py install_search_lexicon``.
"""

import hashlib
import json
import re
from functools import cache
from pathlib import Path

PLURALS_FILE = Path(__file__).with_name("plurals.tsv")
KEY_MARK = "_"  # PostgreSQL's parser splits words on "_", so no stem ever holds one
SQL_FUNCTION = "newsroom_search_vector"
LETTERS = "ء-ي"  # what search_fold() leaves of Arabic letters (no tatweel: folded away)
_WORD = re.compile(f"[{LETTERS}]+")

# Folded forms (search_fold) of the particles that are not indexed: any word whose
# stem is one of STOP_LEXEMES is gone from the index, so a query must not ask for it.
STOP_WORDS = frozenset((
    "في", "من", "الي", "ال", "عن", "ان", "اني", "ما", "لا", "لم", "لن", "قد",
    "هذا", "هذه", "ذلك", "تلك", "التي", "الذي", "هو", "هي", "او", "ثم", "مع",
))  # fmt: skip
# What PostgreSQL's `arabic` stemmer makes of them (tests/test_lexicon.py checks).
STOP_LEXEMES = frozenset((
    "في", "من", "ال", "عن", "ان", "ما", "لا", "لم", "لن", "قد",
    "هذا", "هذه", "ذلك", "تلك", "الت", "الذ", "هو", "هي", "او", "ثم", "مع",
))  # fmt: skip


# Words the stemmer joins to unrelated words (جامعة -> جامع, the mosque; شرط -> شرطي,
# the policeman; ملك -> ملكية, ownership; وزير -> زير; سيارات -> يارا, the name). A query
# for one of these asks for its group's key only, never its stem, so each group lists
# the inflections that should still match. The relevance set (tests/relevance/) shows
# why: without this, 3 of its 20 false friends matched.
PROTECTED = (
    ("جامعه", "جامعات", "جامعتين", "جامعتان"),
    ("شرط", "شروط", "شرطين", "شرطان"),
    ("ملك", "ملوك", "ملكين", "ملكان"),
    ("وزير", "وزراء", "وزيرا", "وزيرين", "وزيران", "وزيره", "وزيرات"),
    ("سياره", "سيارات", "سيارتين", "سيارتان"),
)
PROTECTED_FORMS = frozenset(form for group in PROTECTED for form in group)


def read_pairs(path: Path = PLURALS_FILE) -> list[tuple[str, str]]:
    """The (plural, singular) pairs of the lexicon file, folded as stored."""
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            plural, singular, _written = line.split("\t")
            pairs.append((plural, singular))
    return pairs


@cache
def form_keys() -> dict[str, str]:
    """Every folded form in the lexicon, mapped to its group's key."""
    pairs = read_pairs()
    parent: dict[str, str] = {}

    def root(form):
        parent.setdefault(form, form)
        while parent[form] != form:
            form = parent[form]
        return form

    for plural, singular in pairs:
        parent[root(plural)] = root(singular)
    for first, *others in PROTECTED:
        for form in others:
            parent[root(form)] = root(first)
    # A group's key is its first singular, so it reads as the word it stands for.
    singulars = [group[0] for group in PROTECTED]
    singulars += sorted({singular for _plural, singular in pairs})
    key_of_root: dict[str, str] = {}
    for singular in singulars:
        key_of_root.setdefault(root(singular), KEY_MARK + singular)
    keys = {form: key_of_root[root(form)] for form in parent}
    # A word too short to lose the article keeps it when folded (اليد): look for both.
    for form, key in list(keys.items()):
        if len(form) < 3:
            keys.setdefault("ال" + form, key)
    return keys


CONJUNCTION = "و"


def group_key(word: str) -> str | None:
    """The key a folded word stands for, or None (the same rule as the SQL function)."""
    keys = form_keys()
    key = keys.get(word)
    if key is None and word.startswith(CONJUNCTION) and len(word) > 3:
        key = keys.get(word[1:])
    return key


@cache
def _forms_by_key() -> dict[str, tuple[str, ...]]:
    groups: dict[str, list[str]] = {}
    for form, key in sorted(form_keys().items()):
        groups.setdefault(key, []).append(form)
    return {key: tuple(forms) for key, forms in groups.items()}


def other_forms(word: str) -> tuple[str, ...]:
    """The other forms of ``word``'s group (for highlighting what the key matched)."""
    key = group_key(word)
    if key is None:
        return ()
    return tuple(form for form in _forms_by_key()[key] if form not in (word, word[1:]))


def index_keys(folded_text: str) -> set[str]:
    """The group keys PostgreSQL adds to a field's search vector (the same rule)."""
    return {key for word in set(_WORD.findall(folded_text)) if (key := group_key(word))}


def is_protected(word: str) -> bool:
    """A query for this word asks for its group's key only (see PROTECTED)."""
    return word in PROTECTED_FORMS or (
        word not in form_keys() and word.startswith(CONJUNCTION) and word[1:] in PROTECTED_FORMS
    )


def lexicon_digest() -> str:
    """Names the lexicon and rule the installed function holds (see install_search_function)."""
    return hashlib.sha256(_function_sql().encode()).hexdigest()[:16]


def search_function_sql() -> str:
    """The function, and a comment naming what it holds (see installed_digest)."""
    return f"{_function_sql()}\nCOMMENT ON FUNCTION {SQL_FUNCTION}(text) IS 'lexicon {lexicon_digest()}';"


def _function_sql() -> str:
    """CREATE FUNCTION for the index side: stems without stop words, plus group keys.

    PL/pgSQL because it keeps its plan, with the jsonb literal already parsed, for the
    life of the connection (an SQL function would parse 60 kB of JSON per statement).
    """
    mapping = json.dumps(form_keys(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    stop = "{" + ",".join(sorted(STOP_LEXEMES)) + "}"
    if "'" in mapping + stop or "$" in mapping:
        raise ValueError("the lexicon holds a quote; it cannot be written into SQL")
    return f"""
CREATE OR REPLACE FUNCTION {SQL_FUNCTION}(folded text) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $function$
BEGIN
    RETURN ts_delete(to_tsvector('arabic', coalesce(folded, '')), '{stop}'::text[])
        || coalesce((
            SELECT array_to_tsvector(array_agg(DISTINCT found.key))
            FROM (
                SELECT coalesce(
                    lexicon ->> word,
                    CASE WHEN left(word, 1) = '{CONJUNCTION}' AND length(word) > 3
                        THEN lexicon ->> substr(word, 2) END
                ) AS key
                FROM regexp_split_to_table(coalesce(folded, ''), '[^{LETTERS}]+') AS word,
                    (SELECT '{mapping}'::jsonb AS lexicon) AS constant
            ) AS found
            WHERE found.key IS NOT NULL
        ), ''::tsvector);
END
$function$;"""


def install_search_function(connection) -> None:
    """Create or replace the function from the current plurals.tsv."""
    with connection.cursor() as cursor:
        cursor.execute(search_function_sql())


def installed_digest(connection) -> str | None:
    """The digest of the lexicon the database's function holds (None: not installed)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT obj_description(p.oid, 'pg_proc') FROM pg_proc p"
            " WHERE p.proname = %s AND pg_function_is_visible(p.oid)",
            [SQL_FUNCTION],
        )
        row = cursor.fetchone()
    return row[0].removeprefix("lexicon ") if row and row[0] else None
