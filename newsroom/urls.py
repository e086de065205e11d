from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from articles.admin.live import live_desk
from newsroom.health import health

admin.site.site_header = admin.site.site_title = settings.NEWSROOM_SITE_NAME
admin.site.index_title = "غرفة الأخبار"

urlpatterns = [
    # The live-coverage desk of a story (articles/admin/live.py), inside the admin.
    path(
        "admin/articles/article/<int:pk>/live/",
        admin.site.admin_view(live_desk),
        name="article_live_desk",
    ),
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("api/", include("articles.api.urls")),
    path("", include("articles.site.urls")),
]
# The dev server serves uploads in DEBUG only (static() is a no-op otherwise);
# in production the web server or the storage's own URLs (S3) do.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "articles.site.errors.not_found"
handler403 = "articles.site.errors.permission_denied"
handler500 = "articles.site.errors.server_error"
