"""The desk's own admin pages: the change form's context, the workflow buttons, the edit
lock and the day's work (history, compare, restore and delete are in history_pages.py,
previews in preview_pages.py). Every change goes through the workflow; these views only
translate between HTTP and it.
"""

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from articles.admin import autosave, presence
from articles.admin.desk import desk_context
from articles.desk import locks, preview, scheduling, workflow
from articles.models import Article, ArticleEvent

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

Status = Article.Status
Action = ArticleEvent.Action


def page_context(
    model_admin: "ModelAdmin[Article]", request: HttpRequest, **extra: Any
) -> dict[str, Any]:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": Article._meta,
        **extra,
    }


def article_or_404(
    model_admin: "ModelAdmin[Article]", request: HttpRequest, pk: int | str
) -> Article:
    # Only stories the person may read: another reporter's story is "not found".
    stories = Article.objects.visible_to(request.user).select_related("section")
    article = get_object_or_404(stories, pk=pk)
    if not model_admin.has_view_permission(request, article):
        raise PermissionDenied
    return article


def id_or_404(value: str | None) -> str:
    """An id sent by the desk's own forms and links, or "not found": isdigit() alone accepts
    "²", which the id lookup refuses with a server error."""
    if value is None or not (value.isascii() and value.isdigit()):
        raise Http404("no such id")
    return value


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


# ------------------------------------------------------------------ change form


def available_actions(user: User | AnonymousUser, article: Article) -> list[dict[str, Any]]:
    """The buttons to offer, read from the workflow's table; the server checks again."""
    values = {
        "publish_at": scheduling.local_input_value(
            article.publish_at if article.is_scheduled() else None
        ),
        "expire_at": scheduling.local_input_value(article.expire_at),
    }
    return [
        {
            "action": row.name,
            "label": row.label,
            "note": bool(row.note),
            "note_required": row.note == "required",
            "time": bool(row.field),
            "field": row.field,
            "value": values.get(row.field, ""),
        }
        for row in workflow.available(user, article)
    ]


def change_context(
    model_admin: "ModelAdmin[Article]", request: HttpRequest, object_id: str
) -> dict[str, Any]:
    article = (
        Article.objects.visible_to(request.user)
        .filter(pk=object_id)
        .select_related("editing_by")
        .first()
    )
    if article is None:
        return {}
    context: dict[str, Any] = {
        "workflow_actions": available_actions(request.user, article),
        "preview_url": reverse("admin:articles_article_preview", args=[article.pk]),
        "can_share_preview": request.user.has_perm("articles.share_preview_article"),
        "preview_links": [],
        "returned_note": None,
        "expired": article.is_expired(),
        "time_zone_name": settings.TIME_ZONE,
    }
    if context["can_share_preview"]:
        context["preview_links"] = [
            {
                "link": link,
                "url": request.build_absolute_uri(
                    reverse("articles:preview", args=[preview.token_for(link)])
                ),
            }
            for link in article.preview_links.filter(
                revoked_at__isnull=True, expires_at__gt=timezone.now()
            )
        ]
    if article.returned_at and article.status == Status.DRAFT:
        context["returned_note"] = (
            article.events.filter(action="return").select_related("user").first()
        )
    # Who else has it open (read only: the page's heartbeat POSTs take the lock).
    context.update(presence.presence_context(request, article))
    context.update(autosave.draft_offer(request, article))
    return context


def transition(
    model_admin: "ModelAdmin[Article]", request: HttpRequest, pk: int, action: str
) -> HttpResponse:
    """A workflow button posted on its own (the schedule page, scripts): no form to save."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if action not in workflow.TRANSITIONS or not workflow.TRANSITIONS[action].button:
        raise Http404("no such action")
    article = article_or_404(model_admin, request, pk)
    user = request.user
    field = workflow.TRANSITIONS[action].field
    try:
        at = _parse_local(request.POST.get(field, "")) if field else None
        workflow.apply(action, article=article, user=user, note=request.POST.get("note", ""), at=at)
    except workflow.TimeHasPassed as exc:
        if action in ("schedule", "reschedule") and user.has_perm("articles.publish_article"):
            return _ask_publish_now(model_admin, request, article, exc.message)
        messages.error(request, exc.message)
    except workflow.WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done_message(action, article))
        locks.release(article, user)  # e.g. submitted: the reporter's form is closed now
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return after_transition(model_admin, request, article)


def after_transition(
    model_admin: "ModelAdmin[Article]", request: HttpRequest, article: Article
) -> HttpResponse:
    """Back to the story when the person may still see it, else to the list."""
    if model_admin.has_change_permission(request, article) or model_admin.has_view_permission(
        request, article
    ):
        return redirect(change_url(article))
    return redirect("admin:articles_article_changelist")


def refused(reason: str) -> str:
    return _("Refused: %(reason)s") % {"reason": reason}


def done_message(action: str, article: Article) -> str:
    if action in ("schedule", "reschedule"):
        return _("“%(headline)s” will be published at %(at)s.") % {
            "headline": article.headline,
            "at": timezone.localtime(article.publish_at).strftime("%Y-%m-%d %H:%M"),
        }
    if action == "expire":
        return _("“%(headline)s” will leave the site at %(at)s.") % {
            "headline": article.headline,
            "at": timezone.localtime(article.expire_at).strftime("%Y-%m-%d %H:%M"),
        }
    if action == "keep":
        return _("“%(headline)s” no longer has an expiry time.") % {"headline": article.headline}
    return _("“%(headline)s” is now %(status)s.") % {
        "headline": article.headline,
        "status": article.get_status_display(),
    }


def _ask_publish_now(
    model_admin: "ModelAdmin[Article]", request: HttpRequest, article: Article, reason: str
) -> TemplateResponse:
    """A schedule for a time already passed: say so and offer to publish now."""
    return TemplateResponse(
        request,
        "admin/articles/article/publish_now.html",
        page_context(
            model_admin,
            request,
            title=_("Publish now?"),
            original=article,
            reason=reason,
            entered=request.POST.get("publish_at", "").replace("T", " "),
            change_url=change_url(article),
        ),
    )


def _parse_local(text: str) -> datetime.datetime:
    """A ``datetime-local`` value, in the newsroom's time zone."""
    try:
        return scheduling.parse_newsroom_time(text)
    except scheduling.BadTime as exc:
        raise workflow.WorkflowError(exc.message) from None


def take_over(model_admin: "ModelAdmin[Article]", request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    article = article_or_404(model_admin, request, pk)
    try:
        workflow.take_over_editing(article=article, user=request.user)
    except workflow.WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You are now editing this story."))
    return redirect(change_url(article))


# ------------------------------------------------------------------ the desk


def desk(model_admin: "ModelAdmin[Article]", request: HttpRequest) -> TemplateResponse:
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    changelist = reverse("admin:articles_article_changelist")
    return TemplateResponse(
        request,
        "admin/articles/desk.html",
        page_context(
            model_admin,
            request,
            title=_("The desk"),
            buckets=desk_context(request.user, changelist),
            add_url=reverse("admin:articles_article_add"),
            can_add=model_admin.has_add_permission(request),
            schedule_url=reverse("admin:articles_schedule"),
            follow_up=scheduling.follow_up_health(),
        ),
    )
