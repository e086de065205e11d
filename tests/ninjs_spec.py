"""A checker for ninjs 3.1 documents, written here from the facts of IPTC's
specification (ninjs-schema_3.1.json): the properties it defines, their types,
what is required, and that nothing else is allowed (the schema closes every
object with additionalProperties/unevaluatedProperties false).

It covers the whole root and every object our API writes; objects we never write
(events, plannedCoverage, …) are checked only for being of the right JSON type.
"""

import datetime
from urllib.parse import urlsplit

STRING, INTEGER, NUMBER, ARRAY, OBJECT = str, int, float, list, dict

DATE_TIME, URI = "date-time", "uri"

NEWS_TYPES = {
    "text",
    "audio",
    "video",
    "picture",
    "graphic",
    "composite",
    "component",
    "event",
    "planning",
}
PUB_STATUSES = {"usable", "withheld", "canceled"}

# Objects with role/contentType/value (headlines, descriptions); bodies add the counts.
TEXT_ITEM = {"role": STRING, "contentType": STRING, "value": STRING}
BODY_ITEM = {**TEXT_ITEM, "charCount": INTEGER, "wordCount": INTEGER}
CONCEPT = {"name": STRING, "rel": STRING, "uri": (STRING, URI), "literal": STRING}
SUBJECT = {**CONCEPT, "creator": STRING, "relevance": INTEGER, "confidence": INTEGER}
PERSON = {**CONCEPT, "contactInfo": ARRAY}
RENDITION = {
    "name": STRING,
    "href": (STRING, URI),
    "contentType": STRING,
    "title": STRING,
    "width": INTEGER,
    "height": INTEGER,
    "sizeInBytes": INTEGER,
    "duration": NUMBER,
    "format": STRING,
    "aspectRatio": STRING,
    "videoCodec": STRING,
    "frameRate": NUMBER,
    "poi": OBJECT,
    "transportProtocol": STRING,
    "scanType": STRING,
    "bitrate": STRING,
}
STANDARD = {"name": STRING, "version": STRING, "schema": (STRING, URI)}
ALT_ID = {"role": STRING, "value": STRING}

# The root (ninjsType): every property the specification defines.
ROOT = {
    "uri": (STRING, URI),
    "type": STRING,
    "representationType": STRING,
    "profile": STRING,
    "version": STRING,
    "firstCreated": (STRING, DATE_TIME),
    "versionCreated": (STRING, DATE_TIME),
    "contentCreated": (STRING, DATE_TIME),
    "embargoedUntil": (STRING, DATE_TIME),
    "pubStatus": STRING,
    "urgency": INTEGER,
    "copyrightHolder": STRING,
    "copyrightNotice": STRING,
    "usageTerms": STRING,
    "edNote": STRING,
    "language": STRING,
    "descriptions": [TEXT_ITEM, ("value",)],
    "bodies": [BODY_ITEM, ("value",)],
    "headlines": [TEXT_ITEM, ("value",)],
    "people": [PERSON, ()],
    "organisations": ARRAY,
    "places": ARRAY,
    "subjects": [SUBJECT, ()],
    "events": ARRAY,
    "eventDetails": OBJECT,
    "plannedCoverage": ARRAY,
    "objects": ARRAY,
    "infoSources": ARRAY,
    "title": STRING,
    "by": STRING,
    "slugline": STRING,
    "located": STRING,
    "renditions": [RENDITION, ("name",)],
    "associations": "association",
    "altIds": [ALT_ID, ()],
    "trustIndicators": ARRAY,
    "standard": (OBJECT, STANDARD),
    "genres": ARRAY,
    "expires": (STRING, DATE_TIME),
    "rightsInfo": OBJECT,
    "digitalSourceType": OBJECT,
}
# An association may use every root property, plus its name and relationship.
ASSOCIATION = {**ROOT, "name": STRING, "rel": STRING}


def problems(document: dict) -> list[str]:
    """Everything in ``document`` that ninjs 3.1 does not allow (empty when valid)."""
    found: list[str] = []
    _object(document, ROOT, ("uri",), "$", found)
    return found


def _object(value, allowed: dict, required: tuple, where: str, found: list) -> None:
    if not isinstance(value, dict):
        found.append(f"{where}: not an object")
        return
    for name in required:
        if name not in value:
            found.append(f"{where}: required property {name!r} missing")
    for name, item in value.items():
        if name not in allowed:
            found.append(f"{where}: property {name!r} is not defined by ninjs 3.1")
        else:
            _value(item, allowed[name], f"{where}.{name}", found)
    if allowed is ROOT or allowed is ASSOCIATION:
        _root_rules(value, where, found)


def _value(value, rule, where: str, found: list) -> None:
    if rule == "association":
        if not isinstance(value, list):
            found.append(f"{where}: not an array")
            return
        for i, item in enumerate(value):
            _object(item, ASSOCIATION, ("name", "uri"), f"{where}[{i}]", found)
    elif isinstance(rule, list):  # an array of closed objects
        allowed, required = rule
        if not isinstance(value, list):
            found.append(f"{where}: not an array")
            return
        for i, item in enumerate(value):
            _object(item, allowed, required, f"{where}[{i}]", found)
    elif isinstance(rule, tuple) and rule[0] is OBJECT:
        _object(value, rule[1], (), where, found)
    elif isinstance(rule, tuple):
        kind, form = rule
        _value(value, kind, where, found)
        if isinstance(value, str) and not _has_format(value, form):
            found.append(f"{where}: {value!r} is not a valid {form}")
    elif rule is NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float):
            found.append(f"{where}: not a number")
    elif rule is INTEGER:
        if isinstance(value, bool) or not isinstance(value, int):
            found.append(f"{where}: not an integer")
    elif not isinstance(value, rule):
        found.append(f"{where}: not of type {rule.__name__}")


def _root_rules(value: dict, where: str, found: list) -> None:
    if "type" in value and value["type"] not in NEWS_TYPES:
        found.append(f"{where}.type: {value['type']!r} is not a ninjs news type")
    if "pubStatus" in value and value["pubStatus"] not in PUB_STATUSES:
        found.append(f"{where}.pubStatus: {value['pubStatus']!r} is not allowed")
    if "representationType" in value and value["representationType"] not in {"full", "partial"}:
        found.append(f"{where}.representationType: not full or partial")
    if "urgency" in value and not (
        isinstance(value["urgency"], int) and 1 <= value["urgency"] <= 9
    ):
        found.append(f"{where}.urgency: not 1 to 9")


def _has_format(text: str, form: str) -> bool:
    if form == URI:
        parts = urlsplit(text)
        return bool(parts.scheme and (parts.netloc or parts.path)) and " " not in text
    if form == DATE_TIME:  # RFC 3339: a full date, a time and an offset
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            return False
        return "T" in text and moment.tzinfo is not None
    raise AssertionError(form)
