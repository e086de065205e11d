"""The story admin's own pages beside the form: their URLs, and one thin view each that
hands the request to the module doing the work (the desk and the workflow buttons in
pages.py, history and deletion in history_pages.py, previews in preview_pages.py, the
schedule, autosave and the soft lock). ArticleAdmin (article.py) builds on this class.
"""

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path

from articles.admin import autosave, history_pages, pages, presence, preview_pages, schedule
from articles.models import Article

if TYPE_CHECKING:  # generic in django-stubs only (see articles/admin/__init__.py)
    ArticleModelAdmin = admin.ModelAdmin[Article]
else:
    ArticleModelAdmin = admin.ModelAdmin


class ArticlePages(ArticleModelAdmin):
    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        keep = autosave.keep_expired_post  # a save after the session expired keeps its text
        extra = [
            path("add/", keep(view(self.add_view)), name="articles_article_add"),
            path(
                "<path:object_id>/change/",
                keep(view(self.change_view)),
                name="articles_article_change",
            ),
            path("autosave/", keep(view(self.autosave_view)), name="articles_article_autosave"),
            path(
                "<int:pk>/autosave/",
                keep(view(self.autosave_view)),
                name="articles_article_autosave",
            ),
            path(
                "autosave/discard/",
                view(self.discard_draft_view),
                name="articles_article_autosave_discard",
            ),
            path(
                "<int:pk>/autosave/discard/",
                view(self.discard_draft_view),
                name="articles_article_autosave_discard",
            ),
            path("<int:pk>/presence/", view(self.presence_view), name="articles_article_presence"),
            path("<int:pk>/presence/leave/", view(self.leave_view), name="articles_article_leave"),
            path("desk/", view(self.desk_view), name="articles_desk"),
            path("schedule/", view(self.schedule_view), name="articles_schedule"),
            path(
                "<int:pk>/workflow/<str:action>/",
                view(self.workflow_view),
                name="articles_article_workflow",
            ),
            path(
                "<int:pk>/take-over/", view(self.take_over_view), name="articles_article_take_over"
            ),
            path(
                "<int:pk>/history/compare/",
                view(self.compare_view),
                name="articles_article_compare",
            ),
            path(
                "<int:pk>/history/<int:version>/restore/",
                view(self.restore_view),
                name="articles_article_restore",
            ),
            path("<int:pk>/preview/", view(self.preview_view), name="articles_article_preview"),
            path(
                "<int:pk>/preview/<int:version>/",
                view(self.preview_view),
                name="articles_article_preview_revision",
            ),
            path(
                "<int:pk>/preview-links/",
                view(self.preview_links_view),
                name="articles_article_preview_links",
            ),
        ]
        return extra + super().get_urls()

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return history_pages.delete(self, request, object_id)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return history_pages.history(self, request, object_id)

    def desk_view(self, request: HttpRequest) -> HttpResponse:
        return pages.desk(self, request)

    def schedule_view(self, request: HttpRequest) -> HttpResponse:
        return schedule.schedule_page(self, request)

    def workflow_view(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        return pages.transition(self, request, pk, action)

    def take_over_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return pages.take_over(self, request, pk)

    def compare_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return history_pages.compare_revisions(self, request, pk)

    def restore_view(self, request: HttpRequest, pk: int, version: int) -> HttpResponse:
        return history_pages.restore(self, request, pk, version)

    def preview_view(
        self, request: HttpRequest, pk: int, version: int | None = None
    ) -> HttpResponse:
        return preview_pages.preview_page(self, request, pk, version)

    def preview_links_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return preview_pages.preview_links(self, request, pk)

    def autosave_view(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        return autosave.autosave_view(self, request, pk)

    def discard_draft_view(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        return autosave.discard_view(self, request, pk)

    def presence_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return presence.heartbeat_view(self, request, pk)

    def leave_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return presence.leave_view(self, request, pk)
