"""The site's URLs plus ``/bench/bare/``: the cheapest dynamic page Django can serve."""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare),
    path("", include("newsroom.urls")),
]

handler404 = "articles.site.errors.not_found"
handler500 = "articles.site.errors.server_error"
