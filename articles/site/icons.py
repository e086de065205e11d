"""/favicon.ico and the web app manifest, at the addresses browsers ask for.

The pictures are ours, drawn by ``manage.py brand_images`` into static/img/.
"""

import json
from functools import cache
from typing import cast

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.utils.translation import gettext as _

# Browsers ask for /favicon.ico again and again: a day is enough to pick up a new one.
ICON_MAX_AGE = 86_400
THEME_COLOR = "#b3121b"  # --accent in static/css/site.css
BACKGROUND_COLOR = "#ffffff"


@cache
def _favicon_bytes() -> bytes:
    with open(cast(str, finders.find("img/favicon.ico")), "rb") as icon:  # it ships with us
        return icon.read()


def favicon(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_favicon_bytes(), content_type="image/vnd.microsoft.icon")
    response["Cache-Control"] = f"public, max-age={ICON_MAX_AGE}"
    return response


def manifest(request: HttpRequest) -> HttpResponse:
    data = {
        "name": settings.NEWSROOM_SITE_NAME,
        "short_name": settings.NEWSROOM_SITE_NAME,
        "description": _("The latest news, as it happens."),
        "lang": "ar",
        "dir": "rtl",
        "start_url": "/",
        "scope": "/",
        "display": "browser",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": [
            {"src": static(f"img/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
            for size in (192, 512)
        ],
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json"
    )
    response["Cache-Control"] = f"public, max-age={ICON_MAX_AGE}"
    return response
