"""The breaking-news banner through the workflow's one door: mark a story as breaking for
a window of time, or take the banner down.

Like every transition (articles/desk/workflow.py), each function locks the story's row,
checks the actor's permission (``publish_article``: editors) and the story's state on the
server, writes, keeps an audit entry (ArticleEvent) and sends ``article_transitioned``
after commit. Only a live story may be breaking; the site checks ``live()`` again each
time it draws the banner (articles/site/breaking.py), so a story withdrawn, expired or
embargoed later loses its banner at once.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.desk.audit import record_step
from articles.desk.workflow import WorkflowError, lock
from articles.models import Article, ArticleEvent, BreakingNews

Action = ArticleEvent.Action


def breaking_set(
    *,
    article,
    user,
    ends_at: datetime.datetime,
    starts_at: datetime.datetime | None = None,
) -> BreakingNews:
    """Show ``article`` under the breaking-news banner from ``starts_at`` (default: now)
    until ``ends_at``; a story already breaking gets the new window."""
    now = timezone.now()
    starts_at = starts_at or now
    with transaction.atomic():
        story = lock(article)
        _require(user, story)
        if not Article.objects.live().filter(pk=story.pk).exists():
            raise WorkflowError(
                _("Only a story readers can see now can be breaking news: “%(headline)s” is not.")
                % {"headline": story.headline}
            )
        if ends_at <= now:
            raise WorkflowError(_("The end of the banner has already passed: choose a later time."))
        if ends_at <= starts_at:
            raise WorkflowError(_("The banner must end after it starts."))
        window, _created = BreakingNews.objects.get_or_create(
            article=story, defaults={"starts_at": starts_at, "ends_at": ends_at}
        )
        window.starts_at, window.ends_at = starts_at, ends_at
        window.set_by, window.set_at = user, now
        try:
            window.full_clean(exclude=["article", "set_by"])
        except ValidationError as exc:
            raise WorkflowError(" ".join(exc.messages)) from None
        window.save()
        note = f"{timezone.localtime(starts_at):%Y-%m-%d %H:%M} → {timezone.localtime(ends_at):%Y-%m-%d %H:%M}"
        record_step(story, user, Action.BREAKING_SET, note)
    return window


def breaking_clear(*, article, user) -> None:
    """Take the banner down now."""
    with transaction.atomic():
        story = lock(article)
        _require(user, story)
        deleted, _rows = BreakingNews.objects.filter(article=story).delete()
        if not deleted:
            raise WorkflowError(
                _("“%(headline)s” is not breaking news.") % {"headline": story.headline}
            )
        record_step(story, user, Action.BREAKING_CLEAR)


def _require(user, story) -> None:
    if not (user.is_active and user.has_perm("articles.publish_article")):
        raise WorkflowError(
            _("You do not have permission to do that to “%(headline)s”.")
            % {"headline": story.headline}
        )
