"""The one door for a story's words: ``article_create`` and ``article_edit``.

Every change to what a story says — the admin's save, a correction, a restore,
an expiry typed in the form, an import — comes here. An edit locks the row,
checks the person's permission and the story's state, merges with a save made
since the form was opened (or refuses with the differences), validates,
saves, bumps ``version``, keeps a revision, writes the audit entry and, once
committed, sends ``workflow.article_changed``. Changing nothing writes
nothing: no version, no revision, not even ``updated_at``.

A save of a story that readers have seen (published, and due) is a correction:
``corrected_at`` is set and the public note, if any, is kept. A story that is
scheduled but not yet public is edited like a draft.

``values`` holds the edited fields by name (those of ``revisions.EDITABLE_FIELDS``)
as the model holds them: a Section, a list of Authors in byline order, Tags,
an Image or None, an aware datetime or None, strings. Missing names are left as
they are.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from articles.desk import revisions, scheduling, workflow
from articles.desk.diffing import compare
from articles.models import Article, ArticleEvent, Revision
from articles.text.sanitize import clean_html

Action = ArticleEvent.Action
EDITABLE_FIELDS = revisions.EDITABLE_FIELDS
_SIMPLE = ("headline", "slug", "standfirst", "body", "dateline_place", "section", "lead_image")
# What an agency's copy carries besides the words (articles/desk/ingest.py): the embargo
# is a change readers feel (live() holds the story back); the version is bookkeeping.
WIRE_FIELDS = ("embargoed_until", "wire_version")


class EditConflict(workflow.WorkflowError):
    """Someone saved the same parts since the form was opened; nothing was saved.

    ``conflicts`` are FieldDiffs (stored → yours), ``revision`` the save that got
    in first, ``stored_version`` the version to save against once reconciled.
    """

    def __init__(self, message, *, conflicts, revision, stored_version):
        super().__init__(message)
        self.conflicts, self.revision, self.stored_version = conflicts, revision, stored_version


@dataclass
class EditResult:
    story: Article
    changed: bool
    correction: bool = False
    merged_fields: list[str] = field(default_factory=list)
    revision: Revision | None = None


def article_create(
    *,
    user,
    values: dict,
    source_key: str | None = None,
    note: str = "",
    wire: dict | None = None,
) -> Article:
    """A new draft filed by ``user``, with its first revision and audit entry
    (``wire``: the agency's embargo and version, see WIRE_FIELDS)."""
    with transaction.atomic():
        if not (user.is_active and user.has_perm("articles.add_article")):
            raise workflow.WorkflowError(_("You do not have permission to file a story."))
        story = Article(created_by=user, source_key=source_key)
        _apply(story, values)
        _apply_wire(story, wire)
        if values.get("expire_at"):
            workflow.check_expiry(story, values["expire_at"])
        _validate(story)
        story.save()
        _set_related(story, values)
        revisions.record(article=story, user=user, kind=Revision.Kind.CREATED, note=note)
        ArticleEvent.objects.create(
            article=story,
            action=Action.CREATE,
            from_status="",
            to_status=story.status,
            note=note,
            user=user,
        )
        workflow.announce(story, Action.CREATE, user)
    return story


def prepare(*, article: Article, user, values: dict, opened_version: int | None = None):
    """Lock the row, check the person and the state, merge with a newer save.

    Returns (the locked story, the values to store, the fields taken from the
    newer save). Raises WorkflowError, or EditConflict when both changed the
    same field. Call inside a transaction; the story form calls it from
    ``clean()`` so that a refusal is a form error and the text stays in the form.
    """
    story = workflow.lock(article)
    if not workflow.can_edit(user, story):
        raise workflow.WorkflowError(workflow.edit_refusal(user, story))
    taken: list[str] = []
    if opened_version is not None and opened_version != story.version:
        values, taken = _merge(story, opened_version, values)
    if "expire_at" in values and values["expire_at"] != story.expire_at:
        _check_expiry_change(story, user, values["expire_at"])
    return story, values, taken


def _check_expiry_change(story: Article, user, at) -> None:
    """An expiry typed in the form follows the same rules as the expiry buttons once the
    story is approved or published (who may, and never once it has passed); on a draft
    it is only a plan, checked for sense."""
    if story.status in (Article.Status.APPROVED, Article.Status.PUBLISHED):
        workflow.check("expire" if at is not None else "keep", article=story, user=user, at=at)
    else:
        workflow.check_expiry(story, at)


def article_edit(
    *,
    article: Article,
    user,
    values: dict,
    opened_version: int | None = None,
    kind: str | None = None,
    note: str = "",
    public_note: str = "",
    require_public_note: bool = False,
    wire: dict | None = None,
) -> EditResult:
    """Store ``values`` on ``article`` through the door (see the module's docstring).

    ``kind`` names the revision (default: edited, merged or corrected as it
    turns out); ``note`` is the desk's note on the revision and audit entry;
    ``public_note`` is shown to readers when the edit is a correction, and
    ``require_public_note`` refuses a correction without one (a restore).
    ``wire`` carries an agency's embargo and version (WIRE_FIELDS): a new embargo
    is a change; a new version alone is noted without a revision.
    """
    with transaction.atomic():
        story, values, taken = prepare(
            article=article, user=user, values=values, opened_version=opened_version
        )
        before = revisions.snapshot(story)
        mine = _as_snapshot(values, before)
        correction = story.has_gone_live()
        public_note = public_note.strip()
        same = all(_comparable(name, mine) == _comparable(name, before) for name in EDITABLE_FIELDS)
        wire = wire or {}
        if "embargoed_until" in wire and wire["embargoed_until"] != story.embargoed_until:
            same = False
        # A correction note typed on a public story is kept even with the words unchanged.
        if same and not (correction and public_note):
            if wire.get("wire_version") not in (None, story.wire_version):
                # Bookkeeping only: not a change of the story (no version, no updated_at).
                Article.objects.filter(pk=story.pk).update(wire_version=wire["wire_version"])
                story.wire_version = wire["wire_version"]
            _copy_back(story, article)
            return EditResult(story=story, changed=False)
        if correction and require_public_note and not public_note:
            raise workflow.WorkflowError(
                _("Write the correction note readers will see under the story.")
            )
        revisions.keep_baseline(story)  # before the change: the version forms opened at
        from_status = story.status
        _apply(story, values)
        _apply_wire(story, wire)
        if correction:
            story.corrected_at = timezone.now()
        story.version += 1
        _validate(story)
        story.save()
        _set_related(story, values)
        if taken:
            merged_note = _("Merged with a simultaneous save; kept theirs for: %(fields)s") % {
                "fields": "، ".join(str(EDITABLE_FIELDS[name]) for name in taken)
            }
            note = f"{note}\n{merged_note}".strip()
        if kind is None:
            kind = (
                Revision.Kind.CORRECTED
                if correction
                else Revision.Kind.MERGED
                if taken
                else Revision.Kind.EDITED
            )
        revision = revisions.record(article=story, user=user, kind=kind, note=note)
        scheduling.sync_due_work(story, user=user)
        action = Action.CORRECT if correction else Action.EDIT
        ArticleEvent.objects.create(
            article=story,
            action=action,
            from_status=from_status,
            to_status=story.status,
            note=note,
            public_note=public_note if correction else "",
            publish_at=story.publish_at,
            user=user,
        )
        workflow.announce(story, action, user)
    _copy_back(story, article)
    return EditResult(
        story=story, changed=True, correction=correction, merged_fields=taken, revision=revision
    )


# ---------------------------------------------------------------- machinery


def _apply(story: Article, values: dict) -> None:
    for name in _SIMPLE:
        if name in values:
            setattr(story, name, values[name] if values[name] is not None else _blank(name))
    if "expire_at" in values:
        story.expire_at = values["expire_at"]


def _apply_wire(story: Article, wire: dict | None) -> None:
    for name in WIRE_FIELDS:
        if wire and name in wire:
            setattr(story, name, wire[name])


def _blank(name):
    return None if name == "lead_image" else ""


def _set_related(story: Article, values: dict) -> None:
    if "authors" in values:
        revisions.set_authors(story, list(values["authors"] or []))
    if "tags" in values:
        story.tags.set(list(values["tags"] or []))


def _validate(story: Article) -> None:
    try:
        story.full_clean()
    except ValidationError as exc:
        raise workflow.WorkflowError(" ".join(exc.messages)) from None


def _copy_back(story: Article, article: Article) -> None:
    """The caller's instance reflects what is now stored."""
    if article is story:
        return
    for model_field in Article._meta.concrete_fields:
        if not model_field.generated:
            setattr(article, model_field.attname, getattr(story, model_field.attname))


def _merge(stored: Article, opened_at: int, values: dict) -> tuple[dict, list[str]]:
    """Three ways per field: the revision the form was opened at, what is stored, what
    this person sent. Changed only by them: theirs is kept; only by this person: this
    person's; by both, differently: a conflict, and nothing is saved."""
    base_revision = Revision.objects.filter(article=stored, version=opened_at).first()
    base = base_revision.snapshot if base_revision else None
    theirs = revisions.snapshot(stored)
    mine = _as_snapshot(values, theirs)
    conflicts, taken = [], []
    for name in EDITABLE_FIELDS:
        if name not in values:
            continue
        my_value, their_value = _comparable(name, mine), _comparable(name, theirs)
        if my_value == their_value:
            continue
        base_value = _comparable(name, base) if base else object()
        if my_value != base_value and their_value != base_value:
            conflicts.append(name)
        elif their_value != base_value:
            taken.append(name)
    if conflicts:
        raise EditConflict(
            _(
                "Someone else saved this story while you were editing it, and changed "
                "the same parts: %(fields)s. Nothing has been saved; your text is still "
                "in the form. Compare it with the stored version below, reconcile, "
                "and save again."
            )
            % {"fields": "، ".join(str(EDITABLE_FIELDS[name]) for name in conflicts)},
            conflicts=compare(theirs, mine, conflicts),
            revision=Revision.objects.filter(article=stored).select_related("user").first(),
            stored_version=stored.version,
        )
    merged = dict(values)
    for name in taken:
        merged[name] = _model_value(name, stored)
    return merged, taken


def _as_snapshot(values: dict, fallback: dict) -> dict:
    data = dict(fallback)
    for name in EDITABLE_FIELDS:
        if name not in values:
            continue
        value = values[name]
        if name == "section":
            data["section"] = value.pk
            data["section_name"] = value.name
        elif name == "authors":
            data["authors"] = [author.pk for author in value or []]
            data["author_names"] = [author.name for author in value or []]
        elif name == "tags":
            tags = sorted(value or [], key=lambda tag: tag.name)
            data["tags"] = [tag.pk for tag in tags]
            data["tag_names"] = [tag.name for tag in tags]
        elif name == "body":
            data["body"] = clean_html(value or "")
        elif name == "expire_at":
            data["expire_at"] = value.isoformat() if value else None
        elif name == "lead_image":
            data["lead_image"] = value.pk if value else None
            data["lead_image_alt"] = value.alt_text if value else ""
        else:
            data[name] = _as_stored(name, value)
    return data


def _as_stored(name: str, value):
    """``value`` as the model will store it: plain-text fields pass the hygiene on save
    (articles/text/hygiene.py), so copy that is the same once cleaned compares equal."""
    cleaner = getattr(Article._meta.get_field(name), "cleaner", None)
    return cleaner(value) if cleaner is not None and isinstance(value, str) else value


def _comparable(name, snap):
    value = snap.get(name)
    if name == "tags":
        return sorted(value or [])
    if name == "expire_at":
        return parse_datetime(value) if value else None
    if name == "headline" and value:
        return value.strip()
    return value


def _model_value(name, stored: Article):
    if name == "authors":
        return [credit.author for credit in stored.credits.select_related("author")]
    if name == "tags":
        return list(stored.tags.all())
    return getattr(stored, name)
