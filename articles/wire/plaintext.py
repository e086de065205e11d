"""Plain-text wire copy -> Article.

The format (see demo/wire/): an Arabic dateline, the headline, the standfirst
and one paragraph per line. Scraped copy repeats lines; those are dropped.
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from articles.models import Article, ArticleEvent, Section
from articles.text import arabic
from articles.wire.item import WireError

MAX_FILE_BYTES = 5 * 1024 * 1024


class WireCopyError(WireError):
    """Plain-text copy cannot be imported; the message says why (a WireError like any
    format's, so that ``ingest`` and ``import_article`` report it the same way)."""


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
    return parse_wire_bytes(read_copy(path))


def read_copy(path: Path) -> bytes:
    """The bytes of a wire file of any format, or WireCopyError saying why there are none."""
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
    return raw


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


class Outcome(StrEnum):
    CREATED = "created"  # a new story
    UNCHANGED = "unchanged"  # imported before, identical copy: nothing written
    EDITED = "edited"  # imported before, not public: the new copy saved as an edit
    CORRECTED = "corrected"  # imported before and public: a correction


def import_story(
    story: WireStory,
    *,
    section: Section,
    status: str = Article.Status.DRAFT,
    publish_at: datetime.datetime | None = None,
    origin: str = "",
    actor=None,
    authors=(),
    tags=(),
) -> tuple[Article, Outcome]:
    """Import wire copy through the workflow, as ``actor`` (default: the system user).

    A new story is filed in ``section`` and, for ``approved`` or ``published``,
    submitted, approved and published (at ``publish_at``, default the dateline's
    date) by the same transitions an editor uses; ``authors`` and ``tags`` are
    its byline and tags.

    A story imported before keeps its status, section and schedule whatever the
    options say. The new copy is merged like a second editor's save, against the
    revision the last import left: copy identical to that changes nothing (not
    even ``updated_at``), whatever the desk has edited since; what the wire
    changed is applied and what the desk changed is kept — an edit, or a
    correction with an automatic note when readers have seen the story. When the
    wire and the desk changed the same part, nothing is imported (WireCopyError).
    Two imports of the same copy at once are serialised on its ``source_key``.
    """
    from articles.desk import editing, workflow

    actor = actor or workflow.system_user()
    with transaction.atomic():
        serialise_on(story.source_key)
        article = Article.objects.filter(source_key=story.source_key).first()
        if article is None:
            placement = {"section": section, "authors": list(authors), "tags": list(tags)}
            return _create(story, placement, status, publish_at, origin, actor), Outcome.CREATED
        if article.status == Article.Status.DELETED:
            raise WireCopyError(
                _("was imported before and deleted on the desk; not imported again")
            )
        last_import = article.revisions.filter(user=actor).order_by("-version").first()
        try:
            result = workflow.article_edit(
                article=article,
                user=actor,
                values=_words(story),
                opened_version=last_import.version if last_import else None,
                note=_("Wire copy imported again with changes (%(origin)s)")
                % {"origin": origin or "—"},
            )
        except editing.EditConflict as exc:
            raise clash(exc) from None
    if not result.changed:
        return article, Outcome.UNCHANGED
    return article, Outcome.CORRECTED if result.correction else Outcome.EDITED


def clash(conflict) -> WireCopyError:
    """The refusal when the wire and the desk changed the same parts of a story."""
    return WireCopyError(
        _(
            "changed both on the desk and in the new copy (%(fields)s); not imported: "
            "bring the wire's changes in by hand"
        )
        % {"fields": "، ".join(str(diff.label) for diff in conflict.conflicts)}
    )


def _words(story: WireStory) -> dict:
    return {
        "headline": story.headline,
        "standfirst": story.standfirst,
        "body": story.body_html,
        "dateline_place": story.dateline.place if story.dateline else "",
    }


def _create(story, placement, status, publish_at, origin, actor) -> Article:
    from articles.desk import workflow

    article = workflow.article_create(
        user=actor,
        values={**_words(story), **placement},
        source_key=story.source_key,
        note=_("Imported from wire copy (%(origin)s)") % {"origin": origin or "—"},
    )
    if status in (Article.Status.APPROVED, Article.Status.PUBLISHED):
        workflow.article_submit(article=article, user=actor)
        workflow.article_approve(article=article, user=actor)
    if status == Article.Status.PUBLISHED:
        if publish_at is None:
            publish_at = _start_of_day(story.dateline.date) if story.dateline else None
        workflow.article_publish(article=article, user=actor, at=publish_at, backdate=True)
    return article


def serialise_on(source_key: str) -> None:
    """A transaction-long PostgreSQL advisory lock on the copy's key: a second import
    of the same new file waits here, then finds the story the first one made."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [source_key])


def first_import(article: Article) -> ArticleEvent | None:
    """The audit entry of the import that made ``article`` (who, when, from which run)."""
    return article.events.filter(action=ArticleEvent.Action.CREATE).select_related("user").first()


def _start_of_day(date: datetime.date) -> datetime.datetime:
    """A dated dateline has no time: the story counts from the start of that day, locally."""
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time.min))
