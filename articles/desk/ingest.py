"""Wire items into stories, through the workflow (the one door).

One function, ``ingest_item``, decides what an item from an agency does to the
newsroom, and every write it makes goes through the workflow's transitions or
the same lock-validate-save-record steps they use:

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

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.desk import revisions, roles, workflow
from articles.models import Article, Revision, Section
from articles.wire.item import WireItem

WIRE_USERNAME = "wire-desk"
Status = Article.Status


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    CORRECTED = "corrected"
    UNCHANGED = "unchanged"
    OLDER_VERSION = "older version"
    KILLED = "killed"
    TAKEN_BY_ANOTHER = "taken by another run"


@dataclass(frozen=True)
class Result:
    article: Article | None
    outcome: Outcome


def wire_user():
    """The named system account the wire acts as (an editor's rights, no password)."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=WIRE_USERNAME,
        defaults={"first_name": "الوكالات", "is_staff": False, "is_active": True},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(roles.group_for("editor"))
    return user


def ingest_item(
    item: WireItem,
    *,
    section: Section,
    publish: bool = False,
    publish_at: datetime.datetime | None = None,
) -> Result:
    """Take ``item`` into the newsroom (see the module docstring). WireError and
    ValidationError leave nothing written."""
    actor = wire_user()
    try:
        with transaction.atomic():
            return _ingest(
                item, section=section, publish=publish, publish_at=publish_at, actor=actor
            )
    except IntegrityError:
        # Another run created the same story between our look and our insert.
        if not Article.objects.filter(source_key=item.source_key).exists():
            raise
        with transaction.atomic():
            result = _ingest(
                item, section=section, publish=False, publish_at=publish_at, actor=actor
            )
        if result.outcome is Outcome.UNCHANGED:
            return Result(result.article, Outcome.TAKEN_BY_ANOTHER)
        return result


def _ingest(item, *, section, publish, publish_at, actor) -> Result:
    story = Article.objects.select_for_update().filter(source_key=item.source_key).first()
    if story is None:
        if item.killed:
            return Result(None, Outcome.KILLED)  # nothing of ours to take down
        return Result(_create(item, section, publish, publish_at, actor), Outcome.CREATED)
    known = story.wire_version
    if item.version is not None and known is not None and item.version <= known:
        return Result(story, Outcome.OLDER_VERSION)
    if item.killed:
        if story.status != Status.WITHDRAWN:
            workflow.article_kill(article=story, user=actor, note=_kill_note(item))
        Article.objects.filter(pk=story.pk).update(wire_version=item.version)
        return Result(story, Outcome.KILLED)
    return _update(story, item, actor)


def _create(item, section, publish, publish_at, actor) -> Article:
    story = Article(source_key=item.source_key, section=section, created_by=actor)
    _copy_words(story, item)
    story.embargoed_until = item.embargoed_until
    story.wire_version = item.version
    _validate(story)
    story.save()
    revisions.record(article=story, user=actor, kind=Revision.Kind.CREATED, note=_origin(item))
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
    before = _words(story)
    _copy_words(story, item)
    embargo_changed = story.embargoed_until != item.embargoed_until
    if _words(story) == before and not embargo_changed:
        if item.version is not None and item.version != story.wire_version:
            Article.objects.filter(pk=story.pk).update(wire_version=item.version)
        return Result(story, Outcome.UNCHANGED)
    story.embargoed_until = item.embargoed_until
    story.wire_version = item.version
    story.version += 1
    _validate(story)
    story.save()
    published = story.status == Status.PUBLISHED
    kind = Revision.Kind.CORRECTED if published else Revision.Kind.EDITED
    revisions.record(article=story, user=actor, kind=kind, note=_origin(item))
    if not published:
        return Result(story, Outcome.UPDATED)
    workflow.article_correct(
        article=story,
        user=actor,
        public_note=item.wire_note or _("Updated with a new version from the agency."),
        note=_origin(item),
    )
    return Result(story, Outcome.CORRECTED)


def _copy_words(story: Article, item: WireItem) -> None:
    story.headline = item.headline
    story.standfirst = item.standfirst
    story.body = item.body_html
    story.dateline_place = item.dateline_place
    story.clean()  # the sanitiser, so that identical copy compares equal to what is stored


def _words(story: Article) -> tuple:
    return (story.headline, story.standfirst, story.body, story.dateline_place)


def _validate(story: Article) -> None:
    try:
        story.full_clean(exclude=["source_key"])
    except ValidationError as exc:
        raise ValidationError(exc.messages) from None


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
