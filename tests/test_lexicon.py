"""The plural lexicon and stop words: well formed, and alike in Python and PostgreSQL."""

import pytest
from django.core.management import call_command
from django.db import connection

from articles.text import lexicon
from articles.text.arabic import normalize, search_fold
from tests.factories import SAMPLE, make_article

pytestmark = pytest.mark.django_db


def sql_keys(texts: list[str]) -> list[set[str]]:
    """The group keys newsroom_search_vector() puts in each text's vector."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT array(SELECT lexeme FROM unnest({lexicon.SQL_FUNCTION}(t.text)) AS v"
            f"  WHERE starts_with(v.lexeme, %s))"
            " FROM unnest(%s::text[]) WITH ORDINALITY AS t(text, n) ORDER BY n",
            [lexicon.KEY_MARK, texts],
        )
        return [set(keys) for (keys,) in cursor.fetchall()]


def stems(words) -> dict[str, set[str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT w, tsvector_to_array(to_tsvector('arabic', w)) FROM unnest(%s::text[]) AS w",
            [list(words)],
        )
        return {word: set(found) for word, found in cursor.fetchall()}


def test_the_lexicon_has_two_thousand_pairs_in_folded_form():
    pairs = lexicon.read_pairs()
    assert len(pairs) >= 2000
    assert len(set(pairs)) == len(pairs)
    for plural, singular in pairs:
        for form in (plural, singular):
            # Folded as search_fold() leaves a word; an أل word keeps its article form.
            assert form in (search_fold(form), normalize(form)), form
            assert form == normalize(form), form
        assert plural != singular


def test_no_plural_belongs_to_two_groups_and_groups_stay_small():
    # A form in two unrelated pairs would join their meanings (كتاب: books, writers).
    keys = lexicon.form_keys()
    groups = {}
    for form, key in keys.items():
        groups.setdefault(key, set()).add(form)
    assert max(len(forms) for forms in groups.values()) <= 8
    for plural, singular in lexicon.read_pairs():
        assert keys[plural] == keys[singular]


@pytest.mark.parametrize(
    ("left_out", "why"),
    [
        ("كتاب", "also the plural of كاتب: only كتب/كتاب is kept"),
        ("علماء", "عالم is also 'world'"),
        ("ابيات", "verses of poetry, not houses"),
        ("اعيان", "notables, not eyes"),
        ("وهم", "also و + هم, 'and they'"),
        ("تل", "Tel Aviv"),
        ("حد", "على حد تعبيره"),
        ("ذكور", "ذكر is also 'he mentioned'"),
    ],
)
def test_reviewed_homographs_are_left_out(left_out, why):
    pairs = lexicon.read_pairs()
    if left_out == "كتاب":
        assert ("كتاب", "كاتب") not in pairs, why
        assert ("كتب", "كتاب") in pairs, why
    else:
        assert left_out not in {form for pair in pairs for form in pair}, why


def test_no_form_in_the_lexicon_is_a_stop_word():
    assert not set(lexicon.form_keys()) & lexicon.STOP_WORDS


def test_stop_words_and_their_lexemes_agree_with_the_stemmer():
    found = stems(lexicon.STOP_WORDS)
    assert set().union(*found.values()) == lexicon.STOP_LEXEMES
    # And no lexicon word loses its stem to the stop list.
    assert not set().union(*stems(lexicon.form_keys()).values()) & lexicon.STOP_LEXEMES


def test_python_and_postgresql_find_the_same_keys():
    every_form = " ".join(sorted(lexicon.form_keys()))
    texts = [
        # and behind the conjunction, and words that merely start with و
        " ".join("و" + form for form in sorted(lexicon.form_keys())),
        "وجد وصف وطن ولد وزير ووزير ووزراء وو و",
        search_fold(SAMPLE.read_text()),
        every_form,
        search_fold("الوزراء، والمدارس: «البيوت» (شوارع) كتب2024 مساجدَ اليد يد"),
        "",
    ]
    assert sql_keys(texts) == [lexicon.index_keys(text) for text in texts]
    assert len(lexicon.index_keys(every_form)) == len(set(lexicon.form_keys().values()))


def test_the_database_holds_the_current_lexicon():
    assert lexicon.installed_digest(connection) == lexicon.lexicon_digest()


def has_key(story, word) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector @@ %s::tsquery FROM articles_article WHERE id = %s",
            [f"'{lexicon.group_key(word)}'", story.pk],
        )
        return cursor.fetchone()[0]


def test_installing_the_lexicon_again_recomputes_stored_vectors():
    story = make_article(headline="الوزراء يجتمعون")
    assert has_key(story, "وزير")
    with connection.cursor() as cursor:
        # An older lexicon that knew no plural: the stored vector loses the key.
        cursor.execute(
            f"CREATE OR REPLACE FUNCTION {lexicon.SQL_FUNCTION}(folded text) RETURNS tsvector"
            " LANGUAGE sql IMMUTABLE AS $$ SELECT to_tsvector('arabic', folded) $$"
        )
        cursor.execute(f"COMMENT ON FUNCTION {lexicon.SQL_FUNCTION}(text) IS NULL")
        cursor.execute("UPDATE articles_article SET headline = headline")
    assert not has_key(story, "وزير")
    assert lexicon.installed_digest(connection) is None
    call_command("install_search_lexicon", verbosity=0)
    assert has_key(story, "وزير")
    assert lexicon.installed_digest(connection) == lexicon.lexicon_digest()
