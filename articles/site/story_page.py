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
from functools import cache
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Model, OuterRef, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone

from articles.models import Article, LiveCoverage, Section
from articles.models.images import Image, Rendition
from articles.site.prepared import compile_once, fetch_row, json_value, server_binding

__all__ = ["RELATED_STORIES", "live_story", "server_binding"]

RELATED_STORIES = 4

# Stand-ins compiled into the SQL; no real story or instant has these values.
_AT = datetime.datetime(1900, 1, 1, 0, 0, 0, 424242, tzinfo=datetime.UTC)
_PK = -424_242_424_242


def live_story(pk: int, at: datetime.datetime | None = None) -> Article | None:
    """The live story ``pk`` with everything its page shows, or None if it is not live."""
    db, found = fetch_row(Article, _statement(), {_AT: at or timezone.now(), _PK: pk})
    if found is None:
        return None
    story = Article.from_db(db, _ARTICLE_FIELDS, [found[name] for name in _ARTICLE_FIELDS])
    # from_db(), not Model(): an instance without a database would make the assignment
    # ask the router for one to write to, which pins the request to the primary.
    story.section = _from_json(Section, db, found["section_data"])
    story.byline_data = json_value(found["byline_data"])
    story.tag_data = json_value(found["tag_data"])
    story.related = [_from_json(Article, db, item) for item in found["related_data"]]
    story.live_coverage = _coverage(db, story.pk, json_value(found["coverage_data"]))
    story.lead_image = _lead_image(story.lead_image_id) if story.lead_image_id else None
    return story


@cache
def _statement() -> tuple[str, tuple[Any, ...]]:
    related = (
        Article.objects.live(_AT)
        .filter(section_id=OuterRef("section_id"))
        .exclude(pk=OuterRef("pk"))
        .newest_first()
        .values(json=JSONObject(id="id", headline="headline", slug="slug", publish_at="publish_at"))
    )[:RELATED_STORIES]
    # Live coverage (articles/models/live.py), if the story is one: when it started and
    # ended, how many updates it has and the newest one's id.
    coverage = LiveCoverage.objects.filter(article=OuterRef("pk")).values(
        json=JSONObject(
            started_at="started_at",
            ended_at="ended_at",
            update_count="update_count",
            latest_update_id="latest_update_id",
        )
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
    return compile_once(story, (_AT, _PK))


_ARTICLE_FIELDS = [
    field.attname for field in Article._meta.concrete_fields if field.name != "search_vector"
]


def _from_json[M: Model](model: type[M], db: str, value: Any) -> M:
    """An instance with only the fields of a JSON object (the others deferred)."""
    data = json_value(value)
    if "publish_at" in data:
        data["publish_at"] = datetime.datetime.fromisoformat(data["publish_at"])
    names = [field.attname for field in model._meta.concrete_fields if field.attname in data]
    return model.from_db(db, names, [data[name] for name in names])


def _coverage(db: str, article_id: int, data: Any) -> LiveCoverage | None:
    if not data:
        return None
    ended = data["ended_at"] and datetime.datetime.fromisoformat(data["ended_at"])
    started = datetime.datetime.fromisoformat(data["started_at"])
    values = [article_id, started, ended or None, data["update_count"], data["latest_update_id"]]
    names = ["article_id", "started_at", "ended_at", "update_count", "latest_update_id"]
    return LiveCoverage.from_db(db, names, values)


def _lead_image(image_id: int) -> Image | None:
    """The lead picture with its renditions, in one query (the image rides along)."""
    renditions = list(Rendition.objects.filter(image_id=image_id).select_related("image"))
    if not renditions:
        return Image.objects.filter(pk=image_id).first()
    image = renditions[0].image
    image.fetched_renditions = renditions
    return image
