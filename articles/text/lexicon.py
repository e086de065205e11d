"""Search words PostgreSQL's `arabic` stemmer cannot handle alone.

Broken plurals: Arabic forms most plurals inside the word (وزير/وزراء, مدرسة/مدارس),
so a light stemmer never joins them. plurals.tsv (written for this project, see its
header) lists plural/singular pairs; pairs that share a form are one *group*, and
each group has a key: ``_`` and its first singular. When a story is indexed, every
word found in the lexicon adds its group's key to the search vector; a query word
found in the lexicon also looks for the key. So «وزير» finds «الوزراء» and «وزراء»
finds «وزير», while the stemmed word still matches only its own form, which is why
the exact form ranks first. The lookup is by whole folded word: no guessing at
clitics (كمال is not ك + مال), so «لوزراء» without the article is not joined.

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
    # A group's key is its first singular, so it reads as the word it stands for.
    singulars = sorted({singular for _plural, singular in pairs})
    key_of_root = {}
    for singular in singulars:
        key_of_root.setdefault(root(singular), KEY_MARK + singular)
    keys = {form: key_of_root[root(form)] for form in parent}
    # A word too short to lose the article keeps it when folded (اليد): look for both.
    for form, key in list(keys.items()):
        if len(form) < 3:
            keys.setdefault("ال" + form, key)
    return keys


def group_key(word: str) -> str | None:
    """The key a folded query word also looks for, or None."""
    return form_keys().get(word)


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
    return tuple(form for form in _forms_by_key()[key] if form != word)


def index_keys(folded_text: str) -> set[str]:
    """The group keys PostgreSQL adds to a field's search vector (the same rule)."""
    keys = form_keys()
    return {keys[word] for word in _WORD.findall(folded_text) if word in keys}


def lexicon_digest() -> str:
    """Names the lexicon the installed function holds (see install_search_function)."""
    return hashlib.sha256(json.dumps(form_keys(), sort_keys=True).encode()).hexdigest()[:16]


def search_function_sql() -> str:
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
                SELECT '{mapping}'::jsonb ->> word AS key
                FROM regexp_split_to_table(coalesce(folded, ''), '[^{LETTERS}]+') AS word
            ) AS found
            WHERE found.key IS NOT NULL
        ), ''::tsvector);
END
$function$;
COMMENT ON FUNCTION {SQL_FUNCTION}(text) IS 'lexicon {lexicon_digest()}';
"""


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
