"""The breaking-news desk of one story: mark it as breaking for a window, or take the
banner down. Every action calls articles/desk/breaking.py (the workflow's door), which
checks the permission again on the server; this page only shows what each person may do.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.desk import breaking
from articles.desk.workflow import WorkflowError
from articles.models import Article, BreakingNews

LOCAL_MINUTE = "%Y-%m-%dT%H:%M"


class LocalMinuteInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format=LOCAL_MINUTE)


class WindowForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=gettext_lazy("Breaking from"),
        required=False,
        widget=LocalMinuteInput(),
        help_text=gettext_lazy("Leave empty to start now."),
    )
    ends_at = forms.DateTimeField(label=gettext_lazy("Breaking until"), widget=LocalMinuteInput())


def breaking_desk(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_object_or_404(Article.objects.visible_to(request.user), pk=pk)
    if not request.user.has_perm("articles.view_article"):
        raise PermissionDenied
    window = BreakingNews.objects.filter(article=story).first()
    may_edit = request.user.has_perm("articles.publish_article")
    form = WindowForm(
        initial={
            "starts_at": window.starts_at if window else None,
            "ends_at": window.ends_at if window else None,
        }
    )
    if request.method == "POST":
        form = WindowForm(request.POST)
        try:
            if request.POST.get("action") == "clear":
                breaking.breaking_clear(article=story, user=request.user)
                messages.success(request, _("The breaking-news banner was taken down."))
                return redirect(request.path)
            if form.is_valid():
                breaking.breaking_set(
                    article=story,
                    user=request.user,
                    starts_at=form.cleaned_data["starts_at"],
                    ends_at=form.cleaned_data["ends_at"],
                )
                messages.success(request, _("The story is marked as breaking news."))
                return redirect(request.path)
        except WorkflowError as refused:
            messages.error(request, refused.message)
            form.add_error(None, refused.message)  # what was typed stays in the form

    now = timezone.now()
    context = {
        **admin.site.each_context(request),
        "title": _("Breaking news: %(headline)s") % {"headline": story.headline},
        "original": story,
        "opts": Article._meta,
        "window": window,
        "window_on": window is not None and window.is_on(now),
        "is_live": Article.objects.live().filter(pk=story.pk).exists(),
        "form": form,
        "may_edit": may_edit,
        "time_zone_name": timezone.get_current_timezone_name(),
    }
    return TemplateResponse(request, "admin/articles/article/breaking.html", context)
