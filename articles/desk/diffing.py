"""A readable word-level diff between two revisions, for Arabic as for Latin text.

Words are split on white space only: splitting on ``\\w`` would cut Arabic
words at their diacritics (tashkeel are combining marks, not letters).
Rich text is compared as the text a reader sees, one paragraph per line, with
its markup spelled out (articles/desk/markup_text.py): a heading, a list item,
bold words, a link's address and a picture show up in the diff when they change.
"""

import difflib
import re
from dataclasses import dataclass

from articles.desk import markup_text
from articles.desk.revisions import EDITABLE_FIELDS

_TOKENS = re.compile(r"\s+|\S+")


@dataclass
class Piece:
    op: str  # "same", "added", "removed"
    text: str


@dataclass
class FieldDiff:
    name: str
    label: str
    pieces: list[Piece]

    @property
    def changed(self) -> bool:
        return any(piece.op != "same" for piece in self.pieces)


def words_diff(old: str, new: str) -> list[Piece]:
    """``old`` → ``new`` as runs of unchanged, removed and added words."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _append(pieces, "same", "".join(a[i1:i2]))
            continue
        if tag in ("delete", "replace"):
            _append(pieces, "removed", "".join(a[i1:i2]))
        if tag in ("insert", "replace"):
            _append(pieces, "added", "".join(b[j1:j2]))
    return pieces


def readable(name: str, snapshot: dict) -> str:
    """A snapshot field as text a person can compare."""
    if name == "body":
        return markup_text.readable_html(snapshot.get("body") or "")
    if name == "section":
        return snapshot.get("section_name") or ""
    if name == "authors":
        return "، ".join(snapshot.get("author_names") or [])
    if name == "tags":
        return "، ".join(snapshot.get("tag_names") or [])
    if name == "lead_image":
        return snapshot.get("lead_image_alt") or ""
    value = snapshot.get(name)
    return "" if value is None else str(value)


def compare(old: dict, new: dict, fields=None) -> list[FieldDiff]:
    """Field by field, ``old`` → ``new`` (snapshots); only fields that differ."""
    diffs = []
    for name in fields or EDITABLE_FIELDS:
        pieces = words_diff(readable(name, old), readable(name, new))
        diff = FieldDiff(name=name, label=str(EDITABLE_FIELDS[name]), pieces=pieces)
        if diff.changed:
            diffs.append(diff)
    return diffs


def _append(pieces: list[Piece], op: str, text: str) -> None:
    if not text:
        return
    if pieces and pieces[-1].op == op:
        pieces[-1].text += text
    else:
        pieces.append(Piece(op, text))
