"""The table of transitions, and who may edit a story: read by the workflow, which
enforces them (articles/desk/workflow.py), and by the admin, whose buttons are the
rows this person may take now (``available``). Nothing here changes a story.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Article, ArticleEvent

Status = Article.Status
Action = ArticleEvent.Action


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
    if article.status == Status.DELETED:
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


# ---------------------------------------------------------------- the table

Sources = frozenset[str] | Callable[[Article], bool]


@dataclass(frozen=True)
class Transition:
    """One row of the table: from which states, to which, by whom, asking what.

    ``target`` None keeps the status (expiry, correction). ``may`` is an extra
    rule on the person (a reporter submits only their own story). ``offered``
    narrows when the story form shows the button (Remove the expiry time needs
    an expiry); the server's rule is ``sources``. ``field`` names the time the
    button asks for; ``note`` is "" (none), "optional" or "required".
    """

    name: str
    label: str
    action: str
    permission: str
    sources: Sources
    target: str | None
    note: str = ""
    field: str = ""
    button: bool = True
    may: Callable | None = None
    offered: Callable[[Article], bool] | None = None

    def source_ok(self, story: Article) -> bool:
        return self.sources(story) if callable(self.sources) else story.status in self.sources

    def allowed(self, user, story: Article) -> bool:
        return (
            user.is_active
            and user.has_perm(self.permission)
            and (self.may is None or self.may(user, story))
        )


def _approved_or_scheduled(story):
    return story.status == Status.APPROVED or story.is_scheduled()


def _expiry_movable(story):
    return story.status in (Status.APPROVED, Status.PUBLISHED) and not story.is_expired()


def _deletable(story):
    return story.status in (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED) and not (
        has_been_published(story)
    )


def _own_or_any(user, story):
    return user.has_perm("articles.edit_any_article") or is_owner(user, story)


def _row(name, label, action, permission, sources, target, **options) -> Transition:
    return Transition(name, label, action, f"articles.{permission}", sources, target, **options)


TRANSITIONS: dict[str, Transition] = {
    row.name: row
    for row in [
        _row(
            "submit",
            gettext_lazy("Submit for review"),
            Action.SUBMIT,
            "submit_article",
            frozenset({Status.DRAFT}),
            Status.IN_REVIEW,
            may=_own_or_any,
        ),
        _row(
            "return",
            gettext_lazy("Return to the reporter"),
            Action.RETURN,
            "return_article",
            frozenset({Status.IN_REVIEW, Status.APPROVED, Status.WITHDRAWN}),
            Status.DRAFT,
            note="required",
        ),
        _row(
            "approve",
            gettext_lazy("Approve"),
            Action.APPROVE,
            "approve_article",
            frozenset({Status.IN_REVIEW}),
            Status.APPROVED,
        ),
        _row(
            "publish",
            gettext_lazy("Publish now"),
            Action.PUBLISH,
            "publish_article",
            _approved_or_scheduled,
            Status.PUBLISHED,
        ),
        _row(
            "schedule",
            gettext_lazy("Schedule"),
            Action.SCHEDULE,
            "publish_article",
            _approved_or_scheduled,
            Status.PUBLISHED,
            field="publish_at",
            offered=lambda story: story.status == Status.APPROVED,
        ),
        _row(
            "reschedule",
            gettext_lazy("Reschedule"),
            Action.RESCHEDULE,
            "publish_article",
            lambda story: story.is_scheduled(),
            Status.PUBLISHED,
            field="publish_at",
        ),
        _row(
            "unschedule",
            gettext_lazy("Cancel the schedule"),
            Action.UNSCHEDULE,
            "publish_article",
            lambda story: story.is_scheduled(),
            Status.APPROVED,
        ),
        _row(
            "expire",
            gettext_lazy("Set the expiry time"),
            Action.SET_EXPIRY,
            "publish_article",
            _expiry_movable,
            None,
            field="expire_at",
        ),
        _row(
            "keep",
            gettext_lazy("Remove the expiry time"),
            Action.SET_EXPIRY,
            "publish_article",
            _expiry_movable,
            None,
            offered=lambda story: story.expire_at is not None,
        ),
        _row(
            "withdraw",
            gettext_lazy("Withdraw"),
            Action.WITHDRAW,
            "withdraw_article",
            frozenset({Status.PUBLISHED}),
            Status.WITHDRAWN,
            note="optional",
        ),
        # Not buttons: a correction is a save of a published story (articles/desk/editing.py);
        # deleting is the admin's delete page; a kill comes from the agency (wire ingest).
        _row(
            "kill",
            gettext_lazy("Withdraw (killed by the agency)"),
            Action.WITHDRAW,
            "withdraw_article",
            lambda story: story.status not in (Status.WITHDRAWN, Status.DELETED),
            Status.WITHDRAWN,
            button=False,
        ),
        _row(
            "correct",
            gettext_lazy("Correct"),
            Action.CORRECT,
            "correct_article",
            frozenset({Status.PUBLISHED}),
            None,
            button=False,
        ),
        _row(
            "delete",
            gettext_lazy("Delete"),
            Action.DELETE,
            "delete_article",
            _deletable,
            Status.DELETED,
            button=False,
        ),
    ]
}


def available(user, article: Article) -> list[Transition]:
    """The buttons the story form offers ``user`` now; the server checks again when pressed."""
    return [
        row
        for row in TRANSITIONS.values()
        if row.button
        and row.allowed(user, article)
        and row.source_ok(article)
        and (row.offered is None or row.offered(article))
    ]


def may(name: str, user, article: Article) -> bool:
    """Would ``TRANSITIONS[name]`` be allowed for ``user`` on ``article`` as given?"""
    row = TRANSITIONS[name]
    return row.allowed(user, article) and row.source_ok(article)


def has_been_published(article: Article) -> bool:
    """Published now, withdrawn, or ever published or scheduled: such a story is
    withdrawn, never deleted (readers, feeds or search engines may have it)."""
    if article.status in (Status.PUBLISHED, Status.WITHDRAWN) or article.publish_at is not None:
        return True
    if article.pk is None:
        return False
    return article.events.filter(
        Q(to_status=Status.PUBLISHED) | Q(from_status=Status.PUBLISHED)
    ).exists()
