"""The one door rich text passes through (bleach), on save, never at render.

Two passes:

1. *Prune*: the HTML is parsed the way a browser parses it and whole subtrees
   that can only carry code or junk are removed **with their contents**
   (``<script>``, ``<style>``, SVG, MathML, frames, templates …). Bleach alone
   would keep their text as visible words. Pasted Word / Google Docs markup is
   tidied here too: its wrapper ``<b>``, headings outside our two levels,
   bold spelled as CSS.
2. *Allowlist* (bleach): only our tags, attributes and URL schemes survive;
   external links get ``rel="noopener noreferrer"``; ``dir`` and ``lang``
   survive so mixed Arabic/Latin text keeps its direction; empty ``<span>``
   wrappers go; an ``<img>`` survives only when it points into our own media
   (so no tracking pixel reaches a reader).

Characters no text may hold (control characters, noncharacters; see
articles/text/hygiene.py) go first; bidi embedding, override and isolate controls
go from link text and link attributes, where they could disguise where a link leads.

Cleaning is idempotent: clean_html(clean_html(x)) == clean_html(x).
"""

import re
from urllib.parse import urlsplit
from xml.etree import ElementTree

import bleach
from bleach import html5lib_shim
from bleach.html5lib_shim import Filter
from django.conf import settings

from articles.text.hygiene import strip_bidi_controls, strip_unsafe

ALLOWED_TAGS = frozenset({
    "p", "br", "h2", "h3", "strong", "b", "em", "i", "u", "a", "ul", "ol", "li",
    "blockquote", "figure", "figcaption", "img", "bdi", "span", "sup", "sub", "hr",
})  # fmt: skip
_COMMON = frozenset({"dir", "lang"})
_PER_TAG = {
    "a": {"href", "title"},
    # data-file: the library image id, as django-prose-editor's figure writes it.
    "img": {"src", "alt", "width", "height", "data-image-id", "data-file"},
}
_ALLOWED_CLASSES = {"blockquote": {"pull-quote"}, "figure": {"inline-image", "figure"}}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
_DIR_VALUES = {"rtl", "ltr", "auto"}
_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_DIGITS = re.compile(r"^[0-9]{1,6}$")

# Elements removed together with everything inside them. Their text is code,
# CSS, or markup a browser would re-parse differently (mutation XSS).
_DROP_WITH_CONTENTS = frozenset({
    "script", "style", "template", "noscript", "iframe", "frame", "frameset", "object",
    "embed", "applet", "param", "noembed", "noframes", "xmp", "plaintext", "textarea",
    "title", "head", "meta", "link", "base", "select", "option", "math", "svg", "audio",
    "video", "canvas", "map", "portal", "fencedframe", "xml",
})  # fmt: skip
_FOREIGN_NAMESPACES = ("{http://www.w3.org/2000/svg}", "{http://www.w3.org/1998/Math/MathML}")
_HEADING_LEVELS = {"h1": "h2", "h4": "h3", "h5": "h3", "h6": "h3"}
_CSS_BOLD = re.compile(r"font-weight\s*:\s*(bold|[6-9]00)", re.IGNORECASE)

_browser_parser = html5lib_shim.HTMLParser(namespaceHTMLElements=False)
_tree_walker = html5lib_shim.getTreeWalker("etree")
_tree_serializer = html5lib_shim.HTMLSerializer(
    quote_attr_values="always", omit_optional_tags=False, escape_lt_in_attrs=False
)


def _prune(html: str) -> str:
    """Parse as a browser would; drop dangerous subtrees and Office junk."""
    root = _browser_parser.parseFragment(html)
    _prune_children(root)
    return _tree_serializer.render(_tree_walker(root))


def _prune_children(parent: ElementTree.Element) -> None:
    for child in list(parent):
        tag = child.tag if isinstance(child.tag, str) else ""
        if not tag or tag.startswith(_FOREIGN_NAMESPACES) or tag.lower() in _DROP_WITH_CONTENTS:
            # Comments (tag is a function), processing instructions, CDATA and the
            # dangerous elements go whole; the text after them stays.
            _remove_keeping_tail(parent, child)
            continue
        _tidy_pasted(child)
        _prune_children(child)


def _remove_keeping_tail(parent: ElementTree.Element, child: ElementTree.Element) -> None:
    if child.tail:
        index = list(parent).index(child)
        if index:
            previous = parent[index - 1]
            previous.tail = (previous.tail or "") + child.tail
        else:
            parent.text = (parent.text or "") + child.tail
    parent.remove(child)


def _tidy_pasted(element: ElementTree.Element) -> None:
    """What Word and Google Docs paste, turned into our structure."""
    tag = element.tag.lower()
    if tag == "b" and element.get("id", "").startswith("docs-internal-guid"):
        element.tag = "span"  # Google Docs wraps the whole paste in a non-bold <b>
        element.attrib.clear()
    elif tag in _HEADING_LEVELS:
        element.tag = _HEADING_LEVELS[tag]
    elif tag == "span" and _CSS_BOLD.search(element.get("style", "")):
        element.tag = "strong"  # Google Docs spells bold as CSS


def _attribute_allowed(tag: str, name: str, value: str) -> bool:
    if name == "class":
        return value in _ALLOWED_CLASSES.get(tag, ())
    if name == "dir":
        return value.lower() in _DIR_VALUES
    if name == "lang":
        return bool(_LANG.match(value))
    if name in {"width", "height", "data-image-id", "data-file"}:
        return bool(_DIGITS.match(value)) and name in _PER_TAG.get(tag, ())
    return name in _COMMON or name in _PER_TAG.get(tag, ())


def _is_our_media(url: str) -> bool:
    """Images may come only from our own media storage (no tracking pixels)."""
    media = urlsplit(settings.MEDIA_URL)
    src = urlsplit(url)
    if media.netloc:
        return (src.scheme, src.netloc) == (media.scheme, media.netloc) and src.path.startswith(
            media.path
        )
    return not src.scheme and not src.netloc and src.path.startswith(media.path)


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


class _NoBidiControlsInLinks(Filter):
    """A link's text and attributes show where it leads: nothing may reorder them."""

    def __iter__(self):
        depth = 0
        for token in super().__iter__():
            kind, name = token["type"], token.get("name")
            if name == "a" and kind == "StartTag":
                depth += 1
                token["data"] = {k: strip_bidi_controls(v) for k, v in token["data"].items()}
            elif name == "a" and kind == "EndTag":
                depth = max(depth - 1, 0)
            elif depth and kind in ("Characters", "SpaceCharacters"):
                token["data"] = strip_bidi_controls(token["data"])
            yield token


class _DropEmptyWrappersAndForeignImages(Filter):
    """Unwrap ``<span>`` with no attributes left; drop images not from our media."""

    def __iter__(self):
        open_spans: list[bool] = []  # for each open <span>: was it kept?
        for token in super().__iter__():
            kind, name = token["type"], token.get("name")
            if name == "span" and kind == "StartTag":
                keep = bool(token["data"])
                open_spans.append(keep)
                if keep:
                    yield token
            elif name == "span" and kind == "EndTag":
                if open_spans.pop() if open_spans else False:
                    yield token
            elif name == "img" and kind in ("StartTag", "EmptyTag"):
                if _is_our_media(token["data"].get((None, "src"), "")):
                    yield token
            else:
                yield token


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_attribute_allowed,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[_ExternalLinkRel, _NoBidiControlsInLinks, _DropEmptyWrappersAndForeignImages],
)


def clean_html(html: str) -> str:
    """Return ``html`` with everything outside the allowlist removed."""
    if not html:
        return ""
    return _cleaner.clean(_prune(strip_unsafe(html, keep_bidi=True)))
