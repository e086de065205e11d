"""IPTC NewsML-G2 news items (XML) -> WireItem.

Reads a ``newsItem``, or every ``newsItem`` of a ``newsMessage``: the guid and
version; from ``itemMeta`` versionCreated, firstCreated, embargoed, pubStatus and
edNote; from ``contentMeta`` headline, description (the summary), located,
subjects, creators (the byline) and language; the body from the XHTML of
``contentSet/inlineXML`` (the sanitiser cleans it when the story is saved).

Parsed with defusedxml: a document type declaration, entities (the "billion
laughs" bomb) and external references (files, URLs) are refused before anything
is expanded or fetched.
"""

import datetime
from xml.etree.ElementTree import Element, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from django.utils.translation import gettext as _

from articles.wire.item import WireError, WireItem

G2 = "http://iptc.org/std/nar/2006-10-01/"
XHTML = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NS = {"g2": G2, "h": XHTML}
PUB_STATUSES = {"stat:usable": "usable", "stat:withheld": "withheld", "stat:canceled": "canceled"}


def looks_like(raw: bytes) -> bool:
    return raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def parse(raw: bytes) -> list[WireItem]:
    try:
        root = fromstring(raw, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise WireError(
            _("holds a document type declaration or entities, which are refused for safety")
        ) from None
    except ParseError as exc:
        raise WireError(_("is not well-formed XML (%(reason)s)") % {"reason": exc}) from None
    if root.tag == f"{{{G2}}}newsItem":
        items = [root]
    elif root.tag == f"{{{G2}}}newsMessage":
        items = root.findall("g2:itemSet/g2:newsItem", NS)
    else:
        raise WireError(_("is XML but not a NewsML-G2 news item"))
    if not items:
        raise WireError(_("is a NewsML-G2 message without any news item"))
    return [_item(element) for element in items]


def _item(item: Element) -> WireItem:
    guid = item.get("guid", "").strip()
    if not guid:
        raise WireError(_("has a news item without a guid"))
    meta = item.find("g2:itemMeta", NS)
    content = item.find("g2:contentMeta", NS)
    if content is None:
        raise WireError(_("has a news item without contentMeta"))
    headline = _text(content.find("g2:headline", NS))
    if not headline:
        raise WireError(_("has a news item without a headline"))
    body = _body(item)
    if not body:
        raise WireError(_("has a news item with an empty body"))
    status = meta.find("g2:pubStatus", NS) if meta is not None else None
    language = content.find("g2:language", NS)
    located = content.find("g2:located", NS)
    return WireItem(
        format="NewsML-G2",
        guid=guid,
        version=_version(item.get("version")),
        headline=headline,
        standfirst=_summary(content),
        body_html=body,
        dateline_place=_text(located.find("g2:name", NS)) if located is not None else "",
        version_created=_moment(meta, "versionCreated"),
        first_created=_moment(meta, "firstCreated"),
        embargoed_until=_moment(meta, "embargoed"),
        pub_status=PUB_STATUSES.get(
            status.get("qcode", "") if status is not None else "", "usable"
        ),
        language=(
            language.get("tag", "") if language is not None else item.get(XML_LANG, "")
        ).strip()
        or "ar",
        subjects=[
            name
            for subject in content.findall("g2:subject", NS)
            if (name := _text(subject.find("g2:name", NS)))
        ],
        byline="، ".join(
            name
            for creator in content.findall("g2:creator", NS)
            if (name := _text(creator.find("g2:name", NS)) or creator.get("literal", ""))
        ),
        wire_note=_text(meta.find("g2:edNote", NS)) if meta is not None else "",
    )


def _text(element: Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _summary(content: Element) -> str:
    descriptions = content.findall("g2:description", NS)
    for description in descriptions:
        if description.get("role", "drol:summary") == "drol:summary":
            return _text(description)
    return _text(descriptions[0]) if descriptions else ""


def _body(item: Element) -> str:
    """The inline XHTML body's children as HTML (namespaces dropped)."""
    for inline in item.findall("g2:contentSet/g2:inlineXML", NS):
        body = inline.find("h:html/h:body", NS)
        if body is None:
            body = inline.find("h:body", NS)
        if body is None:
            continue
        parts = [body.text or ""] if (body.text or "").strip() else []
        for child in body:
            _strip_namespaces(child)
            parts.append(tostring(child, encoding="unicode", method="html"))
        html = "".join(parts).strip()
        if html and "".join(body.itertext()).strip():
            return html
    return ""


def _strip_namespaces(element: Element) -> None:
    for node in element.iter():
        if isinstance(node.tag, str) and node.tag.startswith("{"):
            node.tag = node.tag.split("}", 1)[1]
        for name in [name for name in node.attrib if name.startswith("{")]:
            del node.attrib[name]


def _version(raw: str | None) -> int | None:
    if raw is None:
        return None
    raw = raw.strip()
    if not (raw.isascii() and raw.isdigit()):
        raise WireError(_("has a news item whose version is not a whole number"))
    return int(raw)


def _moment(meta: Element | None, name: str) -> datetime.datetime | None:
    element = meta.find(f"g2:{name}", NS) if meta is not None else None
    if element is None or not _text(element):
        return None
    return parse_moment(_text(element), name)


def parse_moment(text: str, name: str) -> datetime.datetime:
    """An ISO 8601 date-time with its offset (one without is refused: whose clock?)."""
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise WireError(
            _("has a %(field)s that is not a date and time with its offset: %(value)s")
            % {"field": name, "value": text[:40]}
        )
    return moment
