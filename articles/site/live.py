"""What a reader of live coverage sees: the pinned update, the key events, then every
update newest first, a page at a time; and the small answer a reader's open page polls."""

from dataclasses import dataclass

from django.db.models import Count, Max
from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from articles.models import Article, LiveCoverage, LiveUpdate
from articles.models.querysets import Cursor
from articles.site import surrogates

UPDATES_PER_PAGE = 20


@dataclass
class LivePage:
    coverage: LiveCoverage
    pinned: LiveUpdate | None
    key_events: list[LiveUpdate]
    updates: list[LiveUpdate]
    next_cursor: str | None
    is_first_page: bool
    latest_id: int
    count: int


class UpdateCursor(Cursor):
    """A position in the newest-first list of updates (``?updates_before=``)."""

    @classmethod
    def after(cls, update: LiveUpdate) -> "UpdateCursor":
        return cls(update.posted_at, update.id)


def live_page(story: Article, raw_cursor: str | None) -> LivePage:
    """Three queries whatever the number of updates: pinned and key events, one page, counts."""
    coverage = story.live_coverage
    if coverage is None:
        raise ValueError("live_page() is for stories with live coverage")
    try:
        cursor = UpdateCursor.parse(raw_cursor) if raw_cursor is not None else None
    except (ValueError, OverflowError, OSError):
        raise Http404("bad page") from None
    updates = story.live_updates.select_related("image").prefetch_related("image__renditions")
    highlights = list(updates.filter(is_pinned=True) | updates.filter(is_key_event=True))
    newest_first = updates.all()
    if cursor is not None:
        newest_first = newest_first.filter(posted_at__lte=cursor.publish_at).exclude(
            posted_at=cursor.publish_at, id__gte=cursor.id
        )
    page = list(newest_first[: UPDATES_PER_PAGE + 1])
    if cursor is not None and not page:
        raise Http404("no such page")
    more = len(page) > UPDATES_PER_PAGE
    page = page[:UPDATES_PER_PAGE]
    latest_id, count = latest(story.pk)
    return LivePage(
        coverage=coverage,
        pinned=next((u for u in highlights if u.is_pinned), None),
        key_events=[u for u in highlights if u.is_key_event],
        updates=page,
        next_cursor=str(UpdateCursor.after(page[-1])) if more else None,
        is_first_page=cursor is None,
        latest_id=latest_id,
        count=count,
    )


def latest(article_id: int) -> tuple[int, int]:
    """(newest update's id, number of updates) — what an open page compares against.
    Updates are never back-dated, so the newest is the highest id."""
    found = LiveUpdate.objects.filter(article_id=article_id).aggregate(
        newest=Max("id"), count=Count("id")
    )
    return found["newest"] or 0, found["count"]


@require_safe
def updates_state(request: HttpRequest, pk: int) -> JsonResponse:
    """Polled by open pages (static/js/live-updates.js): served from the page cache and
    retired with the story's page, so a thousand readers cost one query a change."""
    surrogates.show(request, surrogates.story(pk))
    coverage = get_object_or_404(
        LiveCoverage.objects.filter(article__in=Article.objects.live()), article_id=pk
    )
    newest, count = latest(pk)
    return JsonResponse({"latest": newest, "count": count, "open": coverage.is_open})
