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
