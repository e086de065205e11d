"""Statements compiled once per process and prepared once per connection.

The busiest pages (the article page, the home page) run the same query for every
reader, changing only the instant and an id. Django compiles a QuerySet to SQL each
time it runs, which for these queries cost more (~1–10 ms) than PostgreSQL takes to
answer; so each is compiled once, from the same QuerySets as everywhere else
(``live()`` stays the one rule of what is public), with stand-in values where the
instant or an id go, and each request runs it with the real ones.

It runs through Django's ordinary ``connection.cursor()`` with psycopg's server-binding
cursor inside (``server_binding()``), which psycopg prepares by its public
``prepare_threshold`` (the database's OPTIONS; ``DATABASE_PREPARED_STATEMENTS=false``
turns it off behind a pooler that cannot keep prepared statements). A plain SQL
``PREPARE``/``EXECUTE`` was tried for the article page: it cost ~6 % more CPU a page
(the ``EXECUTE`` is parsed on every run) and no pooler keeps SQL-level statements.
"""

import datetime
import json
import re
import weakref
from collections.abc import Sequence
from typing import Any

import psycopg
from django.db import connections, router
from django.db.backends.utils import CursorWrapper
from django.db.models import Model, QuerySet

# Stand-ins compiled into the SQL; no real story, arrangement or instant has these values.
AT = datetime.datetime(1900, 1, 1, 0, 0, 0, 424242, tzinfo=datetime.UTC)
PK = -424_242_424_242


class Statement:
    """``queryset``'s SQL with its stand-ins left as parameters, ready to run."""

    def __init__(self, queryset: QuerySet[Any], *stand_ins: Any) -> None:
        self.model: type[Model] = queryset.model
        sql, params = queryset.query.sql_with_params()
        missing = [value for value in stand_ins if value not in params]
        if missing:
            raise RuntimeError(f"stand-ins {missing!r} must reach the SQL as parameters")
        self.sql, self.stand_ins = write_in_constants(self.model, sql, params, stand_ins)
        self._columns: dict[str, tuple[str, ...]] = {}

    def rows(self, values: dict[Any, Any]) -> tuple[str, tuple[str, ...], list[tuple[Any, ...]]]:
        """Run with each stand-in replaced by ``values[stand_in]``: the database alias,
        the column names and the rows."""
        db = router.db_for_read(self.model)
        with server_binding(connections[db].cursor()) as cursor:
            cursor.execute(self.sql, [values[value] for value in self.stand_ins])
            rows = cursor.fetchall()
            names = self._columns.get(db)
            if names is None:  # the statement's columns never change: read them once
                names = self._columns[db] = tuple(col.name for col in cursor.description)
        return db, names, rows


def server_binding(cursor: CursorWrapper) -> CursorWrapper:
    """Django's ordinary cursor (the connection's health checked, errors translated, the
    query logged) running on psycopg's server-binding cursor instead of its client-side
    one: psycopg prepares what runs on it by its public ``prepare_threshold`` (the
    database's OPTIONS; None turns it off). Django's own cursors never prepare."""
    cursor.cursor.close()
    raw = cursor.db.connection
    cursor.cursor = psycopg.Cursor(raw)
    if raw.prepare_threshold is not None and raw not in _planned_once:
        # PostgreSQL plans a prepared statement afresh at each run while it guesses a plan
        # for the values at hand may be cheaper (plan_cache_mode "auto"): for these
        # statements it never is, and planning cost more than running (~0.3–0.8 ms a page
        # measured). Only these statements are prepared on the connection, so only they
        # are planned once.
        raw.execute("SET plan_cache_mode = force_generic_plan")
        _planned_once.add(raw)
    return cursor


_planned_once: "weakref.WeakSet[psycopg.Connection[Any]]" = weakref.WeakSet()


def write_in_constants(
    model: type[Model], sql: str, params: Sequence[Any], stand_ins: Sequence[Any]
) -> tuple[str, tuple[Any, ...]]:
    """Constants into the SQL text, as client-side binding does; stand-ins stay parameters.

    A prepared statement is planned once for any values of its parameters, so a
    constant left as one (``status = $1``) hides the partial indexes that hold only
    published stories, and PostgreSQL would plan again on every run instead.
    """
    connection = connections[router.db_for_read(model)]
    pieces, kept, values = [], [], iter(params)
    for piece in re.split(r"(%%|%s)", sql):
        if piece != "%s":
            pieces.append(piece)
        elif (value := next(values)) in stand_ins:
            pieces.append("%s")
            kept.append(value)
        else:
            # PostgreSQL's own client-side binding (the base class's stubs do not have it).
            literal = connection.ops.compose_sql("%s", [value])  # type: ignore[attr-defined]
            pieces.append(literal.replace("%", "%%"))
    return "".join(pieces), tuple(kept)


def json_value(value: Any) -> Any:
    """jsonb arrives as text from Django's PostgreSQL backend outside a model field."""
    return json.loads(value) if isinstance(value, str) else value
