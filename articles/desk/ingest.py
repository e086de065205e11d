"""Wire items into stories, through the workflow (the one door).

One function, ``ingest_item``, decides what an item from an agency does to the
newsroom, and every write it makes goes through the workflow's transitions or
its edit door (articles/desk/editing.py):

- a new item becomes a draft (or, asked to, is submitted, approved and
  published by the wire's system account, each step in the story's history);
- the item's identity (NewsML-G2 guid, ninjs uri; plain text: headline and
  date) ties later versions to the same story; an equal or lower version is
  ignored; a higher one updates the words — a correction, with the wire's note,
  if the story is published — and never the story's status, section or schedule;
- identical copy changes nothing at all (not even the time of the last change);
- ``pubStatus`` canceled or withheld withdraws the story at once, with an audit
  entry naming the wire;
- the agency's embargo is kept on the story: ``live()`` holds it back until then.
"""

import datetime
import enum
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.desk import editing, workflow
from articles.models import Article, Section
from articles.wire.item import WireItem
from articles.wire.plaintext import clash, serialise_on

Status = Article.Status


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    CORRECTED = "corrected"
    UNCHANGED = "unchanged"
    OLDER_VERSION = "older version"
    KILLED = "killed"


@dataclass(frozen=True)
class Result:
    article: Article | None
    outcome: Outcome


def ingest_item(
    item: WireItem,
    *,
    section: Section,
    publish: bool = False,
    publish_at: datetime.datetime | None = None,
) -> Result:
    """Take ``item`` into the newsroom (see the module docstring). WireError and
    ValidationError leave nothing written."""
    actor = workflow.system_user()
    with transaction.atomic():
        # A second run taking the same item waits here, then finds what the first made.
        serialise_on(item.source_key)
        return _ingest(item, section=section, publish=publish, publish_at=publish_at, actor=actor)


def _ingest(item, *, section, publish, publish_at, actor) -> Result:
    story = Article.objects.filter(source_key=item.source_key).first()
    if story is None:
        if item.killed:
            return Result(None, Outcome.KILLED)  # nothing of ours to take down
        return Result(_create(item, section, publish, publish_at, actor), Outcome.CREATED)
    if story.status == Status.DELETED:
        return Result(story, Outcome.UNCHANGED)  # deleted on the desk: left alone
    known = story.wire_version
    if item.version is not None and known is not None and item.version <= known:
        return Result(story, Outcome.OLDER_VERSION)
    if item.killed:
        if story.status != Status.WITHDRAWN:
            workflow.article_kill(article=story, user=actor, note=_kill_note(item))
        workflow.article_edit(
            article=story, user=actor, values={}, wire={"wire_version": item.version}
        )
        return Result(story, Outcome.KILLED)
    return _update(story, item, actor)


def _create(item, section, publish, publish_at, actor) -> Article:
    story = workflow.article_create(
        user=actor,
        values={**_words(item), "section": section},
        source_key=item.source_key,
        note=_origin(item),
        wire=_wire(item),
    )
    if publish:
        note = _origin(item)
        workflow.article_submit(article=story, user=actor, note=note)
        workflow.article_approve(article=story, user=actor, note=note)
        at = publish_at or item.first_created or item.version_created
        if at is not None and at > timezone.now():
            workflow.article_publish(article=story, user=actor, at=at, note=note)
        else:
            workflow.article_publish(article=story, user=actor, note=note)
    return story


def _update(story: Article, item: WireItem, actor) -> Result:
    """New words through the workflow's edit door, merged like a second editor's save
    against what the last import left (as import_article does): what the agency changed
    is applied, what the desk changed is kept; nothing if identical; a correction with
    the wire's note if readers have seen the story. Status, section and schedule are
    never touched. The agency and the desk changing the same part refuses the item."""
    last_import = story.revisions.filter(user=actor).order_by("-version").first()
    try:
        result = workflow.article_edit(
            article=story,
            user=actor,
            values=_words(item),
            opened_version=last_import.version if last_import else None,
            note=_origin(item),
            public_note=item.wire_note or _("Updated with a new version from the agency."),
            wire=_wire(item),
        )
    except editing.EditConflict as exc:
        raise clash(exc) from None
    if not result.changed:
        return Result(story, Outcome.UNCHANGED)
    return Result(story, Outcome.CORRECTED if result.correction else Outcome.UPDATED)


def _words(item: WireItem) -> dict:
    return {
        "headline": item.headline,
        "standfirst": item.standfirst,
        "body": item.body_html,
        "dateline_place": item.dateline_place,
    }


def _wire(item: WireItem) -> dict:
    return {"embargoed_until": item.embargoed_until, "wire_version": item.version}


def _origin(item: WireItem) -> str:
    version = f" v{item.version}" if item.version is not None else ""
    identity = f" {item.guid}" if item.guid else ""
    return _("From the wire (%(format)s%(identity)s%(version)s)") % {
        "format": item.format,
        "identity": identity,
        "version": version,
    }


def _kill_note(item: WireItem) -> str:
    reason = {"canceled": _("canceled"), "withheld": _("withheld")}[item.pub_status]
    note = _("The agency %(reason)s this story: %(origin)s") % {
        "reason": reason,
        "origin": _origin(item),
    }
    return f"{note} — {item.wire_note}" if item.wire_note else note
