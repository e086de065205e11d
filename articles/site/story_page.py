"""A story as its page shows it — section, bylines, tags, related stories — in one query.

The busiest page of the site, so its query is built to cost little on both sides:

- Django compiles a QuerySet to SQL every time it runs one; for this page that took
  longer (~1.5 ms a request) than PostgreSQL takes to answer. The statement is the
  same for every story at every instant, so it is compiled once per process, from the
  same QuerySets as everywhere else (``live()`` stays the one rule of what is public),
  with stand-in values where the story's id and the instant go; each request runs it
  with the real ones.
- PostgreSQL plans it in ~0.7 ms and runs it in ~0.2 ms, so it is a prepared statement
  on each connection (planned once; the plan does not depend on the values). It runs
  through Django's ordinary ``connection.cursor()`` with psycopg's server-binding cursor
  inside (``server_binding()``), which psycopg prepares by its ``prepare_threshold``.
  Only this statement is: Django's other queries bind their values on the client and
  are never prepared. ``DATABASE_PREPARED_STATEMENTS=false`` (the threshold None) turns
  it off behind a pooler that cannot keep prepared statements (PgBouncer in transaction
  mode before 1.21). A plain SQL ``PREPARE``/``EXECUTE`` was tried: it cost ~6 % more CPU
  a page (the ``EXECUTE`` is parsed on every run) and no pooler keeps SQL-level
  statements.
"""

import datetime
import json
import re
from collections.abc import Sequence
from functools import cache
from typing import Any

import psycopg
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections, router
from django.db.backends.utils import CursorWrapper
from django.db.models import Model, OuterRef, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone

from articles.models import Article, LiveCoverage, Section
from articles.models.images import Image, Rendition

RELATED_STORIES = 4

# Stand-ins compiled into the SQL; no real story or instant has these values.
_AT = datetime.datetime(1900, 1, 1, 0, 0, 0, 424242, tzinfo=datetime.UTC)
_PK = -424_242_424_242


def live_story(pk: int, at: datetime.datetime | None = None) -> Article | None:
    """The live story ``pk`` with everything its page shows, or None if it is not live."""
    at = at or timezone.now()
    db = router.db_for_read(Article)
    connection = connections[db]
    sql, params = _statement()
    values = [at if value == _AT else pk for value in params]
    with server_binding(connection.cursor()) as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
        if row is None:
            return None
        names = _columns.get(db)
        if names is None:  # the statement's columns never change: read them once
            names = _columns[db] = tuple(column.name for column in cursor.description)
        found = dict(zip(names, row, strict=True))
    story = Article.from_db(db, _ARTICLE_FIELDS, [found[name] for name in _ARTICLE_FIELDS])
    # from_db(), not Model(): an instance without a database would make the assignment
    # ask the router for one to write to, which pins the request to the primary.
    story.section = _from_json(Section, db, found["section_data"])
    story.byline_data = _json(found["byline_data"])
    story.tag_data = _json(found["tag_data"])
    story.related = [_from_json(Article, db, item) for item in found["related_data"]]
    story.live_coverage = _coverage(db, story.pk, _json(found["coverage_data"]))
    story.lead_image = _lead_image(story.lead_image_id) if story.lead_image_id else None
    return story


_columns: dict[str, tuple[str, ...]] = {}


def server_binding(cursor: CursorWrapper) -> CursorWrapper:
    """Django's ordinary cursor (the connection's health checked, errors translated, the
    query logged) running on psycopg's server-binding cursor instead of its client-side
    one: psycopg prepares what runs on it by its public ``prepare_threshold`` (the
    database's OPTIONS; None turns it off). Django's own cursors never prepare."""
    cursor.cursor.close()
    cursor.cursor = psycopg.Cursor(cursor.db.connection)
    return cursor


@cache
def _statement() -> tuple[str, tuple[Any, ...]]:
    related = (
        Article.objects.live(_AT)
        .filter(section_id=OuterRef("section_id"))
        .exclude(pk=OuterRef("pk"))
        .newest_first()
        .values(json=JSONObject(id="id", headline="headline", slug="slug", publish_at="publish_at"))
    )[:RELATED_STORIES]
    # Live coverage (articles/models/live.py): when it started and ended, if the story is one.
    coverage = LiveCoverage.objects.filter(article=OuterRef("pk")).values(
        json=JSONObject(started_at="started_at", ended_at="ended_at")
    )[:1]
    story = (
        Article.objects.live(_AT)
        .for_listing()
        .select_related(None)
        .prefetch_related(None)
        .annotate(
            section_data=JSONObject(id="section__id", name="section__name", slug="section__slug"),
            related_data=ArraySubquery(related),
            coverage_data=Subquery(coverage),
        )
        .filter(pk=_PK)
        .order_by()
    )
    sql, params = story.query.sql_with_params()
    if _AT not in params or _PK not in params:
        raise RuntimeError("the story page's stand-ins must reach its SQL as parameters")
    return _write_in_constants(sql, params)


def _write_in_constants(sql: str, params: Sequence[Any]) -> tuple[str, tuple[Any, ...]]:
    """Constants into the SQL text, as client-side binding does; stand-ins stay parameters.

    A prepared statement is planned once for any values of its parameters, so a
    constant left as one (``status = $1``) hides the partial indexes that hold only
    published stories, and PostgreSQL would plan again on every run instead.
    """
    connection = connections[router.db_for_read(Article)]
    pieces, kept, values = [], [], iter(params)
    for piece in re.split(r"(%%|%s)", sql):
        if piece != "%s":
            pieces.append(piece)
        elif (value := next(values)) in (_AT, _PK):
            pieces.append("%s")
            kept.append(value)
        else:
            # PostgreSQL's own client-side binding (the base class's stubs do not have it).
            literal = connection.ops.compose_sql("%s", [value])  # type: ignore[attr-defined]
            pieces.append(literal.replace("%", "%%"))
    return "".join(pieces), tuple(kept)


_ARTICLE_FIELDS = [
    field.attname for field in Article._meta.concrete_fields if field.name != "search_vector"
]


def _json(value: Any) -> Any:
    """jsonb arrives as text from Django's PostgreSQL backend outside a model field."""
    return json.loads(value) if isinstance(value, str) else value


def _from_json[M: Model](model: type[M], db: str, value: Any) -> M:
    """An instance with only the fields of a JSON object (the others deferred)."""
    data = _json(value)
    if "publish_at" in data:
        data["publish_at"] = datetime.datetime.fromisoformat(data["publish_at"])
    names = [field.attname for field in model._meta.concrete_fields if field.attname in data]
    return model.from_db(db, names, [data[name] for name in names])


def _coverage(db: str, article_id: int, data: Any) -> LiveCoverage | None:
    if not data:
        return None
    ended = data["ended_at"] and datetime.datetime.fromisoformat(data["ended_at"])
    values = [article_id, datetime.datetime.fromisoformat(data["started_at"]), ended or None]
    return LiveCoverage.from_db(db, ["article_id", "started_at", "ended_at"], values)


def _lead_image(image_id: int) -> Image | None:
    """The lead picture with its renditions, in one query (the image rides along)."""
    renditions = list(Rendition.objects.filter(image_id=image_id).select_related("image"))
    if not renditions:
        return Image.objects.filter(pk=image_id).first()
    image = renditions[0].image
    image.fetched_renditions = renditions
    return image
