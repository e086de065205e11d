"""Statements compiled once from QuerySets and run as prepared statements.

Django compiles a QuerySet to SQL every time it runs one, and PostgreSQL plans every
statement it is sent; for the busiest pages both cost more than the answer does
(articles/site/story_page.py says how much). A page's statement is the same for every
request but for a few values, so it is compiled once per process from the project's
ordinary QuerySets, with stand-in values where the request's values go, and run on
psycopg's server-binding cursor, which prepares it by the database's public
``prepare_threshold`` (``DATABASE_PREPARED_STATEMENTS=false`` turns it off behind a
pooler that cannot keep prepared statements).
"""

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

import psycopg
from django.db import connections, router
from django.db.backends.utils import CursorWrapper
from django.db.models import Model, QuerySet


def compile_once(queryset: QuerySet, stand_ins: Sequence[Any]) -> tuple[str, tuple[Any, ...]]:
    """``queryset``'s SQL with its constants written in and ``stand_ins`` left as
    parameters (in the order the SQL takes them)."""
    sql, params = queryset.query.sql_with_params()
    if any(value not in params for value in stand_ins):
        raise RuntimeError("every stand-in must reach the SQL as a parameter")
    return write_in_constants(queryset.model, sql, params, stand_ins)


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


def fetch_row(
    model: type[Model], statement: tuple[str, tuple[Any, ...]], values: Mapping[Any, Any]
) -> tuple[str, dict[str, Any] | None]:
    """(database alias, the statement's one row by column name, or None), each stand-in
    replaced by ``values[stand_in]``."""
    db = router.db_for_read(model)
    sql, params = statement
    with server_binding(connections[db].cursor()) as cursor:
        cursor.execute(sql, [values[value] for value in params])
        row = cursor.fetchone()
        if row is None:
            return db, None
        names = _columns.get((db, sql))
        if names is None:  # a statement's columns never change: read them once
            names = _columns[db, sql] = tuple(column.name for column in cursor.description)
    return db, dict(zip(names, row, strict=True))


_columns: dict[tuple[str, str], tuple[str, ...]] = {}


def server_binding(cursor: CursorWrapper) -> CursorWrapper:
    """Django's ordinary cursor (the connection's health checked, errors translated, the
    query logged) running on psycopg's server-binding cursor instead of its client-side
    one: psycopg prepares what runs on it by its public ``prepare_threshold`` (the
    database's OPTIONS; None turns it off). Django's own cursors never prepare."""
    cursor.cursor.close()
    cursor.cursor = psycopg.Cursor(cursor.db.connection)
    return cursor


def json_value(value: Any) -> Any:
    """jsonb arrives as text from Django's PostgreSQL backend outside a model field."""
    return json.loads(value) if isinstance(value, str) else value
