"""IPTC ninjs 2.x and 3.x news items (JSON) -> WireItem.

ninjs 2.x and 3.x name things differently: ``pubstatus`` / ``pubStatus``,
``embargoed`` / ``embargoedUntil``; 2.x also has plain ``headline`` and
``body_html`` alongside the arrays. Both are read. A JSON document without a
``uri`` and a headline is not a ninjs news item and is refused.
"""

import json

from django.utils.html import escape
from django.utils.translation import gettext as _

from articles.wire.item import WireError, WireItem
from articles.wire.newsml import parse_moment


def looks_like(raw: bytes) -> bool:
    """JSON of any shape: anything that is not a ninjs object is then refused, not
    mistaken for plain text."""
    return raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")


def parse(raw: bytes) -> list[WireItem]:
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WireError(_("is not valid JSON (%(reason)s)") % {"reason": exc}) from None
    if not isinstance(document, dict) or not isinstance(document.get("uri"), str):
        raise WireError(_("is JSON but not a ninjs news item (no “uri”)"))
    headline = _first(document.get("headlines"), role="main") or _string(document, "headline")
    if not headline:
        raise WireError(_("is a ninjs item without a headline"))
    body = _body(document)
    if not body:
        raise WireError(_("is a ninjs item with an empty body"))
    status = _string(document, "pubStatus") or _string(document, "pubstatus") or "usable"
    if status not in ("usable", "withheld", "canceled"):
        raise WireError(_("has an unknown pubStatus: %(value)s") % {"value": status[:40]})
    embargo = _string(document, "embargoedUntil") or _string(document, "embargoed")
    return [
        WireItem(
            format="ninjs",
            guid=document["uri"].strip(),
            version=_version(document.get("version")),
            headline=headline,
            standfirst=_first(document.get("descriptions"), role="summary")
            or _string(document, "description_text"),
            body_html=body,
            dateline_place=_string(document, "located"),
            version_created=_when(document, "versionCreated"),
            first_created=_when(document, "firstCreated"),
            embargoed_until=parse_moment(embargo, "embargoed") if embargo else None,
            pub_status=status,
            language=_string(document, "language") or "ar",
            subjects=[
                subject["name"]
                for subject in document.get("subjects") or []
                if isinstance(subject, dict) and isinstance(subject.get("name"), str)
            ],
            byline=_string(document, "by"),
            wire_note=_string(document, "ednote") or _string(document, "edNote"),
        )
    ]


def _string(document: dict, name: str) -> str:
    value = document.get(name)
    return value.strip() if isinstance(value, str) else ""


def _first(entries, *, role: str) -> str:
    """The value of the entry with ``role``, else of the first entry."""
    entries = [e for e in entries or [] if isinstance(e, dict) and isinstance(e.get("value"), str)]
    chosen = next((e for e in entries if e.get("role") == role), entries[0] if entries else None)
    return chosen["value"].strip() if chosen else ""


def _body(document: dict) -> str:
    bodies = [b for b in document.get("bodies") or [] if isinstance(b, dict)]
    html = next(
        (
            b["value"]
            for b in bodies
            if b.get("contentType") == "text/html" and isinstance(b.get("value"), str)
        ),
        "",
    )
    if not html.strip():
        html = _string(document, "body_html")
    if not html.strip():
        text = next((b["value"] for b in bodies if isinstance(b.get("value"), str)), "")
        text = text or _string(document, "body_text")
        html = "".join(f"<p>{escape(p.strip())}</p>" for p in text.split("\n") if p.strip())
    return html.strip()


def _version(value) -> int | None:
    if value is None:
        return None
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()):
        raise WireError(_("has a version that is not a whole number"))
    return int(text)


def _when(document: dict, name: str):
    text = _string(document, name)
    return parse_moment(text, name) if text else None
