"""The one door rich text passes through (bleach), on save, never at render.

An allowlist of tags, attributes and URL schemes. ``dir`` survives so that
mixed Arabic/Latin text keeps its direction; external links are marked
``noopener noreferrer``. Cleaning is idempotent: clean(clean(x)) == clean(x).
"""

from urllib.parse import urlsplit

import bleach
from bleach.html5lib_shim import Filter

ALLOWED_TAGS = frozenset({
    "p", "br", "h2", "h3", "strong", "b", "em", "i", "u", "a", "ul", "ol", "li",
    "blockquote", "figure", "figcaption", "img", "bdi", "span", "sup", "sub", "hr",
})  # fmt: skip
_COMMON = frozenset({"dir", "lang"})
_PER_TAG = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "data-image-id"},
}
_ALLOWED_CLASSES = {"blockquote": {"pull-quote"}, "figure": {"inline-image"}}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})


def _attribute_allowed(tag: str, name: str, value: str) -> bool:
    if name == "class":
        return value in _ALLOWED_CLASSES.get(tag, ())
    return name in _COMMON or name in _PER_TAG.get(tag, ())


class _ExternalLinkRel(Filter):
    """External links carry nothing of ours to the other site."""

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] == "StartTag" and token["name"] == "a":
                attrs = token["data"]
                attrs.pop((None, "rel"), None)
                if urlsplit(attrs.get((None, "href"), "")).netloc:
                    attrs[(None, "rel")] = "noopener noreferrer"
            yield token


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_attribute_allowed,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[_ExternalLinkRel],
)


def clean_html(html: str) -> str:
    """Return ``html`` with everything outside the allowlist removed."""
    return _cleaner.clean(html) if html else ""
