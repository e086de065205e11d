"""SQL expressions the models are built from."""

from django.db import models

# The body's words for search: tags out, and a bound so that a huge body cannot
# exceed PostgreSQL's tsvector size limit (positions stop at 16383 anyway).
SEARCHABLE_BODY = models.functions.Left(
    models.Func(
        models.F("body"),
        models.Value("<[^>]*>"),
        models.Value(" "),
        models.Value("g"),
        function="regexp_replace",
        output_field=models.TextField(),
    ),
    200_000,
)


def indexed_words(folded, weight: str):
    """A field's part of the search vector: stems (no stop words) and plural-group keys.

    The function is installed by migration 0017 from articles/text/plurals.tsv
    (articles/text/lexicon.py).
    """
    from django.contrib.postgres.search import SearchVectorField

    from articles.text.lexicon import SQL_FUNCTION

    vector = models.Func(folded, function=SQL_FUNCTION, output_field=SearchVectorField())
    return models.Func(
        vector, models.Value(weight), function="setweight", output_field=SearchVectorField()
    )


def joined_vectors(*vectors):
    """tsvector || tsvector || ..."""
    from django.contrib.postgres.search import SearchVectorField

    joined = vectors[0]
    for vector in vectors[1:]:
        joined = models.expressions.CombinedExpression(
            joined, "||", vector, output_field=SearchVectorField()
        )
    return joined
