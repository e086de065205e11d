"""Arabic error pages: the reading site's (404 for anything a reader may not see) and
the desk's (403 and 404 inside the admin, in the admin's own right-to-left frame)."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.urls import reverse


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _in_the_admin(request):
        return _admin_page(request, "admin/errors/404.html", status=404)
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _in_the_admin(request):
        return _admin_page(request, "admin/errors/403.html", status=403)
    return render(request, "403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the database may be what failed.
    return HttpResponse(get_template("500.html").render({}), status=500)


def _in_the_admin(request: HttpRequest) -> bool:
    return request.path.startswith(reverse("admin:index"))


def _admin_page(request: HttpRequest, template: str, status: int) -> HttpResponse:
    context = {**admin.site.each_context(request), "title": ""}
    return render(request, template, context, status=status)
