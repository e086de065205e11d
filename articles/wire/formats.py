"""Which wire format a file is in, told by its content (not its name), and its items."""

from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from articles.wire import newsml, ninjs_in, plaintext
from articles.wire.item import WireError, WireItem


def read_items(path: Path) -> list[WireItem]:
    """Every story in the file at ``path``; WireError says why there are none."""
    raw = plaintext.read_copy(path)
    if newsml.looks_like(raw):
        items = newsml.parse(raw)
    elif ninjs_in.looks_like(raw):
        items = ninjs_in.parse(raw)
    else:
        items = [from_plain_text(raw)]
    for item in items:
        check_language(item)
    return items


def from_plain_text(raw: bytes) -> WireItem:
    story = plaintext.parse_wire_bytes(raw)
    return WireItem(
        format="plain text",
        headline=story.headline,
        standfirst=story.standfirst,
        body_html=story.body_html,
        dateline_place=story.dateline.place if story.dateline else "",
        dateline_date=story.dateline.date if story.dateline else None,
        warning=story.dateline.warning if story.dateline else "",
    )


def check_language(item: WireItem) -> None:
    primary = item.language.split("-")[0].split("_")[0].lower()
    if primary not in settings.NEWSROOM_WIRE_LANGUAGES:
        raise WireError(
            _("is in a language this newsroom does not publish (%(language)s)")
            % {"language": item.language[:20]}
        )
