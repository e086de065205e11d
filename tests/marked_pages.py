"""A URLconf for the page cache's tests: the same page, marked private, no-store or not."""

import itertools

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.cache import cache_control

_served = itertools.count(1)


def page(request: HttpRequest) -> HttpResponse:
    """Says how many times it has been rendered: a stored copy would repeat itself."""
    return HttpResponse(f"مرة {next(_served)}")


urlpatterns = [
    path("marked/private/", cache_control(private=True)(page)),
    path("marked/no-store/", cache_control(no_store=True)(page)),
    path("marked/nothing/", page),
]
