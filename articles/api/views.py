"""The read API: ``/api/v1/stories/`` and ``/api/v1/stories/<id>/``.

Plain Django views: read-only JSON of live stories (``live()``, like every public
surface). ETags and 304s come from ConditionalGetMiddleware, anonymous responses
from the page cache (articles/site/caching.py) like any public page, CORS from
articles/api/cors.py.
"""

import datetime

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from articles.api import access, ninjs
from articles.models import Article
from articles.models.querysets import Cursor
from articles.site import surrogates
from articles.text.hygiene import strip_unsafe_everywhere

MAX_LIMIT = 100
LIST_FILTERS = {
    "section": "section__slug",
    "tag": "tags__slug",
    "author": "credits__author__slug",
}


def _json(data, status=200, **headers) -> JsonResponse:
    # Stored text through the hygiene's character rules, even a row written around the models.
    response = JsonResponse(
        strip_unsafe_everywhere(data), status=status, json_dumps_params={"ensure_ascii": False}
    )
    for name, value in headers.items():
        response[name] = value
    return response


def _error(status: int, code: str, message: str, **headers) -> JsonResponse:
    return _json({"error": {"code": code, "message": message}}, status=status, **headers)


def _refused(refusal: access.Refusal) -> JsonResponse:
    headers = {"Cache-Control": "no-store"}
    if refusal.retry_after:
        headers["Retry-After"] = str(refusal.retry_after)
    return _error(refusal.status, refusal.code, refusal.message, **headers)


class BadParameter(ValueError):
    pass


def _moment(raw: str) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(raw)
    except ValueError:
        raise BadParameter(_("“since” must be a date and time in ISO 8601.")) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment


def _slug(raw: str) -> str:
    """A filter value PostgreSQL can be asked about (no NUL, no lone surrogate)."""
    try:
        raw.encode()
    except UnicodeEncodeError:
        raise BadParameter(_("A filter holds characters that cannot be searched for.")) from None
    if "\x00" in raw or len(raw) > 200:
        raise BadParameter(_("A filter holds characters that cannot be searched for."))
    return raw


def _limit(raw: str | None) -> int:
    if raw is None:
        return settings.NEWSROOM_API_PAGE_SIZE
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_LIMIT:
        raise BadParameter(_("“limit” must be a whole number from 1 to 100."))
    return int(raw)


def _cursor(raw: str | None) -> Cursor | None:
    if raw is None:
        return None
    try:
        return Cursor.parse(raw)
    except (ValueError, OverflowError, OSError):
        raise BadParameter(_("“before” is not a position this API gave.")) from None


@require_safe
def story_list(request):
    refusal = access.check(request)
    if refusal:
        return _refused(refusal)
    surrogates.show(request, surrogates.API)
    stories = Article.objects.live().for_api().newest_first()
    try:
        for name, lookup in LIST_FILTERS.items():
            if name in request.GET:
                stories = stories.filter(**{lookup: _slug(request.GET[name])})
        if "since" in request.GET:
            stories = stories.changed_since(_moment(request.GET["since"]))
        limit = _limit(request.GET.get("limit"))
        cursor = _cursor(request.GET.get("before"))
    except BadParameter as bad:
        return _error(400, "bad_parameter", str(bad))
    # One row per story: a tag's or an author's slug matches once per story at most.
    page = list(stories.older_than(cursor)[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    surrogates.show_stories(request, page)
    next_url = None
    if more:
        query = request.GET.copy()
        query["before"] = str(Cursor.after(page[-1]))
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return _json({"items": [ninjs.story(story, request) for story in page], "next": next_url})


@require_safe
def story_detail(request, pk):
    refusal = access.check(request)
    if refusal:
        return _refused(refusal)
    surrogates.show(request, surrogates.story(pk))  # its 404 too, until it is published
    story = Article.objects.live().for_api().filter(pk=pk).first()
    if story is None:
        return _error(404, "not_found", _("No published story has this number."))
    return _json(ninjs.story(story, request))
