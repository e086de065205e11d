"""The follow-up work when stories go live or expire, done once each.

Whether a reader sees a story never depends on this module: ``live()`` decides
at the moment of the request. What happens here is the work that should
follow those moments once — the audit entry ("went live", "expired"), retiring
cached pages once more, and the ``story_went_live`` / ``story_expired`` signals for
notifications — done by ``python manage.py publish_due`` every minute.

- The workflow calls ``sync_due_work`` in the transaction that changes a
  story's times, so the pending rows always match the story: a moved or
  cancelled schedule leaves no stale row.
- ``handle_due_work`` takes each due row in its own transaction, with the
  story's row locked (``skip_locked``: a second run, on this machine or
  another, moves on to other stories), checks the moment still stands, does
  the work and closes the row. A crash rolls back that one story's work whole.
- ``CommandRun`` keeps the last successful run, for the desk's warning.
"""

import datetime
import zoneinfo
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from articles.models import Article, ArticleEvent, CommandRun, DueWork
from articles.site import purging, surrogates

Kind = DueWork.Kind
COMMAND = "publish_due"

# Sent once per moment, after the work is committed. Arguments: article, at.
story_went_live = Signal()
story_expired = Signal()

_ACTIONS = {
    Kind.GO_LIVE: (ArticleEvent.Action.WENT_LIVE, story_went_live),
    Kind.EXPIRE: (ArticleEvent.Action.EXPIRED, story_expired),
}


# ---------------------------------------------------------------- times


class BadTime(ValueError):
    """A time an editor typed that cannot be used; ``message`` says why, in Arabic."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def parse_newsroom_time(text: str) -> datetime.datetime:
    """A ``datetime-local`` value read in the newsroom's time zone (``TIME_ZONE``).

    A wall-clock time that does not exist (skipped when the clocks go forward)
    is refused rather than silently moved; one that happens twice (when they
    go back) means its first occurrence.
    """
    text = (text or "").strip()
    try:
        value = parse_datetime(text) if text else None
    except ValueError:  # well-formed but impossible, e.g. month 13
        value = None
    if value is None:
        raise BadTime(_("Give a date and time to schedule the story for."))
    if timezone.is_aware(value):
        return value
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    aware = value.replace(tzinfo=zone)
    round_trip = aware.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None)
    if round_trip != value:
        raise BadTime(
            _(
                "%(time)s does not exist in the newsroom's time zone (%(zone)s): the clocks "
                "change that night. Choose another time."
            )
            % {"time": value.strftime("%Y-%m-%d %H:%M"), "zone": settings.TIME_ZONE}
        )
    return aware


def local_input_value(moment: datetime.datetime | None) -> str:
    """``moment`` as a ``datetime-local`` input shows it, in the newsroom's time zone."""
    if moment is None:
        return ""
    return timezone.localtime(moment, zoneinfo.ZoneInfo(settings.TIME_ZONE)).strftime(
        "%Y-%m-%dT%H:%M"
    )


# ---------------------------------------------------------------- keeping rows in step


def sync_due_work(story: Article, *, user=None) -> None:
    """Make the story's pending follow-up rows match its times.

    Call inside the transaction that saved ``story``, with its row locked.
    Pending rows for moments still in the future that the story no longer
    has are deleted; a moment already past stays (it happened, and
    ``handle_due_work`` checks it again). Rows already handled are history.
    """
    now = timezone.now()
    wanted = []
    if story.status == Article.Status.PUBLISHED:
        if story.publish_at:
            wanted.append((Kind.GO_LIVE, story.publish_at))
        if story.expire_at:
            wanted.append((Kind.EXPIRE, story.expire_at))
    keep = Q(pk__in=[])
    for kind, at in wanted:
        keep |= Q(kind=kind, at=at)
    DueWork.objects.filter(article=story, done_at__isnull=True, at__gt=now).exclude(keep).delete()
    DueWork.objects.bulk_create(
        [DueWork(article=story, kind=kind, at=at, scheduled_by=user) for kind, at in wanted],
        ignore_conflicts=True,  # the same moment, already written (or handled)
    )


# ---------------------------------------------------------------- doing the work


def handle_due_work(*, now: datetime.datetime | None = None, limit: int = 1000) -> int:
    """Do the follow-up work due at ``now``; return how many moments were handled."""
    now = now or timezone.now()
    due = list(
        DueWork.objects.filter(done_at__isnull=True, at__lte=now)
        .order_by("at", "id")
        .values_list("pk", "article_id")[:limit]
    )
    return sum(_handle_one(pk, article_id, now) for pk, article_id in due)


def _handle_one(pk: int, article_id: int, now: datetime.datetime) -> bool:
    with transaction.atomic():
        # The story's lock is the one that serialises all work on it (the
        # workflow takes it too); another run holding it means "not mine".
        story = (
            Article.objects.select_for_update(skip_locked=True)
            .filter(pk=article_id)
            .only("pk", "status", "publish_at", "expire_at", "headline")
            .first()
        )
        if story is None:
            return False
        work = DueWork.objects.select_for_update().filter(pk=pk, done_at__isnull=True).first()
        if work is None:  # handled by another run since we looked
            return False
        current = story.publish_at if work.kind == Kind.GO_LIVE else story.expire_at
        work.done_at = now
        if current != work.at:
            work.outcome = DueWork.Outcome.SUPERSEDED
            work.save(update_fields=["done_at", "outcome"])
            return False
        action, signal = _ACTIONS[Kind(work.kind)]
        ArticleEvent.objects.create(
            article=story,
            action=action,
            from_status=story.status,
            to_status=story.status,
            publish_at=story.publish_at,
            created_at=work.at,  # the history shows the moment itself, not when we noticed
        )
        work.outcome = DueWork.Outcome.DONE
        work.save(update_fields=["done_at", "outcome"])
        # Readers saw the change at its second (the caches were bounded by it); this
        # retires the same keys once more, for any cache that was not.
        purging.purge_on_commit(surrogates.keys_of(story), hard=True)
        transaction.on_commit(partial(signal.send, sender=Article, article=story, at=work.at))
    return True


def record_success(handled: int) -> None:
    """Note a successful run (one row, upserted: safe when two runs finish together)."""
    CommandRun.objects.bulk_create(
        [CommandRun(name=COMMAND, last_success_at=timezone.now(), last_handled=handled)],
        update_conflicts=True,
        unique_fields=["name"],
        update_fields=["last_success_at", "last_handled"],
    )


# ---------------------------------------------------------------- is it running?


def follow_up_health(now: datetime.datetime | None = None) -> dict:
    """What the desk needs to warn that follow-up work is not being done.

    Overdue when work has waited longer than the grace period, or when the
    command did run once but has not succeeded within it (its timer stopped).
    """
    now = now or timezone.now()
    grace = datetime.timedelta(minutes=settings.NEWSROOM_PUBLISH_DUE_GRACE_MINUTES)
    run = CommandRun.objects.filter(name=COMMAND).first()
    last_run = run.last_success_at if run else None
    waiting = DueWork.objects.filter(done_at__isnull=True, at__lte=now - grace).count()
    stale = last_run is not None and last_run < now - grace
    return {
        "overdue": bool(waiting) or stale,
        "last_run": last_run,
        "waiting": waiting,
        "grace_minutes": settings.NEWSROOM_PUBLISH_DUE_GRACE_MINUTES,
    }
