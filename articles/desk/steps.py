"""How one step of the workflow runs (articles/desk/workflow.py names the steps).

Every step locks the story's row, checks the actor's permission and the story's state,
changes it, validates, saves, writes the audit entry and announces the write once it
commits — all in one transaction. This is part of the one door
(tests/test_one_door_rule.py).
"""

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from articles.desk import scheduling
from articles.desk.audit import announce
from articles.desk.transitions import Transition
from articles.models import Article, ArticleEvent

Action = ArticleEvent.Action
# Whoever asks for a step: a request's user. An anonymous visitor holds no permission and
# is refused; the audit trail names the account that took the step.
Actor = User | AnonymousUser


class WorkflowError(Exception):
    """A refused transition; ``message`` is for the person who tried it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def refuse_if_forbidden(user: Actor, permission: str, article: Article) -> None:
    if not user.has_perm(permission):
        raise WorkflowError(
            _("You do not have permission to do that to “%(headline)s”.")
            % {"headline": article.headline}
        )


def state_refusal(story: Article, action: str) -> WorkflowError:
    return WorkflowError(
        _("“%(headline)s” is %(status)s, so this step is not possible: %(action)s.")
        % {
            "headline": story.headline,
            "status": story.get_status_display(),
            "action": Action(action).label,
        }
    )


def lock(article: Article) -> Article:
    """The story's row, locked until the transaction ends (every write starts here)."""
    try:
        return Article.objects.select_for_update().get(pk=article.pk)
    except Article.DoesNotExist:
        raise WorkflowError(_("This story no longer exists.")) from None


def run_step(
    row: Transition,
    *,
    article: Article,
    user: Actor,
    note: str = "",
    public_note: str = "",
    change: Callable[[Article], None] | None = None,
) -> Article:
    with transaction.atomic():
        story = lock(article)
        if not (user.is_authenticated and row.allowed(user, story)):
            raise WorkflowError(
                _("You do not have permission to do that to “%(headline)s”.")
                % {"headline": story.headline}
            )
        if not row.source_ok(story):
            raise state_refusal(story, row.action)
        from_status = story.status
        if row.target is not None:
            story.status = row.target
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
            action=row.action,
            from_status=from_status,
            to_status=story.status,
            note=note.strip(),
            public_note=public_note,
            publish_at=story.publish_at,
            user=user,
        )
        announce(story, row.action, user)
    # The caller's instance reflects what is now stored.
    for field in STATE_FIELDS:
        setattr(article, field, getattr(story, field))
    return story


STATE_FIELDS = ("status", "publish_at", "expire_at", "returned_at", "corrected_at", "updated_at")
