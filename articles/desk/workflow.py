"""Who may do what to a story, and the transitions between its states.

draft → in review → approved → published (now, or at a time) → withdrawn;
"return" sends a story back to draft with a note for its reporter.

One keyword-only function per transition. Each locks the row, checks the
actor's permission and the story's state, validates, saves and writes an
audit entry (ArticleEvent) in one transaction; side effects run on commit.
The admin's buttons and bulk actions, commands and any later caller (the
schedule view) go through these functions and nothing else.
"""

import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.desk import scheduling
from articles.models import Article, ArticleEvent

Status = Article.Status
Action = ArticleEvent.Action

# Sent after a transition is committed (cache purge, search upkeep, notifications).
# Arguments: article, action, user.
article_transitioned = Signal()


class WorkflowError(Exception):
    """A refused transition; ``message`` is for the person who tried it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------- who may edit


def is_owner(user, article) -> bool:
    return article.created_by_id is not None and article.created_by_id == user.pk


def can_edit(user, article) -> bool:
    """May ``user`` change the words of ``article`` as it is stored now?

    Reporters: their own stories while drafts (including returned ones).
    Editors: any story; a published one only as a correction.
    """
    if not user.is_active or not user.has_perm("articles.change_article"):
        return False
    if article.status == Status.PUBLISHED:
        return user.has_perm("articles.correct_article")
    if user.has_perm("articles.edit_any_article"):
        return True
    return article.status == Status.DRAFT and is_owner(user, article)


def edit_refusal(user, article) -> str:
    """Why ``user`` may not edit ``article`` (for the message they see)."""
    if article.status == Status.PUBLISHED:
        return _("Only an editor can correct a published story.")
    if article.status != Status.DRAFT:
        return _("This story has been submitted; only an editor can change it now.")
    return _("You can only edit your own stories.")


# ---------------------------------------------------------------- transitions


def article_submit(*, article, user, note=""):
    """A draft (new or returned) goes to the editors for review."""

    def allowed(user, story):
        return user.has_perm("articles.submit_article") and (
            user.has_perm("articles.edit_any_article") or is_owner(user, story)
        )

    def change(story):
        story.returned_at = None

    return _transition(
        article=article,
        user=user,
        action=Action.SUBMIT,
        allowed=allowed,
        sources={Status.DRAFT},
        target=Status.IN_REVIEW,
        note=note,
        change=change,
    )


def article_return(*, article, user, note=""):
    """Back to the reporter as a draft; the note says what to change."""
    if not note.strip():
        _refuse_if_forbidden(user, "articles.return_article", article)
        raise WorkflowError(_("Write a note telling the reporter what to change."))

    def change(story):
        story.returned_at = timezone.now()

    return _transition(
        article=article,
        user=user,
        action=Action.RETURN,
        allowed=_has("articles.return_article"),
        sources={Status.IN_REVIEW, Status.APPROVED, Status.WITHDRAWN},
        target=Status.DRAFT,
        note=note,
        change=change,
    )


def article_approve(*, article, user, note=""):
    return _transition(
        article=article,
        user=user,
        action=Action.APPROVE,
        allowed=_has("articles.approve_article"),
        sources={Status.IN_REVIEW},
        target=Status.APPROVED,
        note=note,
    )


def article_publish(*, article, user, at: datetime.datetime | None = None, note=""):
    """Publish now (``at=None``) or schedule for ``at``.

    An approved story, or a scheduled one that is not yet public (to move its
    time). ``live()`` hides a story whose ``publish_at`` is in the future, so
    scheduling is nothing more than publishing with a later time.
    """
    _check_schedule_time(at)

    def sources_ok(story):
        if story.status == Status.APPROVED:
            return True
        return _is_scheduled(story)

    def change(story):
        story.publish_at = at or timezone.now()
        _check_expiry_follows(story)

    return _transition(
        article=article,
        user=user,
        action=Action.SCHEDULE if at else Action.PUBLISH,
        allowed=_has("articles.publish_article"),
        sources=sources_ok,
        target=Status.PUBLISHED,
        note=note,
        change=change,
    )


def article_reschedule(*, article, user, at: datetime.datetime, note=""):
    """Move a scheduled story to another time, up to the second before it goes live."""
    _check_schedule_time(at)
    if at is None:
        raise WorkflowError(_("Give a date and time to schedule the story for."))

    def change(story):
        story.publish_at = at
        _check_expiry_follows(story)

    return _transition(
        article=article,
        user=user,
        action=Action.RESCHEDULE,
        allowed=_has("articles.publish_article"),
        sources=_is_scheduled,
        target=Status.PUBLISHED,
        note=note,
        change=change,
    )


def article_cancel_schedule(*, article, user, note=""):
    """A scheduled story goes back to "approved", unpublished, with no time."""

    def change(story):
        story.publish_at = None

    return _transition(
        article=article,
        user=user,
        action=Action.UNSCHEDULE,
        allowed=_has("articles.publish_article"),
        sources=_is_scheduled,
        target=Status.APPROVED,
        note=note,
        change=change,
    )


def article_set_expiry(*, article, user, at: datetime.datetime | None, note=""):
    """Set (or, with ``at=None``, clear) the moment a story leaves the public site.

    The story is kept, and shown as expired in the admin. An expiry already
    passed cannot be moved: the story has left the site (withdraw or return it).
    """
    if at is not None and timezone.is_naive(at):
        raise WorkflowError(_("Give the publication time with its time zone."))

    def sources_ok(story):
        passed = story.expire_at is not None and story.expire_at <= timezone.now()
        return story.status in (Status.APPROVED, Status.PUBLISHED) and not passed

    def change(story):
        if at is not None and at <= timezone.now():
            raise WorkflowError(_("The expiry time must be in the future."))
        story.expire_at = at
        _check_expiry_follows(story)

    return _transition(
        article=article,
        user=user,
        action=Action.SET_EXPIRY,
        allowed=_has("articles.publish_article"),
        sources=sources_ok,
        target=lambda story: story.status,
        note=note,
        change=change,
    )


class TimeHasPassed(WorkflowError):
    """A schedule for a moment already gone: the desk asks "publish now instead?"."""


def _check_schedule_time(at):
    if at is None:
        return
    if timezone.is_naive(at):
        raise WorkflowError(_("Give the publication time with its time zone."))
    if at <= timezone.now():
        raise TimeHasPassed(_("A scheduled time must be in the future."))


def _is_scheduled(story):
    """Published with a time still ahead (read under the row lock, at this instant)."""
    return (
        story.status == Status.PUBLISHED
        and story.publish_at is not None
        and story.publish_at > timezone.now()
    )


def _check_expiry_follows(story):
    if story.expire_at is None or story.publish_at is None:
        return
    if story.expire_at <= story.publish_at:
        raise WorkflowError(
            _("The expiry time must come after the publication time (%(at)s).")
            % {"at": timezone.localtime(story.publish_at).strftime("%Y-%m-%d %H:%M")}
        )


def article_withdraw(*, article, user, note=""):
    """Take a published (or scheduled) story off the site; it is kept."""
    return _transition(
        article=article,
        user=user,
        action=Action.WITHDRAW,
        allowed=_has("articles.withdraw_article"),
        sources={Status.PUBLISHED},
        target=Status.WITHDRAWN,
        note=note,
    )


def article_kill(*, article, user, note=""):
    """The agency killed the story (pubStatus canceled or withheld): withdraw it at
    once, whatever its state, so that it can never go out."""
    return _transition(
        article=article,
        user=user,
        action=Action.WITHDRAW,
        allowed=_has("articles.withdraw_article"),
        sources=lambda story: story.status != Status.WITHDRAWN,
        target=Status.WITHDRAWN,
        note=note,
    )


def article_correct(*, article, user, public_note="", note=""):
    """Record that the saved words of a published story were corrected.

    Called after the corrected text is saved (the admin's save, a restore):
    keeps the original ``publish_at``, sets ``corrected_at`` (readers see
    "updated") and keeps the public note, if any, in the story's history.
    """

    def change(story):
        story.corrected_at = timezone.now()

    return _transition(
        article=article,
        user=user,
        action=Action.CORRECT,
        allowed=_has("articles.correct_article"),
        sources={Status.PUBLISHED},
        target=Status.PUBLISHED,
        note=note,
        public_note=public_note.strip(),
        change=change,
    )


def take_over_editing(*, article, user):
    """An editor takes the soft edit lock from whoever holds it."""
    with transaction.atomic():
        story = Article.objects.select_for_update().get(pk=article.pk)
        if not user.has_perm("articles.edit_any_article") or not can_edit(user, story):
            raise WorkflowError(_("Only an editor can take over a story someone is editing."))
        previous = story.editing_by
        Article.objects.filter(pk=story.pk).update(editing_by=user, editing_since=timezone.now())
        ArticleEvent.objects.create(
            article=story,
            action=Action.TAKE_OVER,
            from_status=story.status,
            to_status=story.status,
            note=str(previous or ""),
            user=user,
        )
    return story


# ---------------------------------------------------------------- machinery


def _has(permission):
    return lambda user, story: user.has_perm(permission)


def _refuse_if_forbidden(user, permission, article):
    if not user.has_perm(permission):
        raise WorkflowError(
            _("You do not have permission to do that to “%(headline)s”.")
            % {"headline": article.headline}
        )


def _transition(
    *, article, user, action, allowed, sources, target, note="", public_note="", change=None
):
    with transaction.atomic():
        try:
            story = Article.objects.select_for_update().get(pk=article.pk)
        except Article.DoesNotExist:
            raise WorkflowError(_("This story no longer exists.")) from None
        if not (user.is_active and allowed(user, story)):
            raise WorkflowError(
                _("You do not have permission to do that to “%(headline)s”.")
                % {"headline": story.headline}
            )
        state_ok = sources(story) if callable(sources) else story.status in sources
        if not state_ok:
            raise WorkflowError(
                _("“%(headline)s” is %(status)s, so this step is not possible: %(action)s.")
                % {
                    "headline": story.headline,
                    "status": story.get_status_display(),
                    "action": Action(action).label,
                }
            )
        from_status = story.status
        story.status = target(story) if callable(target) else target
        if change:
            change(story)
        try:
            story.full_clean()
        except ValidationError as exc:
            raise WorkflowError(" ".join(exc.messages)) from None
        story.save()
        scheduling.sync_due_work(story, user=user)
        ArticleEvent.objects.create(
            article=story,
            action=action,
            from_status=from_status,
            to_status=story.status,
            note=note.strip(),
            public_note=public_note,
            publish_at=story.publish_at,
            user=user,
        )
        transaction.on_commit(
            partial(
                article_transitioned.send, sender=Article, article=story, action=action, user=user
            )
        )
    # The caller's instance reflects what is now stored.
    for field in (
        "status",
        "publish_at",
        "expire_at",
        "returned_at",
        "corrected_at",
        "updated_at",
    ):
        setattr(article, field, getattr(story, field))
    return story
