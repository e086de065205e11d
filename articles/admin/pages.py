"""The desk's own admin pages: the day's work, history, compare, restore, workflow
buttons, the edit lock and previews. Every change goes through workflow.py or
revisions.py; these views only translate between HTTP and those functions.
"""

import datetime
from itertools import chain

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from articles.admin import autosave, presence
from articles.admin.desk import desk_context
from articles.desk import diffing, locks, preview, revisions, scheduling, workflow
from articles.models import Article, PreviewLink, Revision

Status = Article.Status
MAX_PREVIEW_HOURS = 24 * 14


def _context(model_admin, request, **extra):
    return {
        **model_admin.admin_site.each_context(request),
        "opts": Article._meta,
        **extra,
    }


def _article_or_404(model_admin, request, pk):
    # Only stories the person may read: another reporter's story is "not found".
    stories = Article.objects.visible_to(request.user).select_related("section")
    article = get_object_or_404(stories, pk=pk)
    if not model_admin.has_view_permission(request, article):
        raise PermissionDenied
    return article


def _change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


# ------------------------------------------------------------------ change form


def available_actions(user, article):
    """Buttons to offer; the server checks again when one is pressed."""
    has = user.has_perm
    now = timezone.now()
    offers = []
    if article.status == Status.DRAFT and (
        has("articles.submit_article")
        and (has("articles.edit_any_article") or workflow.is_owner(user, article))
    ):
        offers.append(("submit", _("Submit for review"), False, None))
    if article.status in (Status.IN_REVIEW, Status.APPROVED, Status.WITHDRAWN) and has(
        "articles.return_article"
    ):
        offers.append(("return", _("Return to the reporter"), True, None))
    if article.status == Status.IN_REVIEW and has("articles.approve_article"):
        offers.append(("approve", _("Approve"), False, None))
    scheduled = article.status == Status.PUBLISHED and article.publish_at > now
    if (article.status == Status.APPROVED or scheduled) and has("articles.publish_article"):
        offers.append(("publish", _("Publish now"), False, None))
        if scheduled:
            offers.append(("reschedule", _("Reschedule"), False, "publish_at"))
            offers.append(("unschedule", _("Cancel the schedule"), False, None))
        else:
            offers.append(("schedule", _("Schedule"), False, "publish_at"))
    expiry_passed = article.expire_at is not None and article.expire_at <= now
    if (
        article.status in (Status.APPROVED, Status.PUBLISHED)
        and not expiry_passed
        and has("articles.publish_article")
    ):
        offers.append(("expire", _("Set the expiry time"), False, "expire_at"))
        if article.expire_at:
            offers.append(("keep", _("Remove the expiry time"), False, None))
    if article.status == Status.PUBLISHED and has("articles.withdraw_article"):
        offers.append(("withdraw", _("Withdraw"), True, None))
    values = {
        "publish_at": scheduling.local_input_value(article.publish_at if scheduled else None),
        "expire_at": scheduling.local_input_value(article.expire_at),
    }
    return [
        {
            "action": a,
            "label": label,
            "note": note,
            "time": bool(field),
            "field": field,
            "value": values.get(field, "") if field else "",
        }
        for a, label, note, field in offers
    ]


def change_context(model_admin, request, object_id):
    article = (
        Article.objects.visible_to(request.user)
        .filter(pk=object_id)
        .select_related("editing_by")
        .first()
    )
    if article is None:
        return {}
    context = {
        "workflow_actions": available_actions(request.user, article),
        "preview_url": reverse("admin:articles_article_preview", args=[article.pk]),
        "can_share_preview": request.user.has_perm("articles.share_preview_article"),
        "preview_links": [],
        "returned_note": None,
        "expired": article.expire_at is not None and article.expire_at <= timezone.now(),
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
    if request.method == "GET" and workflow.can_edit(request.user, article):
        _ensure_baseline(article)
    # Who else has it open (read only: the page's heartbeat POSTs take the lock).
    context.update(presence.presence_context(request, article))
    context.update(autosave.draft_offer(request, article))
    return context


def _ensure_baseline(article):
    """Stories made outside the desk (imports) get a revision when first opened,
    so that a later simultaneous save has a common ancestor to merge from."""
    if article.revisions.filter(version=article.version).exists():
        return
    try:
        with transaction.atomic():
            revisions.record(
                article=article,
                user=None,
                kind=Revision.Kind.CREATED,
                note=_("The story as it was when first opened in the desk"),
            )
    except IntegrityError:
        pass  # someone opening it at the same moment recorded it


def transition(model_admin, request, pk, action):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    article = _article_or_404(model_admin, request, pk)
    note = request.POST.get("note", "")
    user = request.user
    try:
        if action == "submit":
            workflow.article_submit(article=article, user=user, note=note)
        elif action == "return":
            workflow.article_return(article=article, user=user, note=note)
        elif action == "approve":
            workflow.article_approve(article=article, user=user, note=note)
        elif action == "publish":
            workflow.article_publish(article=article, user=user, note=note)
        elif action == "schedule":
            at = _parse_local(request.POST.get("publish_at", ""))
            workflow.article_publish(article=article, user=user, at=at, note=note)
        elif action == "reschedule":
            at = _parse_local(request.POST.get("publish_at", ""))
            workflow.article_reschedule(article=article, user=user, at=at, note=note)
        elif action == "unschedule":
            workflow.article_cancel_schedule(article=article, user=user, note=note)
        elif action == "expire":
            at = _parse_local(request.POST.get("expire_at", ""))
            workflow.article_set_expiry(article=article, user=user, at=at, note=note)
        elif action == "keep":
            workflow.article_set_expiry(article=article, user=user, at=None, note=note)
        elif action == "withdraw":
            workflow.article_withdraw(article=article, user=user, note=note)
        else:
            raise Http404("no such action")
    except workflow.TimeHasPassed as exc:
        if action in ("schedule", "reschedule") and user.has_perm("articles.publish_article"):
            return _ask_publish_now(model_admin, request, article, exc.message)
        messages.error(request, exc.message)
    except workflow.WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _done_message(action, article))
        locks.release(article, user)  # e.g. submitted: the reporter's form is closed now
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    if model_admin.has_change_permission(request, article) or model_admin.has_view_permission(
        request, article
    ):
        return redirect(_change_url(article))
    return redirect("admin:articles_article_changelist")


def _done_message(action, article):
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


def _ask_publish_now(model_admin, request, article, reason):
    """A schedule for a time already passed: say so and offer to publish now."""
    return TemplateResponse(
        request,
        "admin/articles/article/publish_now.html",
        _context(
            model_admin,
            request,
            title=_("Publish now?"),
            original=article,
            reason=reason,
            entered=request.POST.get("publish_at", "").replace("T", " "),
            change_url=_change_url(article),
        ),
    )


def _parse_local(text):
    """A ``datetime-local`` value, in the newsroom's time zone."""
    try:
        return scheduling.parse_newsroom_time(text)
    except scheduling.BadTime as exc:
        raise workflow.WorkflowError(exc.message) from None


def take_over(model_admin, request, pk):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    article = _article_or_404(model_admin, request, pk)
    try:
        workflow.take_over_editing(article=article, user=request.user)
    except workflow.WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You are now editing this story."))
    return redirect(_change_url(article))


# ------------------------------------------------------------------ the desk


def desk(model_admin, request):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    changelist = reverse("admin:articles_article_changelist")
    return TemplateResponse(
        request,
        "admin/articles/desk.html",
        _context(
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


# ------------------------------------------------------------------ history


def history(model_admin, request, object_id):
    article = _article_or_404(model_admin, request, object_id)
    revs = list(article.revisions.select_related("user").defer("snapshot"))
    events = list(article.events.select_related("user"))
    timeline = sorted(
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
        _context(
            model_admin,
            request,
            title=_("History of “%(headline)s”") % {"headline": article.headline},
            original=article,
            object=article,
            timeline=timeline,
            revisions=revs,
            can_restore=workflow.can_edit(request.user, article),
            can_preview=_may_preview(request.user, article),
        ),
    )


def compare_revisions(model_admin, request, pk):
    article = _article_or_404(model_admin, request, pk)
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
        _context(
            model_admin,
            request,
            title=_("Compare revisions"),
            original=article,
            old=old,
            new=new,
            diffs=diffing.compare(old.snapshot, new.snapshot),
        ),
    )


def restore(model_admin, request, pk, version):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    article = _article_or_404(model_admin, request, pk)
    revision = get_object_or_404(Revision, article=article, version=version)
    try:
        new = revisions.restore(revision=revision, user=request.user)
    except workflow.WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Version %(old)s restored as version %(new)s.")
            % {"old": version, "new": new.version},
        )
    return redirect("admin:articles_article_history", article.pk)


# ------------------------------------------------------------------ previews


def _may_preview(user, article):
    return user.has_perm("articles.edit_any_article") or workflow.is_owner(user, article)


def preview_page(model_admin, request, pk, version=None):
    article = _article_or_404(model_admin, request, pk)
    if not _may_preview(request.user, article):
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


def preview_links(model_admin, request, pk):
    """POST: create a shared link, or revoke one (``revoke=<id>``)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    article = _article_or_404(model_admin, request, pk)
    if not request.user.has_perm("articles.share_preview_article"):
        raise PermissionDenied
    if revoke_id := request.POST.get("revoke"):
        link = get_object_or_404(PreviewLink, pk=revoke_id, article=article)
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
                return redirect(_change_url(article))
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
    return redirect(_change_url(article))
