"""The story's history page, comparing two revisions, restoring one, and deleting a draft."""

from itertools import chain
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from articles.admin.pages import article_or_404, change_url, page_context
from articles.admin.preview_pages import may_preview
from articles.desk import diffing, revisions, workflow
from articles.models import Article, ArticleEvent, Revision

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

Status = Article.Status
Action = ArticleEvent.Action


def history(
    model_admin: "ModelAdmin[Article]", request: HttpRequest, object_id: str
) -> HttpResponse:
    article = article_or_404(model_admin, request, object_id)
    revs = list(article.revisions.select_related("user").defer("snapshot"))
    # An edit's audit entry says what its revision row already says: shown once.
    events = list(
        article.events.exclude(action__in=[Action.EDIT, Action.CREATE]).select_related("user")
    )
    timeline: list[dict[str, Any]] = sorted(
        chain(
            ({"kind": "revision", "at": r.created_at, "item": r} for r in revs),
            ({"kind": "event", "at": e.created_at, "item": e} for e in events),
        ),
        key=lambda entry: entry["at"],
        reverse=True,
    )
    return TemplateResponse(
        request,
        "admin/articles/article/history.html",
        page_context(
            model_admin,
            request,
            title=_("History of “%(headline)s”") % {"headline": article.headline},
            original=article,
            object=article,
            timeline=timeline,
            revisions=revs,
            can_restore=workflow.can_edit(request.user, article),
            can_preview=may_preview(request.user, article),
        ),
    )


def compare_revisions(
    model_admin: "ModelAdmin[Article]", request: HttpRequest, pk: int
) -> HttpResponse:
    article = article_or_404(model_admin, request, pk)
    try:
        old_version, new_version = int(request.GET["a"]), int(request.GET["b"])
    except (KeyError, ValueError):
        messages.error(request, _("Choose two revisions to compare."))
        return redirect("admin:articles_article_history", article.pk)
    found = Revision.objects.filter(article=article, version__in=[old_version, new_version])
    by_version = {rev.version: rev for rev in found.select_related("user")}
    if old_version not in by_version or new_version not in by_version:
        raise Http404("no such revision")
    old, new = by_version[old_version], by_version[new_version]
    return TemplateResponse(
        request,
        "admin/articles/article/compare.html",
        page_context(
            model_admin,
            request,
            title=_("Compare revisions"),
            original=article,
            old=old,
            new=new,
            diffs=diffing.compare(old.snapshot, new.snapshot),
        ),
    )


def restore(
    model_admin: "ModelAdmin[Article]", request: HttpRequest, pk: int, version: int
) -> HttpResponse:
    """GET: what restoring would change, and a confirmation (with the public note a
    correction needs). POST: restore through the workflow's edit door."""
    article = article_or_404(model_admin, request, pk)
    revision = get_object_or_404(Revision, article=article, version=version)
    error = ""
    note = request.POST.get("correction_note", "")
    if request.method == "POST":
        try:
            result = revisions.restore(revision=revision, user=request.user, public_note=note)
        except workflow.WorkflowError as exc:
            error = exc.message
        else:
            if result.changed:
                messages.success(
                    request,
                    _("Version %(old)s restored as version %(new)s.")
                    % {"old": version, "new": result.story.version},
                )
            else:
                messages.info(request, _("The story already reads as that version."))
            return redirect("admin:articles_article_history", article.pk)
    elif not workflow.can_edit(request.user, article):
        error = workflow.edit_refusal(request.user, article)
    return TemplateResponse(
        request,
        "admin/articles/article/restore.html",
        page_context(
            model_admin,
            request,
            title=_("Restore version %(version)s") % {"version": version},
            original=article,
            revision=revision,
            diffs=diffing.compare(revisions.snapshot(article), revision.snapshot),
            correction=article.has_gone_live(),
            can_restore=workflow.can_edit(request.user, article),
            error=error,
            note=note,
        ),
        status=200,
    )


def delete(
    model_admin: "ModelAdmin[Article]", request: HttpRequest, object_id: str
) -> HttpResponse:
    """Delete a story never published: an Arabic confirmation, then the workflow's
    delete (the story leaves the desk; its history and audit trail are kept)."""
    article = article_or_404(model_admin, request, object_id)
    if not model_admin.has_delete_permission(request, article):
        if request.user.has_perm("articles.delete_article"):
            messages.error(
                request,
                _(
                    "“%(headline)s” has been published, so it cannot be deleted; "
                    "withdraw it instead."
                )
                % {"headline": article.headline},
            )
            return redirect(change_url(article))
        raise PermissionDenied
    if request.method == "POST":
        try:
            workflow.article_delete(article=article, user=request.user)
        except workflow.WorkflowError as exc:
            messages.error(request, exc.message)
            return redirect(change_url(article))
        messages.success(request, _("“%(headline)s” was deleted.") % {"headline": article.headline})
        return redirect("admin:articles_article_changelist")
    return TemplateResponse(
        request,
        "admin/articles/article/delete.html",
        page_context(
            model_admin,
            request,
            title=_("Delete a story"),
            original=article,
            revision_count=article.revisions.count(),
        ),
    )
