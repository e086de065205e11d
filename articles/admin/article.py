"""The story admin: the form, the changelist and its bulk actions (the desk's other pages
and their URLs are in article_pages.py)."""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol, cast

from django.contrib import admin, messages
from django.contrib.auth.models import AnonymousUser, User
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import Field, QuerySet
from django.forms import BaseFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.admin import autosave, columns, pages
from articles.admin.article_pages import ArticlePages
from articles.admin.desk import DeskFilter
from articles.admin.editor import body_editor_widget, editor_page_csp
from articles.admin.forms import ArticleForm, pressed_button
from articles.desk import autosave as draft_buffers
from articles.desk import locks, workflow
from articles.media.pictures import responsive_images
from articles.models import Article, ArticleEvent
from articles.models.querysets import ArticleQuerySet

if TYPE_CHECKING:  # generic in django-stubs only (see articles/admin/__init__.py)
    from django.contrib.admin.options import Action as AdminAction
    from django.contrib.admin.options import _FieldsetSpec
    from django.forms import Field as FormField
    from django_stubs_ext import StrOrPromise

    ArticlePaginator = Paginator[Article]
else:
    ArticlePaginator = Paginator

Status = Article.Status
Action = ArticleEvent.Action


class BulkStep(Protocol):
    """A workflow step the changelist's bulk actions take, one story at a time."""

    def __call__(self, *, article: Article, user: User | AnonymousUser) -> object: ...


class EstimatedCountPaginator(ArticlePaginator):
    """No COUNT(*) over every story: unfiltered, PostgreSQL's estimate is enough."""

    ESTIMATE_ABOVE = 10_000

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet) and not self.object_list.query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [Article._meta.db_table],
                )
                row = cursor.fetchone()
            if row and row[0] > self.ESTIMATE_ABOVE:
                return row[0]
        return super().count


class ArticleAdmin(ArticlePages):
    form = ArticleForm
    list_display = [
        "headline",
        "section",
        "state",
        columns.reporter,
        columns.edited_by,
        columns.published,
        columns.updated,
    ]
    list_filter = [
        DeskFilter,
        "status",
        "section",
        ("authors", admin.RelatedFieldListFilter),
        ("publish_at", admin.DateFieldListFilter),
        ("updated_at", admin.DateFieldListFilter),
    ]
    list_select_related = ["section", "created_by"]
    search_fields = ["headline", "standfirst"]
    autocomplete_fields = ["tags", "lead_image"]
    ordering = ["-updated_at", "-id"]
    paginator = EstimatedCountPaginator
    show_full_result_count = False  # no COUNT(*) over every story on each page
    readonly_fields = ["status", "publish_at", "corrected_at"]
    actions = ["submit_selected", "approve_selected", "publish_selected", "withdraw_selected"]
    change_form_template = "admin/articles/article/change_form.html"

    def get_fieldsets(self, request: HttpRequest, obj: Article | None = None) -> "_FieldsetSpec":
        # Someone who may only read the story sees the body as readers do, not its HTML.
        body = "body" if obj is None or self.has_change_permission(request, obj) else "body_read"
        corrections = ["corrected_at", "correction_note"]
        gone_live = obj is not None and obj.has_gone_live()
        return [
            (
                None,
                {
                    "fields": [
                        "headline",
                        "slug",
                        "standfirst",
                        "lead_image",
                        body,
                        "opened_version",
                    ]
                },
            ),
            (
                gettext_lazy("Placement"),
                {"fields": ["section", "authors", "tags", "dateline_place"]},
            ),
            (
                gettext_lazy("Publication"),
                {
                    "fields": [
                        "status",
                        "publish_at",
                        "expire_at",
                        *(corrections if gone_live else []),
                    ]
                },
            ),
        ]

    class Media:
        css = {"all": ["css/admin-images.css", "css/desk-changelist.css"]}

    def formfield_for_dbfield(
        self, db_field: "Field[Any, Any]", request: HttpRequest, **kwargs: Any
    ) -> "FormField | None":
        if db_field.name == "body":
            kwargs["widget"] = body_editor_widget()
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        return editor_page_csp(super().changeform_view)(request, object_id, form_url, extra_context)

    def get_form(
        self, request: HttpRequest, obj: Article | None = None, change: bool = False, **kwargs: Any
    ) -> type[ArticleForm]:
        # modelform_factory subclasses self.form, which is ArticleForm.
        form = cast("type[ArticleForm]", super().get_form(request, obj, change=change, **kwargs))
        form.request, form.admin_site = request, self.admin_site
        return form

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        # Every desk page reads through this: the stories this person may see, without the
        # deleted drafts (kept in the database for their audit trail).
        # ModelAdmin reads Article's default manager, whose querysets are ArticleQuerySets.
        stories = cast(ArticleQuerySet, super().get_queryset(request))
        return columns.with_last_editor(stories.visible_to(request.user).visible_on_desk())

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def state(self, article: Article) -> str:
        """The status, and for a published story whether it is public yet or still."""
        if article.is_scheduled():
            return _("Scheduled for %(at)s") % {
                "at": timezone.localtime(article.publish_at).strftime("%Y-%m-%d %H:%M")
            }
        if article.is_expired():
            return _("Expired")
        return article.get_status_display()

    @admin.display(description=gettext_lazy("body"))
    def body_read(self, article: Article) -> str:
        return responsive_images(article.body)  # as the public page shows it (sanitised on save)

    # ------------------------------------------------------------ permissions

    def has_change_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        if obj is None:
            return super().has_change_permission(request)
        return workflow.can_edit(request.user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        if obj is None:
            return request.user.has_perm("articles.delete_article")
        return workflow.may("delete", request.user, obj)

    def has_view_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        allowed = request.user.has_perm("articles.view_article") or super().has_view_permission(
            request, obj
        )
        if obj is None or not allowed:
            return allowed
        return Article.objects.visible_to(request.user).filter(pk=obj.pk).exists()

    def has_submit_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("articles.submit_article")

    def has_approve_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("articles.approve_article")

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("articles.publish_article")

    def has_withdraw_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("articles.withdraw_article")

    # ------------------------------------------------------------ saving

    def save_model(
        self, request: HttpRequest, obj: Article, form: ArticleForm, change: bool
    ) -> None:
        """Every save goes through the workflow's door (articles/desk/editing.py)."""
        values = form.edit_values()
        if not change:
            story = workflow.article_create(user=request.user, values=values)
            obj.pk = story.pk
            obj.refresh_from_db()
            return
        result = workflow.article_edit(
            article=obj,
            user=request.user,
            values=values,
            opened_version=form.cleaned_data.get("opened_version"),
            public_note=form.cleaned_data.get("correction_note", ""),
        )
        if result.merged_fields:
            messages.warning(request, result.revision.note)

    def save_related(
        self,
        request: HttpRequest,
        form: ArticleForm,
        formsets: "Sequence[BaseFormSet[Any]]",
        change: bool,
    ) -> None:
        # Bylines and tags were saved by the door with the words; no second write here.
        locks.release(form.instance, request.user)
        draft_buffers.clear(request.user, form.instance if change else None)  # nothing to offer

    def response_change(self, request: HttpRequest, obj: Article) -> HttpResponse:
        """A workflow button on the form: the edits are saved (save_model); now the
        transition, in the same transaction (ModelAdmin.changeform_view's)."""
        pressed = pressed_button(request.POST)
        if not pressed.name:
            return super().response_change(request, obj)
        name = pressed.name
        try:
            workflow.apply(
                name, article=obj, user=request.user, note=pressed.note, at=pressed.time()
            )
        except workflow.WorkflowError as exc:
            # Checked in the form's clean() under the row lock, so this is rare: undo
            # the save as well, and say so (the refusal keeps nothing half-done).
            transaction.set_rollback(True)
            messages.error(request, pages.refused(exc.message))
            return redirect(pages.change_url(obj))
        messages.success(request, pages.done_message(name, obj))
        return pages.after_transition(self, request, obj)

    def get_actions(
        self,
        request: HttpRequest,
        action_location: admin.ActionLocation = admin.ActionLocation.CHANGE_LIST,
    ) -> "dict[str, AdminAction | None]":
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)  # one story at a time, through the door
        return actions

    # ------------------------------------------------------------ the form's pages

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        extra_context = {**(extra_context or {}), **pages.change_context(self, request, object_id)}
        return super().change_view(request, object_id, form_url, extra_context)

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra_context = {**(extra_context or {}), **autosave.draft_offer(request, None)}
        return super().add_view(request, form_url, extra_context)

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Article | None = None,
    ) -> HttpResponse:
        form = context["adminform"].form
        context["conflicts"] = getattr(form, "conflicts", [])
        context["conflict_revision"] = getattr(form, "conflict_revision", None)
        return super().render_change_form(request, context, add, change, form_url, obj)

    # ------------------------------------------------------------ bulk actions

    @admin.action(
        description=gettext_lazy("Submit selected stories for review"), permissions=["submit"]
    )
    def submit_selected(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._bulk(request, queryset, workflow.article_submit, Action.SUBMIT.label)

    @admin.action(description=gettext_lazy("Approve selected stories"), permissions=["approve"])
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._bulk(request, queryset, workflow.article_approve, Action.APPROVE.label)

    @admin.action(description=gettext_lazy("Publish selected stories now"), permissions=["publish"])
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._bulk(request, queryset, workflow.article_publish, Action.PUBLISH.label)

    @admin.action(description=gettext_lazy("Withdraw selected stories"), permissions=["withdraw"])
    def withdraw_selected(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        self._bulk(request, queryset, workflow.article_withdraw, Action.WITHDRAW.label)

    def _bulk(
        self,
        request: HttpRequest,
        queryset: QuerySet[Article],
        transition: BulkStep,
        done_label: "StrOrPromise",
    ) -> None:
        """The same rules per story as the buttons; say which were refused and why."""
        done, refused = 0, []
        for article in queryset.select_related(None).prefetch_related(None).only("pk", "headline"):
            try:
                transition(article=article, user=request.user)
            except workflow.WorkflowError as exc:
                refused.append(exc.message)
            else:
                done += 1
        if done:
            messages.success(
                request,
                _("%(done)s: %(count)s stories.") % {"count": done, "done": done_label},
            )
        for reason in refused:
            messages.error(request, _("Refused: %(reason)s") % {"reason": reason})

    def desk_url(self) -> str:
        return reverse("admin:articles_desk")
