"""The page a locked-out sign-in gets (django-axes calls this; see settings)."""

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

LOCKED_OUT_STATUS = 429  # Too Many Requests


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    response = TemplateResponse(
        request,
        "admin/locked_out.html",
        {**admin.site.each_context(request), "minutes": minutes},
        status=LOCKED_OUT_STATUS,
    )
    return response.render()
