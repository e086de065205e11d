"""Previews of a story in the public template, and the preview links shared with others."""

import datetime
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.admin.pages import article_or_404, change_url, id_or_404
from articles.desk import preview, workflow
from articles.models import Article, PreviewLink, Revision

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

Status = Article.Status
MAX_PREVIEW_HOURS = 24 * 14


def may_preview(user: User | AnonymousUser, article: Article) -> bool:
    return user.has_perm("articles.edit_any_article") or workflow.is_owner(user, article)


def preview_page(
    model_admin: "ModelAdmin[Article]", request: HttpRequest, pk: int, version: int | None = None
) -> HttpResponse:
    article = article_or_404(model_admin, request, pk)
    if not may_preview(request.user, article):
        raise PermissionDenied
    if version is None:
        return preview.render_preview(request, article)
    revision = get_object_or_404(Revision, article=article, version=version)
    return preview.render_preview(
        request,
        article,
        revision.snapshot,
        banner=_("Preview of version %(version)s — not published") % {"version": version},
    )


def preview_links(
    model_admin: "ModelAdmin[Article]", request: HttpRequest, pk: int
) -> HttpResponse:
    """POST: create a shared link, or revoke one (``revoke=<id>``)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    article = article_or_404(model_admin, request, pk)
    if not request.user.has_perm("articles.share_preview_article"):
        raise PermissionDenied
    if revoke_id := request.POST.get("revoke"):
        link = get_object_or_404(PreviewLink, pk=id_or_404(revoke_id), article=article)
        preview.revoke(link)
        messages.success(request, _("The preview link was revoked."))
    else:
        hours = request.POST.get("hours", "")
        lifetime = None
        if hours:
            # ASCII digits only: isdigit() alone accepts "²", which int() refuses.
            if not (hours.isascii() and hours.isdigit() and 0 < int(hours) <= MAX_PREVIEW_HOURS):
                messages.error(
                    request,
                    _("A preview link lasts a whole number of hours between 1 and %(most)s.")
                    % {"most": MAX_PREVIEW_HOURS},
                )
                return redirect(change_url(article))
            lifetime = datetime.timedelta(hours=int(hours))
        link = preview.create_link(article=article, user=request.user, lifetime=lifetime)
        url = request.build_absolute_uri(
            reverse("articles:preview", args=[preview.token_for(link)])
        )
        messages.success(
            request,
            _("Preview link (valid until %(until)s): %(url)s")
            % {"until": timezone.localtime(link.expires_at).strftime("%Y-%m-%d %H:%M"), "url": url},
        )
    return redirect(change_url(article))
