"""Plain-text wire copy -> Article.

The format (see demo/wire/): an Arabic dateline, the headline, the standfirst
and one paragraph per line. Scraped copy repeats lines; those are dropped.
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from articles.models import Article, Section
from articles.text import arabic

MAX_FILE_BYTES = 5 * 1024 * 1024


class WireCopyError(ValueError):
    """The copy cannot be imported; the message says why, for the person running the import."""


@dataclass
class WireStory:
    headline: str
    standfirst: str = ""
    paragraphs: list[str] = field(default_factory=list)
    dateline: arabic.Dateline | None = None

    @property
    def body_html(self) -> str:
        return "\n".join(f"<p>{escape(paragraph)}</p>" for paragraph in self.paragraphs)

    @property
    def source_key(self) -> str:
        """Same headline and date: the same story, however often it is imported."""
        date = self.dateline.date.isoformat() if self.dateline else ""
        return hashlib.sha256(f"{arabic.normalize(self.headline)}|{date}".encode()).hexdigest()


def read_wire_file(path: Path) -> WireStory:
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise WireCopyError(_("is a directory, not a story file")) from None
    except OSError as exc:
        raise WireCopyError(_("cannot be read (%(reason)s)") % {"reason": exc.strerror}) from None
    if len(raw) > MAX_FILE_BYTES:
        raise WireCopyError(
            _("is larger than %(size)s MB; not a story") % {"size": MAX_FILE_BYTES // (1024 * 1024)}
        )
    if not raw.strip():
        raise WireCopyError(_("is empty"))
    return parse_wire_bytes(raw)


def parse_wire_bytes(raw: bytes) -> WireStory:
    """Plain-text copy as the bytes of a file (binary or non-UTF-8 is refused)."""
    if b"\x00" in raw:
        raise WireCopyError(_("is a binary file, not plain text"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise WireCopyError(
            _("is not UTF-8 text (undecodable byte at position %(position)s); save it as UTF-8")
            % {"position": exc.start}
        ) from None
    return parse_wire_copy(text)


def parse_wire_copy(text: str) -> WireStory:
    lines = _without_repeats(" ".join(line.split()) for line in text.splitlines())
    if not lines:
        raise WireCopyError(_("has no text"))
    dateline = None
    try:
        dateline = arabic.parse_dateline(lines[0])
        lines = lines[1:]
    except arabic.DatelineError:
        pass
    if not lines:
        raise WireCopyError(_("has no headline (only a dateline)"))
    headline, *rest = lines
    standfirst, paragraphs = (rest[0], rest[1:]) if rest else ("", [])
    return WireStory(headline, standfirst, paragraphs, dateline)


def _without_repeats(lines) -> list[str]:
    """Non-blank lines, each repeat of the line before it dropped."""
    kept: list[str] = []
    for line in lines:
        if line and (not kept or kept[-1] != line):
            kept.append(line)
    return kept


@transaction.atomic
def import_story(
    story: WireStory,
    *,
    section: Section,
    status: str = Article.Status.DRAFT,
    publish_at: datetime.datetime | None = None,
) -> tuple[Article, bool]:
    """Create the story, or update the one imported before. Returns (article, created)."""
    if publish_at is None:
        publish_at = _start_of_day(story.dateline.date) if story.dateline else timezone.now()
    article = Article.objects.select_for_update().filter(source_key=story.source_key).first()
    created = article is None
    if created:
        article = Article(source_key=story.source_key)
    article.headline = story.headline
    article.standfirst = story.standfirst
    article.body = story.body_html
    article.section = section
    article.status = status
    article.publish_at = publish_at
    article.dateline_place = story.dateline.place if story.dateline else ""
    article.full_clean()
    article.save()
    return article, created


def _start_of_day(date: datetime.date) -> datetime.datetime:
    """A dated dateline has no time: the story counts from the start of that day, locally."""
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time.min))
