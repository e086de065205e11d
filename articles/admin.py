from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles import image_admin  # noqa: F401  (registers the image library)
from articles.editor import body_editor_widget, editor_page_csp
from articles.models import Article, ArticleAuthor, Author, Section, Tag


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
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class CreditInline(admin.TabularInline):
    model = ArticleAuthor
    extra = 1
    autocomplete_fields = ["author"]
    ordering = ["position"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "section", "status", "publish_at", "updated_at"]
    list_filter = ["status", "section", ("publish_at", admin.DateFieldListFilter)]
    list_select_related = ["section"]
    search_fields = ["headline", "standfirst"]
    date_hierarchy = "publish_at"
    autocomplete_fields = ["tags", "lead_image"]
    inlines = [CreditInline]
    show_full_result_count = False  # no COUNT(*) over every story on each page
    fieldsets = [
        (None, {"fields": ["headline", "slug", "standfirst", "lead_image", "body"]}),
        (_("Placement"), {"fields": ["section", "tags", "dateline_place"]}),
        (_("Publication"), {"fields": ["status", "publish_at", "expire_at"]}),
    ]

    class Media:
        css = {"all": ["css/admin-images.css"]}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["widget"] = body_editor_widget()
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def changeform_view(self, request, *args, **kwargs):
        return editor_page_csp(super().changeform_view(request, *args, **kwargs))
