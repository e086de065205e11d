"""A story as its page shows it — section, bylines, tags, related stories — in one query.

The busiest page of the site, so its query is compiled once per process and prepared
once per connection (articles/site/statements.py): PostgreSQL plans it in ~0.7 ms and
runs it in ~0.2 ms, and Django took ~1.5 ms a request to compile it.
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
from articles.site.statements import AT, PK, Statement, json_value

RELATED_STORIES = 4


def live_story(pk: int, at: datetime.datetime | None = None) -> Article | None:
    """The live story ``pk`` with everything its page shows, or None if it is not live."""
    db, names, rows = _statement().rows({AT: at or timezone.now(), PK: pk})
    if not rows:
        return None
    found = dict(zip(names, rows[0], strict=True))
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
def _statement() -> Statement:
    related = (
        Article.objects.live(AT)
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
        Article.objects.live(AT)
        .for_listing()
        .select_related(None)
        .prefetch_related(None)
        .annotate(
            section_data=JSONObject(id="section__id", name="section__name", slug="section__slug"),
            related_data=ArraySubquery(related),
            coverage_data=Subquery(coverage),
        )
        .filter(pk=PK)
        .order_by()
    )
    return Statement(story, AT, PK)


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
