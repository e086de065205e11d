"""Live coverage through the workflow's one door: start, close, assign, and post, edit or
delete updates.

Like every transition (articles/desk/workflow.py), each function locks the story's
row, checks the actor's permission and the story's state on the server, writes, keeps
an audit entry (ArticleEvent) and sends ``article_transitioned`` after commit (the
page cache retires what readers see). Who may do what:

- start, close and assign reporters: editors (``publish_article``);
- post: editors, and the reporters assigned to this coverage, while it is open on a
  published story;
- edit and delete an update: editors, and its own author while still assigned.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.desk.audit import record_step
from articles.desk.workflow import WorkflowError, lock
from articles.models import Article, ArticleEvent, Image, LiveCoverage, LiveUpdate

Action = ArticleEvent.Action


def coverage_start(*, article, user, reporters=()) -> LiveCoverage:
    """Turn a published story into live coverage (or reopen closed coverage)."""
    with transaction.atomic():
        story = lock(article)
        _require(user.has_perm("articles.publish_article"), story)
        if story.status != Article.Status.PUBLISHED:
            raise WorkflowError(_("Only a published story can become live coverage."))
        coverage, created = LiveCoverage.objects.get_or_create(article=story)
        if not created and coverage.is_open:
            raise WorkflowError(_("This story is already live coverage."))
        if not created:
            coverage.started_at, coverage.ended_at = timezone.now(), None
            coverage.save(update_fields=["started_at", "ended_at"])
        if reporters:
            coverage.reporters.set(reporters)
        record_step(story, user, Action.LIVE_START)
    return coverage


def coverage_end(*, article, user) -> LiveCoverage:
    with transaction.atomic():
        story = lock(article)
        _require(user.has_perm("articles.publish_article"), story)
        coverage = _open_coverage(story)
        coverage.ended_at = timezone.now()
        coverage.save(update_fields=["ended_at"])
        record_step(story, user, Action.LIVE_END)
    return coverage


def coverage_assign(*, article, user, reporters) -> LiveCoverage:
    with transaction.atomic():
        story = lock(article)
        _require(user.has_perm("articles.publish_article"), story)
        coverage = _open_coverage(story)
        coverage.reporters.set(reporters)
        names = "، ".join(sorted(r.get_username() for r in reporters)) or "—"
        record_step(story, user, Action.LIVE_ASSIGN, note=names)
    return coverage


def may_post(user, coverage: LiveCoverage | None) -> bool:
    if coverage is None or not coverage.is_open or not user.is_active:
        return False
    if user.has_perm("articles.edit_any_article"):
        return True
    return coverage.reporters.filter(pk=user.pk).exists()


def update_post(
    *,
    article,
    user,
    body: str,
    title: str = "",
    image: Image | None = None,
    key_event: bool = False,
    pinned: bool = False,
) -> LiveUpdate:
    with transaction.atomic():
        story = lock(article)
        coverage = _open_coverage(story)
        if story.status != Article.Status.PUBLISHED:
            raise WorkflowError(_("Updates can only be posted to a published story."))
        _require(may_post(user, coverage), story)
        update = LiveUpdate(
            article=story,
            title=title,
            body=body,
            image=image,
            author=user,
            is_key_event=key_event,
            is_pinned=pinned,
        )
        _save(update, story)
        coverage.recount()
        record_step(story, user, Action.UPDATE_POST, note=f"#{update.pk}")
    return update


def update_edit(*, update, user, **fields) -> LiveUpdate:
    """Change an update's ``title``, ``body``, ``image``, ``is_key_event`` or ``is_pinned``."""
    allowed = {"title", "body", "image", "is_key_event", "is_pinned"}
    if unknown := set(fields) - allowed:
        raise TypeError(f"not fields of an update: {sorted(unknown)}")
    with transaction.atomic():
        story = lock(update.article)
        current = LiveUpdate.objects.select_for_update().get(pk=update.pk)
        _require(_may_change(user, story, current), story)
        for name, value in fields.items():
            setattr(current, name, value)
        current.edited_at = timezone.now()
        _save(current, story)
        record_step(story, user, Action.UPDATE_EDIT, note=f"#{current.pk}")
    return current


def update_delete(*, update, user) -> None:
    with transaction.atomic():
        story = lock(update.article)
        current = LiveUpdate.objects.select_for_update().filter(pk=update.pk).first()
        if current is None:
            raise WorkflowError(_("This update no longer exists."))
        _require(_may_change(user, story, current), story)
        text = current.label
        current.delete()
        if coverage := LiveCoverage.objects.filter(article=story).first():
            coverage.recount()
        record_step(story, user, Action.UPDATE_DELETE, note=f"#{update.pk}: {text}")


def _may_change(user, story, update) -> bool:
    coverage = LiveCoverage.objects.filter(article=story).first()
    if user.is_active and user.has_perm("articles.edit_any_article"):
        return True
    return update.author_id == user.pk and may_post(user, coverage)


def _open_coverage(story) -> LiveCoverage:
    coverage = LiveCoverage.objects.filter(article=story).first()
    if coverage is None or not coverage.is_open:
        raise WorkflowError(
            _("“%(headline)s” is not live coverage: start live coverage first.")
            % {"headline": story.headline}
        )
    return coverage


def _require(allowed: bool, story) -> None:
    if not allowed:
        raise WorkflowError(
            _("You do not have permission to do that to “%(headline)s”.")
            % {"headline": story.headline}
        )


def _save(update: LiveUpdate, story) -> None:
    if not update.text().strip() and update.image_id is None:
        raise WorkflowError(_("An update needs some text or a picture."))
    try:
        update.full_clean(exclude=["article", "author"])
    except ValidationError as exc:
        raise WorkflowError(" ".join(exc.messages)) from None
    if update.is_pinned:  # one pinned update per story: the newest pin wins
        story.live_updates.filter(is_pinned=True).exclude(pk=update.pk).update(is_pinned=False)
    update.save()
