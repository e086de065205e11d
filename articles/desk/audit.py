"""What every write to a story leaves behind: its audit entry and, once committed, the
signals that keep caches and search in step.

``announce`` is the workflow's (transitions, edits, creation: articles/desk/workflow.py
and editing.py); ``record_step`` is the audit of a step beside the story's state — live
coverage (articles/desk/live.py) and the breaking-news banner (articles/desk/breaking.py)
— which keeps the state as it is and tells only ``article_transitioned`` (the page
cache retires the story's own page; nothing that lists it changed).
"""

from functools import partial

from django.contrib.auth.models import User
from django.db import transaction
from django.dispatch import Signal

from articles.models import Article, ArticleEvent

Action = ArticleEvent.Action

# Sent after a transition is committed (cache purge, search upkeep, notifications).
# Arguments: article, action, user.
article_transitioned = Signal()
# Sent after ANY write to a story is committed: an edit, a correction, a restore, an
# import, and every transition. Same arguments. The hook for cache and search upkeep.
article_changed = Signal()


def announce(story: Article, action: str, user: User) -> None:
    """Send ``article_transitioned`` (a transition) or ``article_changed`` (any write,
    transitions included) once the transaction commits."""
    if action in (Action.EDIT, Action.CREATE, Action.CORRECT):
        signals = [article_changed]
    else:
        signals = [article_transitioned, article_changed]
    for signal in signals:
        transaction.on_commit(
            partial(signal.send, sender=Article, article=story, action=action, user=user)
        )


def record_step(story: Article, user: User, action: str, note: str = "") -> None:
    """Audit a step that leaves the story's state as it is, and send
    ``article_transitioned`` once committed. Call inside the step's transaction, with
    the story's row locked."""
    ArticleEvent.objects.create(
        article=story,
        action=action,
        from_status=story.status,
        to_status=story.status,
        note=note,
        user=user,
    )
    transaction.on_commit(
        partial(article_transitioned.send, sender=Article, article=story, action=action, user=user)
    )
