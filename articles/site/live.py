"""What a reader of live coverage sees: the pinned update, the key events, then every
update newest first, a page at a time; and the small answer a reader's open page polls.

A story of a thousand updates must cost its reader little more than an ordinary story
(bench/run.py's ``live 1000`` against ``article``), so the page is read as the story
page is (articles/site/story_page.py): one statement, compiled once per process and
prepared, brings the page of updates, the pinned one, the key events (only what the
summary shows) and the posters' bylines (the story's statement brought the number of
updates and the newest one's id, kept at each post and delete); the times are put
on the site's clock once a page; an update's plain text was kept when it was saved.
The pictures of the updates and in their text, when there are any, cost one more query
whatever their number.
"""

import datetime
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Q, Subquery
from django.db.models.functions import JSONObject
from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_safe

from articles.media.pictures import inline_image_ids, originals, responsive_bodies
from articles.models import Article, Author, Image, LiveCoverage, LiveUpdate
from articles.models.live import label_of
from articles.models.querysets import Cursor
from articles.site import surrogates
from articles.site.links import link
from articles.site.statements import AT, PK, Statement, json_value
from articles.text.arabic import clock_face

UPDATES_PER_PAGE = 20

# The story's id and the cursor's instant take statements.py's stand-ins; the cursor's id
# this one, which no real update has.
_ID = -424_242_424_243
# The first page's cursor: after every update there is.
_NEWEST = Cursor(datetime.datetime(9999, 12, 31, tzinfo=datetime.UTC), 2**63 - 1)
_NOTHING: dict[str, Any] = {"page": [], "key_events": [], "pinned": None, "bylines": []}
_NOBODY: dict[str, Any] = {"id": None, "name": "", "url": ""}  # posted by someone without a byline


@dataclass(slots=True)
class KeyEvent:
    """What the key-events summary shows of an update."""

    pk: int
    label: str
    posted_at: datetime.datetime  # on the site's clock
    posted_iso: str
    posted_clock: str

    @property
    def anchor(self) -> str:
        return f"update-{self.pk}"


@dataclass(slots=True)
class Update(KeyEvent):
    """An update as the page and its JSON-LD show it."""

    title: str
    body: str  # sanitised on save; pictures of the library made responsive
    text: str  # plain, kept on save
    image: Image | None
    author_id: int | None  # the poster's public byline (articles.Author), if any
    author_name: str
    author_url: str
    edited_iso: str
    is_key_event: bool
    is_pinned: bool


@dataclass
class LivePage:
    coverage: LiveCoverage
    pinned: Update | None
    key_events: list[KeyEvent]
    updates: list[Update]
    next_cursor: str | None
    is_first_page: bool
    latest_id: int
    count: int

    @property
    def shown(self) -> list[Update]:
        """The updates the page shows, as it shows them: the pinned one, then the page."""
        pinned = [self.pinned] if self.pinned and self.is_first_page else []
        return pinned + [u for u in self.updates if not (pinned and u.pk == pinned[0].pk)]

    @cached_property
    def _on_page(self) -> dict[int, str]:
        anchors = {update.pk: f"#{update.anchor}" for update in self.updates}
        if self.pinned and self.is_first_page:
            anchors[self.pinned.pk] = f"#pinned-{self.pinned.anchor}"
        return anchors

    def link_to(self, event: KeyEvent) -> str:
        """Where the summary sends a reader for a key event: its place on this page, or
        the page of older updates that starts with it (a bare anchor would go nowhere)."""
        here = self._on_page.get(event.pk)
        if here is not None:
            return here
        starting_with = UpdateCursor(event.posted_at, event.pk + 1)
        return f"?updates_before={starting_with}#{event.anchor}"


class UpdateCursor(Cursor):
    """A position in the newest-first list of updates (``?updates_before=``)."""

    @classmethod
    def after(cls, update: KeyEvent) -> "UpdateCursor":
        return cls(update.posted_at, update.pk)


def live_page(story: Article, raw_cursor: str | None) -> LivePage:
    """One query whatever the number of updates (one more if pictures are shown)."""
    coverage = story.live_coverage
    if coverage is None:
        raise ValueError("live_page() is for stories with live coverage")
    try:
        cursor = UpdateCursor.parse(raw_cursor) if raw_cursor is not None else _NEWEST
    except (ValueError, OverflowError, OSError):
        raise Http404("bad page") from None
    _, _, result = _statement().rows({PK: story.pk, AT: cursor.publish_at, _ID: cursor.id})
    found: dict[str, Any] = json_value(result[0][0]) if result else _NOTHING
    if cursor is not _NEWEST and not found["page"]:
        raise Http404("no such page")
    clock = _Clock()
    pinned_data = found["pinned"]
    rows = found["page"]
    more = len(rows) > UPDATES_PER_PAGE
    rows = rows[:UPDATES_PER_PAGE]
    bylines = {row["user_id"]: row for row in found["bylines"]}
    for byline in bylines.values():  # each poster's page reversed once, not once an update
        byline["url"] = link("articles:author", slug=byline["slug"])
    updates = _updates([*rows, *([pinned_data] if pinned_data else [])], bylines, clock)
    pinned = updates.pop() if pinned_data else None
    return LivePage(
        coverage=coverage,
        pinned=pinned,
        key_events=[_key_event(row, clock) for row in found["key_events"]],
        updates=updates,
        next_cursor=str(UpdateCursor.after(updates[-1])) if more else None,
        is_first_page=cursor is _NEWEST,
        latest_id=coverage.latest_update_id,
        count=coverage.update_count,
    )


@cache
def _statement() -> Statement:
    updates = LiveUpdate.objects.filter(article_id=PK)
    shown = JSONObject(
        id="id",
        title="title",
        body="body",
        text="body_text",
        image_id="image_id",
        author_id="author_id",
        posted_at="posted_at",
        edited_at="edited_at",
        is_key_event="is_key_event",
        is_pinned="is_pinned",
    )
    # The page's ids first, then their rows: whatever PostgreSQL guesses of the story's
    # size (a thousand updates just posted, not yet analysed), only the rows shown are
    # written out as JSON.
    page_ids = (
        updates.filter(posted_at__lte=AT)
        .exclude(posted_at=AT, id__gte=_ID)
        .order_by("-posted_at", "-id")
        .values("id")[: UPDATES_PER_PAGE + 1]
    )
    page = (
        LiveUpdate.objects.filter(id__in=page_ids).order_by("-posted_at", "-id").values(json=shown)
    )
    key_events = (
        updates.filter(is_key_event=True)
        .order_by("-posted_at", "-id")
        .values(json=JSONObject(id="id", title="title", text="body_text", posted_at="posted_at"))
    )
    pinned = updates.filter(is_pinned=True).order_by()  # one at most
    # The posters' public bylines, each once (a seek per update costs more).
    on_page = LiveUpdate.objects.filter(id__in=page_ids).values("author_id")
    bylines = (
        Author.objects.filter(Q(user_id__in=on_page) | Q(user_id__in=pinned.values("author_id")))
        .order_by()
        .values(json=JSONObject(user_id="user_id", id="id", name="name", slug="slug"))
    )
    # One JSON document: read in one json.loads(), not one for each update.
    statement = LiveCoverage.objects.filter(article_id=PK).values(
        json=JSONObject(
            page=ArraySubquery(page),
            key_events=ArraySubquery(key_events),
            pinned=Subquery(pinned.values(json=shown)[:1]),
            bylines=ArraySubquery(bylines),
        )
    )
    return Statement(statement, PK, AT, _ID)


class _Clock:
    """The page's times on the site's clock: the time zone looked up once a page."""

    def __init__(self) -> None:
        self.zone = timezone.get_current_timezone()

    def __call__(self, raw: str) -> tuple[datetime.datetime, str, str]:
        local = datetime.datetime.fromisoformat(raw).astimezone(self.zone)
        return local, local.isoformat(), clock_face(local)


def _key_event(row: dict, clock: _Clock) -> KeyEvent:
    return KeyEvent(row["id"], label_of(row["title"], row["text"]), *clock(row["posted_at"]))


def _updates(rows: list[dict], bylines: dict[int, dict], clock: _Clock) -> list[Update]:
    bodies = [row["body"] for row in rows]
    images = _images({row["image_id"] for row in rows if row["image_id"]}, bodies)
    return [
        Update(
            row["id"],
            label_of(row["title"], row["text"]),
            *clock(row["posted_at"]),
            title=row["title"],
            body=body,
            text=row["text"],
            image=images.get(row["image_id"]),
            author_id=(author := bylines.get(row["author_id"], _NOBODY))["id"],
            author_name=author["name"],
            author_url=author["url"],
            edited_iso=clock(row["edited_at"])[1] if row["edited_at"] else "",
            is_key_event=row["is_key_event"],
            is_pinned=row["is_pinned"],
        )
        for row, body in zip(rows, responsive_bodies(bodies, images), strict=True)
    ]


def _images(ids: set[int], bodies: list[str]) -> dict[int, Image]:
    """The updates' pictures and the pictures in their text, in one query."""
    wanted = ids | inline_image_ids(bodies)
    if not wanted:
        return {}
    images = originals(wanted)
    if missing := ids - images.keys():  # a picture without renditions still has its caption
        images.update(Image.objects.in_bulk(missing))
    return images


@require_safe
def updates_state(request: HttpRequest, pk: int) -> JsonResponse:
    """Polled by open pages (static/js/live-updates.js): served from the page cache and
    retired with the story's page, so a thousand readers cost one query a change."""
    surrogates.show(request, surrogates.story(pk))
    coverage = get_object_or_404(
        LiveCoverage.objects.filter(article__in=Article.objects.live()), article_id=pk
    )
    return JsonResponse(
        {
            "latest": coverage.latest_update_id,
            "count": coverage.update_count,
            "open": coverage.is_open,
        }
    )
