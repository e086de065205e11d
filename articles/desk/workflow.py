"""Who may do what to a story, and the transitions between its states.

draft → in review → approved → published (now, or at a time) → withdrawn;
"return" sends a story back to draft with a note for its reporter; a draft
never published can be deleted (kept, hidden, with its audit trail).

``TRANSITIONS`` is the one table of who may move a story from which states to
which: the server enforces it and the admin's buttons are read from it
(``available``). One keyword-only function per transition. Each locks the row,
checks the actor's permission and the story's state, validates, saves and
writes an audit entry (ArticleEvent) in one transaction; side effects run on
commit. Changing a story's words is ``article_edit`` (articles/desk/editing.py).

This is the one door: nothing else assigns a story's status, times or
correction, or saves a story (tests/test_one_door_rule.py checks it). The
admin's buttons and bulk actions, commands, imports and any later caller go
through these functions.
"""

import datetime
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.desk import transitions
from articles.desk.audit import (  # noqa: F401  (callers' one module)
    announce,
    article_changed,
    article_transitioned,
)
from articles.desk.steps import (  # noqa: F401  (callers' one module)
    STATE_FIELDS,
    Actor,
    WorkflowError,
    lock,
    refuse_if_forbidden,
    run_step,
    state_refusal,
)
from articles.desk.system import SYSTEM_USERNAME, system_user  # noqa: F401  (callers' one module)
from articles.models import Article, ArticleEvent, PreviewLink

if TYPE_CHECKING:  # editing imports this module: it is imported when called
    from articles.desk.editing import EditResult

Status = Article.Status
Action = ArticleEvent.Action
# The table and "who may edit" (articles/desk/transitions.py), named here too so that
# callers have one module to name.
TRANSITIONS = transitions.TRANSITIONS
Transition = transitions.Transition
available, may = transitions.available, transitions.may
can_edit, edit_refusal = transitions.can_edit, transitions.edit_refusal
is_owner, has_been_published = transitions.is_owner, transitions.has_been_published


def apply(
    name: str,
    *,
    article: Article,
    user: Actor,
    note: str = "",
    at: datetime.datetime | None = None,
) -> Article:
    """Make the transition called ``name`` (the admin's buttons post these names)."""
    if name not in TRANSITIONS or not TRANSITIONS[name].button:
        raise KeyError(name)
    if name == "submit":
        return article_submit(article=article, user=user, note=note)
    if name == "return":
        return article_return(article=article, user=user, note=note)
    if name == "approve":
        return article_approve(article=article, user=user, note=note)
    if name == "publish":
        return article_publish(article=article, user=user, note=note)
    if name == "schedule":
        if at is None:
            raise WorkflowError(_("Give a date and time to schedule the story for."))
        return article_publish(article=article, user=user, at=at, note=note)
    if name == "reschedule":
        if at is None:
            raise WorkflowError(_("Give a date and time to schedule the story for."))
        return article_reschedule(article=article, user=user, at=at, note=note)
    if name == "unschedule":
        return article_cancel_schedule(article=article, user=user, note=note)
    if name == "expire":
        if at is None:
            raise WorkflowError(_("Give a date and time to schedule the story for."))
        return article_set_expiry(article=article, user=user, at=at, note=note)
    if name == "keep":
        return article_set_expiry(article=article, user=user, at=None, note=note)
    return article_withdraw(article=article, user=user, note=note)


def check(
    name: str,
    *,
    article: Article,
    user: Actor,
    note: str = "",
    at: datetime.datetime | None = None,
) -> None:
    """Raise the WorkflowError ``apply`` would, without changing anything (the story
    form asks this before saving, so a refused button keeps the edits in the form)."""
    row = TRANSITIONS[name]
    if not (user.is_active and row.allowed(user, article)):
        raise WorkflowError(
            _("You do not have permission to do that to “%(headline)s”.")
            % {"headline": article.headline}
        )
    if row.note == "required" and not note.strip():
        raise WorkflowError(_("Write a note telling the reporter what to change."))
    if not row.source_ok(article):
        raise state_refusal(article, row.action)
    if row.field and at is None:
        raise WorkflowError(_("Give a date and time to schedule the story for."))
    if row.field == "publish_at":
        _check_schedule_time(at)
    elif row.field == "expire_at":
        check_expiry(article, at)


# ---------------------------------------------------------------- transitions


def article_submit(*, article: Article, user: Actor, note: str = "") -> Article:
    """A draft (new or returned) goes to the editors for review."""

    def change(story: Article) -> None:
        story.returned_at = None

    return run_step(TRANSITIONS["submit"], article=article, user=user, note=note, change=change)


def article_return(*, article: Article, user: Actor, note: str = "") -> Article:
    """Back to the reporter as a draft; the note says what to change."""
    if not note.strip():
        refuse_if_forbidden(user, "articles.return_article", article)
        raise WorkflowError(_("Write a note telling the reporter what to change."))

    def change(story: Article) -> None:
        story.returned_at = timezone.now()

    return run_step(TRANSITIONS["return"], article=article, user=user, note=note, change=change)


def article_approve(*, article: Article, user: Actor, note: str = "") -> Article:
    return run_step(TRANSITIONS["approve"], article=article, user=user, note=note)


def article_publish(
    *,
    article: Article,
    user: Actor,
    at: datetime.datetime | None = None,
    note: str = "",
    backdate: bool = False,
) -> Article:
    """Publish now (``at=None``) or schedule for ``at``.

    An approved story, or a scheduled one that is not yet public (to move its
    time). ``live()`` hides a story whose ``publish_at`` is in the future, so
    scheduling is nothing more than publishing with a later time. ``backdate``
    lets an earlier ``at`` stand as the publication time (wire copy keeps its
    dateline's date); the desk's buttons never pass it.
    """
    if not (backdate and at is not None and at <= timezone.now()):
        _check_schedule_time(at)
    elif timezone.is_naive(at):
        raise WorkflowError(_("Give the publication time with its time zone."))
    future = at is not None and at > timezone.now()

    def change(story: Article) -> None:
        story.publish_at = at or timezone.now()
        _check_expiry_follows(story)

    row = TRANSITIONS["schedule" if future else "publish"]
    return run_step(row, article=article, user=user, note=note, change=change)


def article_reschedule(
    *, article: Article, user: Actor, at: datetime.datetime, note: str = ""
) -> Article:
    """Move a scheduled story to another time, up to the second before it goes live."""
    _check_schedule_time(at)
    if at is None:
        raise WorkflowError(_("Give a date and time to schedule the story for."))

    def change(story: Article) -> None:
        story.publish_at = at
        _check_expiry_follows(story)

    return run_step(TRANSITIONS["reschedule"], article=article, user=user, note=note, change=change)


def article_cancel_schedule(*, article: Article, user: Actor, note: str = "") -> Article:
    """A scheduled story goes back to "approved", unpublished, with no time."""

    def change(story: Article) -> None:
        story.publish_at = None

    return run_step(TRANSITIONS["unschedule"], article=article, user=user, note=note, change=change)


def article_set_expiry(
    *, article: Article, user: Actor, at: datetime.datetime | None, note: str = ""
) -> Article:
    """Set (or, with ``at=None``, clear) the moment a story leaves the public site.

    The story is kept, and shown as expired in the admin. An expiry already
    passed cannot be moved: the story has left the site (withdraw or return it).
    """
    if at is not None and timezone.is_naive(at):
        raise WorkflowError(_("Give the publication time with its time zone."))

    def change(story: Article) -> None:
        check_expiry(story, at)
        story.expire_at = at

    row = TRANSITIONS["expire" if at is not None else "keep"]
    return run_step(row, article=article, user=user, note=note, change=change)


class ExpiryError(WorkflowError):
    """An expiry time that cannot be: passed, or not after the publication time."""


class TimeHasPassed(WorkflowError):
    """A schedule for a moment already gone: the desk asks "publish now instead?"."""


def _check_schedule_time(at: datetime.datetime | None) -> None:
    if at is None:
        return
    if timezone.is_naive(at):
        raise WorkflowError(_("Give the publication time with its time zone."))
    if at <= timezone.now():
        raise TimeHasPassed(_("A scheduled time must be in the future."))


def check_expiry(story: Article, at: datetime.datetime | None) -> None:
    """The rules for a new expiry time: in the future, after the publication time."""
    if at is None:
        return
    if at <= timezone.now():
        raise ExpiryError(_("The expiry time must be in the future."))
    if story.publish_at is not None and at <= story.publish_at:
        raise ExpiryError(
            _("The expiry time must come after the publication time (%(at)s).")
            % {"at": timezone.localtime(story.publish_at).strftime("%Y-%m-%d %H:%M")}
        )


def _check_expiry_follows(story: Article) -> None:
    if story.expire_at is None or story.publish_at is None:
        return
    if story.expire_at <= story.publish_at:
        raise WorkflowError(
            _("The expiry time must come after the publication time (%(at)s).")
            % {"at": timezone.localtime(story.publish_at).strftime("%Y-%m-%d %H:%M")}
        )


def article_withdraw(*, article: Article, user: Actor, note: str = "") -> Article:
    """Take a published (or scheduled) story off the site; it is kept, and every
    preview link still out for it stops working."""
    return run_step(
        TRANSITIONS["withdraw"], article=article, user=user, note=note, change=_revoke_previews
    )


def article_delete(*, article: Article, user: Actor, note: str = "") -> Article:
    """Delete a story that was never published: it leaves the desk, and its
    revisions and audit trail are kept (the row stays, with status "deleted")."""
    return run_step(
        TRANSITIONS["delete"], article=article, user=user, note=note, change=_revoke_previews
    )


def article_kill(*, article: Article, user: Actor, note: str = "") -> Article:
    """The agency killed the story (pubStatus canceled or withheld): withdraw it at
    once, whatever its state, so that it can never go out; its preview links stop."""
    return run_step(
        TRANSITIONS["kill"], article=article, user=user, note=note, change=_revoke_previews
    )


def _revoke_previews(story: Article) -> None:
    PreviewLink.objects.filter(article=story, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def take_over_editing(*, article: Article, user: Actor) -> Article:
    """An editor takes the soft edit lock from whoever holds it."""
    with transaction.atomic():
        story = Article.objects.select_for_update().get(pk=article.pk)
        if not (
            user.is_authenticated
            and user.has_perm("articles.edit_any_article")
            and can_edit(user, story)
        ):
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


# ---------------------------------------------------------------- the edit door


class CreateOptions(TypedDict, total=False):
    """``article_create``'s options (articles/desk/editing.py documents them)."""

    source_key: str | None
    note: str
    wire: dict[str, Any] | None


class EditOptions(TypedDict, total=False):
    """``article_edit``'s options (articles/desk/editing.py documents them)."""

    opened_version: int | None
    kind: str | None
    note: str
    public_note: str
    require_public_note: bool
    wire: dict[str, Any] | None


# ``values`` are a form's cleaned data (or the same fields from an import): any field's type.
def article_create(
    *, user: Actor, values: dict[str, Any], **options: Unpack[CreateOptions]
) -> Article:
    """A new draft (articles/desk/editing.py, which documents ``options``: source_key,
    note, wire)."""
    from articles.desk import editing

    return editing.article_create(user=user, values=values, **options)


def article_edit(
    *, article: Article, user: Actor, values: dict[str, Any], **options: Unpack[EditOptions]
) -> "EditResult":
    """Change a story's words through the door (articles/desk/editing.py, which
    documents ``options``: opened_version, kind, note, public_note, require_public_note,
    wire)."""
    from articles.desk import editing

    return editing.article_edit(article=article, user=user, values=values, **options)
