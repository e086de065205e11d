"""The live-coverage desk of one story: start and close it, assign reporters, and post,
edit or delete updates — without reopening and re-saving the story.

Every action calls articles/desk/live.py (the workflow's door), which checks the
permission again on the server; this page only shows what each person may do.
"""

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.admin.editor import body_editor_widget, editor_page_csp
from articles.admin.pages import id_or_404
from articles.desk import live
from articles.desk.roles import GROUP_NAMES
from articles.desk.workflow import WorkflowError
from articles.models import Article, LiveCoverage, LiveUpdate

if TYPE_CHECKING:  # generic in django-stubs only (see articles/admin/__init__.py)
    UpdateModelForm = forms.ModelForm[LiveUpdate]
else:
    UpdateModelForm = forms.ModelForm


class UpdateForm(UpdateModelForm):
    class Meta:
        model = LiveUpdate
        fields = ["title", "body", "image", "is_key_event", "is_pinned"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].widget = body_editor_widget()
        self.fields["body"].required = False  # a picture alone is an update too
        image = LiveUpdate._meta.get_field("image")
        self.fields["image"].widget = ForeignKeyRawIdWidget(image.remote_field, admin.site)


class ReportersForm(forms.Form):
    reporters = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Reporters who may post updates"),
        # Lazy: each form gets a fresh copy of it (ModelChoiceField's deepcopy), read when shown.
        queryset=get_user_model()
        .objects.filter(is_active=True, groups__name=GROUP_NAMES["reporter"])
        .order_by("username"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


@editor_page_csp
def live_desk(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_object_or_404(Article.objects.visible_on_desk(), pk=pk)
    coverage = LiveCoverage.objects.filter(article=story).first()
    is_editor = request.user.has_perm("articles.publish_article")
    may_post = live.may_post(request.user, coverage)
    if not (is_editor or may_post or request.user.has_perm("articles.view_article")):
        raise PermissionDenied
    # Readers have seen a story that went live; one that has not is read on the desk only
    # by those the change form shows it to (another reporter's draft may be a scoop).
    if not (is_editor or may_post or story.has_gone_live()):
        get_object_or_404(Article.objects.visible_to(request.user), pk=story.pk)

    editing = None
    if "edit" in request.GET:
        editing = get_object_or_404(LiveUpdate, pk=id_or_404(request.GET["edit"]), article=story)
    form = UpdateForm(instance=editing, prefix="update")
    if request.method == "POST":
        response, form = _act(request, story, coverage, form)
        if response is not None:
            return response

    context = {
        **admin.site.each_context(request),
        "title": _("Live coverage: %(headline)s") % {"headline": story.headline},
        "original": story,
        "opts": Article._meta,
        "coverage": coverage,
        "updates": story.live_updates.select_related("author", "image")[:200],
        "form": form,
        "editing": editing,
        "reporters_form": ReportersForm(
            initial={"reporters": list(coverage.reporters.all()) if coverage else []},
            prefix="assign",
        ),
        "is_editor": is_editor,
        "may_post": may_post,
        "is_published": story.status == Article.Status.PUBLISHED,
        "media": form.media,
    }
    return TemplateResponse(request, "admin/articles/article/live.html", context)


def _act(
    request: HttpRequest, story: Article, coverage: LiveCoverage | None, form: UpdateForm
) -> tuple[HttpResponse | None, UpdateForm]:
    """Carry out the posted action; (redirect, form) on success, (None, bound form) to show errors."""
    action, user, here = request.POST.get("action"), request.user, request.path
    try:
        if action == "start":
            live.coverage_start(article=story, user=user)
            messages.success(request, _("Live coverage started."))
        elif action == "end":
            live.coverage_end(article=story, user=user)
            messages.success(request, _("Live coverage closed."))
        elif action == "assign":
            assign = ReportersForm(request.POST, prefix="assign")
            if assign.is_valid():
                live.coverage_assign(
                    article=story, user=user, reporters=list(assign.cleaned_data["reporters"])
                )
                messages.success(request, _("Reporters assigned."))
        elif action in ("post", "edit"):
            instance = None
            if action == "edit":
                instance = get_object_or_404(
                    LiveUpdate, pk=id_or_404(request.POST.get("update")), article=story
                )
            form = UpdateForm(request.POST, instance=instance, prefix="update")
            if not form.is_valid():
                return None, form
            fields = {
                "title": form.cleaned_data["title"],
                "body": form.cleaned_data["body"],
                "image": form.cleaned_data["image"],
            }
            if action == "post":
                live.update_post(
                    article=story,
                    user=user,
                    key_event=form.cleaned_data["is_key_event"],
                    pinned=form.cleaned_data["is_pinned"],
                    **fields,
                )
                messages.success(request, _("Update posted."))
            else:
                live.update_edit(
                    update=instance,
                    user=user,
                    is_key_event=form.cleaned_data["is_key_event"],
                    is_pinned=form.cleaned_data["is_pinned"],
                    **fields,
                )
                messages.success(request, _("Update saved."))
        elif action == "delete":
            update = get_object_or_404(
                LiveUpdate, pk=id_or_404(request.POST.get("update")), article=story
            )
            live.update_delete(update=update, user=user)
            messages.success(request, _("Update deleted."))
        else:
            messages.error(request, _("Unknown action."))
    except WorkflowError as refused:
        messages.error(request, refused.message)
        if action in ("post", "edit"):
            form.add_error(None, refused.message)
            return None, form  # the text stays in the form
    return redirect(here), form
