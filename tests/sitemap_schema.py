"""The sitemaps.org 0.9 and Google News 0.9 schemas, checked from their published facts.

Written here from the protocol's text (sitemaps.org/protocol.html, the XSDs' content
models and Google's News sitemap reference), not from a downloaded XSD:

- ``urlset`` holds 1 to 50,000 ``url``; ``sitemapindex`` 1 to 50,000 ``sitemap``. An
  empty set does not validate (``minOccurs`` defaults to 1).
- ``url``: ``loc`` (once, first), then optional ``lastmod``, ``changefreq``,
  ``priority`` in that order, then any elements of *other* namespaces (news:…).
- ``loc``: an absolute http(s) URL of 12 to 2,048 characters; ``lastmod`` a W3C
  datetime; ``changefreq`` one of seven words; ``priority`` 0.0 to 1.0.
- ``news:news``: ``publication`` (``name``, ``language``), then ``publication_date``
  (W3C datetime) and ``title``, in that order; at most 1,000 per sitemap.
"""

import re
import xml.etree.ElementTree as ET

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
MAX_ENTRIES = 50_000
MAX_NEWS = 1_000
CHANGEFREQ = {"always", "hourly", "daily", "weekly", "monthly", "yearly", "never"}
W3C_DATETIME = re.compile(
    r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$"
)
LANGUAGE = re.compile(r"^([a-z]{2,3}|zh-cn|zh-tw)$")
URL_CHILDREN = ["loc", "lastmod", "changefreq", "priority"]


class SchemaError(AssertionError):
    pass


def _name(element) -> tuple[str, str]:
    namespace, _, local = element.tag[1:].partition("}")
    return namespace, local


def _check(condition, message):
    if not condition:
        raise SchemaError(message)


def _check_loc(text):
    text = (text or "").strip()
    _check(re.match(r"^https?://[^\s]+$", text), f"loc is not an absolute URL: {text!r}")
    _check(12 <= len(text) <= 2048, f"loc length {len(text)} outside 12..2048")


def _check_sitemap_children(element, allowed):
    """Own-namespace children in ``allowed`` order, loc first and required, each at most once."""
    own = [(child, _name(child)[1]) for child in element if _name(child)[0] == SITEMAP]
    names = [name for _, name in own]
    _check(names[:1] == ["loc"], f"<{_name(element)[1]}> must start with <loc>: {names}")
    _check(all(name in allowed for name in names), f"unknown elements in {names}")
    _check(
        names == sorted(names, key=allowed.index) and len(set(names)) == len(names),
        f"elements out of order or repeated: {names}",
    )
    seen_other = False
    for child in element:
        namespace, local = _name(child)
        if namespace == SITEMAP:
            _check(not seen_other, "sitemap elements after extension elements")
        else:
            _check(namespace != "", f"element <{local}> without a namespace")
            seen_other = True
    for child, name in own:
        text = (child.text or "").strip()
        if name == "loc":
            _check_loc(text)
        elif name == "lastmod":
            _check(W3C_DATETIME.match(text), f"lastmod is not a W3C datetime: {text!r}")
        elif name == "changefreq":
            _check(text in CHANGEFREQ, f"bad changefreq {text!r}")
        elif name == "priority":
            _check(re.match(r"^(0(\.\d+)?|1(\.0+)?)$", text), f"bad priority {text!r}")


def _check_news(news):
    children = [_name(child) for child in news]
    _check(all(ns == NEWS for ns, _ in children), "news:news holds only news elements")
    names = [local for _, local in children]
    order = [
        "publication",
        "access",
        "genres",
        "publication_date",
        "title",
        "keywords",
        "stock_tickers",
    ]
    _check(all(name in order for name in names), f"unknown news elements {names}")
    _check(names == sorted(names, key=order.index), f"news elements out of order: {names}")
    for required in ("publication", "publication_date", "title"):
        _check(names.count(required) == 1, f"news:{required} must appear once: {names}")
    publication = news.find(f"{{{NEWS}}}publication")
    parts = [_name(child)[1] for child in publication]
    _check(parts == ["name", "language"], f"news:publication must be name, language: {parts}")
    _check((publication[0].text or "").strip(), "news:name is empty")
    language = (publication[1].text or "").strip()
    _check(LANGUAGE.match(language), f"bad news:language {language!r}")
    date = (news.find(f"{{{NEWS}}}publication_date").text or "").strip()
    _check(W3C_DATETIME.match(date), f"publication_date is not a W3C datetime: {date!r}")
    _check((news.find(f"{{{NEWS}}}title").text or "").strip(), "news:title is empty")


def validate_urlset(content: bytes) -> ET.Element:
    """Raise SchemaError unless ``content`` is a valid (news) urlset; return its root."""
    _check(content.lstrip().startswith(b"<?xml"), "no XML declaration")
    root = ET.fromstring(content)
    _check(root.tag == f"{{{SITEMAP}}}urlset", f"root is {root.tag}, not urlset")
    urls = list(root)
    _check(all(child.tag == f"{{{SITEMAP}}}url" for child in urls), "urlset holds only <url>")
    _check(1 <= len(urls) <= MAX_ENTRIES, f"urlset must hold 1..{MAX_ENTRIES} url, has {len(urls)}")
    news_count = 0
    for url in urls:
        _check_sitemap_children(url, URL_CHILDREN)
        for news in url.iterfind(f"{{{NEWS}}}news"):
            news_count += 1
            _check_news(news)
    _check(news_count <= MAX_NEWS, f"{news_count} news entries, at most {MAX_NEWS}")
    return root


def validate_index(content: bytes) -> ET.Element:
    root = ET.fromstring(content)
    _check(root.tag == f"{{{SITEMAP}}}sitemapindex", f"root is {root.tag}, not sitemapindex")
    entries = list(root)
    _check(all(child.tag == f"{{{SITEMAP}}}sitemap" for child in entries), "only <sitemap>")
    _check(1 <= len(entries) <= MAX_ENTRIES, f"sitemapindex holds {len(entries)} sitemaps")
    for entry in entries:
        _check_sitemap_children(entry, ["loc", "lastmod"])
    return root
