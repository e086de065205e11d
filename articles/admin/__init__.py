"""The editorial desk: the Django admin, in Arabic.

Sections, authors and tags are plain registrations (chief editors manage
them); stories have their own module (article.py) with the desk views.
"""

from typing import TYPE_CHECKING

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from articles.admin import api, images, staff  # noqa: F401  (API partners, image library, staff)
from articles.admin.article import ArticleAdmin
from articles.admin.front import FrontPageAdmin
from articles.models import Article, Author, FrontPage, Section, Tag
from articles.text.hygiene import name_key

if TYPE_CHECKING:
    # Generic in django-stubs but not at runtime, where subscripting it is a TypeError
    # (mypy's docs: "classes that are generic in stubs but not at runtime").
    TagModelAdmin = admin.ModelAdmin[Tag]
else:
    TagModelAdmin = admin.ModelAdmin

admin.site.register(Article, ArticleAdmin)
admin.site.register(FrontPage, FrontPageAdmin)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "order"]
    list_editable = ["order"]
    list_filter = ["parent"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    search_fields = ["name", "slug", "bio"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]


@admin.register(Tag)
class TagAdmin(TagModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Tag], search_term: str
    ) -> tuple[QuerySet[Tag], bool]:
        # The story form's tag picker too: «اخبار» finds «أخبار», as search would.
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if key := name_key(search_term):
            found = found | queryset.filter(folded_name__contains=key)
        return found, may_have_duplicates
