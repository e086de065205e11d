"""Arabic error pages (404 for anything a reader may not see)."""

from django.shortcuts import render
from django.template.loader import get_template


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: the database may be what failed.
    return _plain(get_template("500.html").render({}), status=500)


def _plain(content, status):
    from django.http import HttpResponse

    return HttpResponse(content, status=status)
