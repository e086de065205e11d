"""The soft lock's endpoints: the open form's heartbeat and its goodbye.

Both are POSTs (showing a page never writes the lock): static/js/desk-presence.js
beats while the form is open and sends the goodbye with ``navigator.sendBeacon``
when the page goes away. The rules are in articles/desk/locks.py.
"""

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse

from articles.desk import locks, workflow
from articles.models import Article, EditPresence

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin


def presence_context(request: HttpRequest, article: Article) -> dict[str, Any]:
    """Who else has the form open, read without writing (for the page itself)."""
    holder = locks.holder(article)
    others = locks.others_present(article, request.user)
    context = _context(request, article, holder, others)
    if workflow.can_edit(request.user, article):
        context["presence_url"] = reverse("admin:articles_article_presence", args=[article.pk])
        context["leave_url"] = reverse("admin:articles_article_leave", args=[article.pk])
        context["heartbeat_seconds"] = locks.heartbeat_seconds()
    return context


def _context(
    request: HttpRequest,
    article: Article,
    holder: User | None,
    others: list[EditPresence],
) -> dict[str, Any]:
    holder = holder if holder is not None and holder != request.user else None
    return {
        "original": article,
        "lock_holder": holder,
        "lock_holder_since": article.editing_since if holder is not None else None,
        "others_present": [
            entry for entry in others if holder is None or entry.user_id != holder.pk
        ],
        "can_take_over": holder is not None and request.user.has_perm("articles.edit_any_article"),
    }


def render_presence(request: HttpRequest, context: dict[str, Any]) -> str:
    return render_to_string("admin/articles/article/_presence.html", context, request=request)


def heartbeat_view(
    model_admin: "ModelAdmin[Article]", request: HttpRequest, pk: int
) -> HttpResponse:
    """POST: this person still has the form open; answers who else has."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    article = get_object_or_404(Article, pk=pk)
    if not workflow.can_edit(request.user, article):
        return JsonResponse({"html": ""}, status=403)
    state = locks.heartbeat(article, request.user)
    article.editing_since = state.since
    context = _context(request, article, None if state.mine else state.holder, state.others)
    return JsonResponse({"html": render_presence(request, context)})


def leave_view(model_admin: "ModelAdmin[Article]", request: HttpRequest, pk: int) -> HttpResponse:
    """POST (a beacon): this person closed the form or saved it."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    article = get_object_or_404(Article, pk=pk)
    locks.release(article, request.user)
    return HttpResponse(status=204)
