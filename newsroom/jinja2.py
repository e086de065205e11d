"""The Jinja2 environment of the public reading site (the admin stays on Django templates).

Templates in templates/jinja2/ see what the Django templates saw: ``_()`` and
``{% trans %}`` through Django's catalogue, ``url()`` and ``static()``, and the
project's filters, whose logic lives once in articles/site/filters.py and
articles/media/pictures.py.
"""

from functools import lru_cache
from typing import NamedTuple

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaultfilters import date, linebreaksbr, truncatewords
from django.templatetags import static as django_static
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.translation import get_language, gettext, ngettext
from jinja2 import Environment

from articles.media.pictures import picture, responsive_images
from articles.site.filters import clock, dateline, digits, full_dateline, json_ld
from articles.site.links import link
from articles.text.hygiene import strip_unsafe


def environment(**options) -> Environment:
    # keep_trailing_newline: pages end as the Django templates ended them.
    # finalize: every plain string a page prints (a <title>, og:title, a headline) passes
    # the hygiene's character rules, so a row written around the models cannot carry a
    # bidi override or a control character to readers. Markup (sanitised HTML) is not str.
    # options come from Django's Jinja2 backend, which sets autoescape=True.
    env = Environment(  # noqa: S701
        extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=True,
        finalize=_safe_output,
        **options,
    )
    # Old-style gettext escapes as Django's i18n tags do: ``_("…")`` is escaped like
    # ``{% translate %}``; ``{% trans %}`` keeps its text and escapes its variables
    # like ``{% blocktranslate %}``. (Newstyle would mark ``_()`` safe, and costs
    # ~10 µs more a call: 14 calls on an article page.)
    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
        gettext, ngettext, newstyle=False
    )
    # url("articles:tag", slug=…) as {% url %}: link() remembers the page's fixed links.
    env.globals.update(url=link, static=static)
    env.filters.update(
        date=local_date,
        truncatewords=truncatewords,
        linebreaksbr=linebreaksbr,
        dateline=dateline,
        full_dateline=full_dateline,
        clock=clock,
        digits=digits,
        json_ld=json_ld,
        picture=picture,
        responsive_images=responsive_images,
    )
    return env


def _safe_output(value):
    # isprintable() first: it settles almost every string in C (see strip_unsafe).
    if value.__class__ is not str or value.isprintable():
        return value
    return strip_unsafe(value)


def catalogue(request) -> dict:
    """``_()`` for this page: the page's language looked up once, each string once; and
    ``links``, the links every page's head holds (SiteLinks).

    Django's gettext() finds the active language on every call, through a context-local
    lookup (~20 µs each); a page translates a dozen strings or more, the same ones on
    every page. The installed callables above stay for templates rendered without a
    request (the 500 page).
    """
    known = _translated.setdefault(get_language(), {})

    def page_gettext(message: str) -> str:
        try:
            return known[message]
        except KeyError:
            known[message] = translated = gettext(message)  # in the page's language
            return translated

    return {
        "gettext": page_gettext,
        "ngettext": ngettext,
        "links": site_links(get_script_prefix()),
    }


# Language -> template string -> translation; the templates' strings are a fixed set.
_translated: dict[str | None, dict[str, str]] = {}


@lru_cache(maxsize=256)
def static(path: str) -> str:
    """``static("css/site.css")``, remembered: the hashed names are fixed while the
    process runs, and looking one up in the manifest costs ~20 µs."""
    return django_static.static(path)


class SiteLinks(NamedTuple):
    """The links every page's head holds, worked out once (a call from a template costs
    more than looking one up)."""

    favicon: str
    icon_192: str
    touch_icon: str
    manifest: str
    feed_rss: str
    feed_atom: str
    font: str
    stylesheet: str
    social_card: str


@lru_cache(maxsize=8)
def site_links(script_prefix: str) -> SiteLinks:
    return SiteLinks(
        favicon=link("articles:favicon"),
        icon_192=static("img/icon-192.png"),
        touch_icon=static("img/apple-touch-icon.png"),
        manifest=link("articles:manifest"),
        feed_rss=link("articles:feed_rss"),
        feed_atom=link("articles:feed_atom"),
        font=static("fonts/noto-naskh-arabic-arabic-400-normal.woff2"),
        stylesheet=static("css/site.css"),
        social_card=static("img/social-card.png"),
    )


@receiver(setting_changed)
def _forget_remembered(*, setting, **kwargs):
    if setting in {"STATIC_URL", "STATIC_ROOT", "STORAGES"}:  # tests change them
        static.cache_clear()
        site_links.cache_clear()
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:  # as Django's own catalogues
        _translated.clear()


# The formats pages use most, written out: Django's ``date`` parses its format on every call.
_ISO_FORMATS = {
    "c": lambda value: value.isoformat(),
    "Y-m-d": lambda value: f"{value.year:04d}-{value.month:02d}-{value.day:02d}",
}


def local_date(value, arg=None) -> str:
    """Django's ``date`` filter, on the site's clock as in Django templates."""
    if value in (None, ""):
        return ""
    value = timezone.template_localtime(value)  # type: ignore[attr-defined]  # not in the stubs
    if arg in _ISO_FORMATS and hasattr(value, "isoformat"):
        return _ISO_FORMATS[arg](value)
    return date(value, arg)
