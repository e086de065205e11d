"""Work that follows the clock: one row per thing that must happen once.

Visibility never depends on these rows (``live()`` decides that at request
time). They exist for the follow-up work when a story goes live or expires —
an audit entry, clearing caches, notifications — done by ``publish_due``.

Imported by articles/models/story.py so that Django registers them with the app.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DueWork(models.Model):
    """One moment in a story's life (it goes live, it expires) awaiting follow-up.

    Written by the workflow in the same transaction that sets the time, and
    rewritten when the time changes, so a moved or cancelled schedule leaves no
    stale row. ``publish_due`` checks the story again before acting: a row whose
    moment no longer matches the story is closed as superseded, never acted on.
    """

    class Kind(models.TextChoices):
        GO_LIVE = "go_live", _("Goes live")
        EXPIRE = "expire", _("Expires")

    class Outcome(models.TextChoices):
        DONE = "done", _("Done")
        SUPERSEDED = "superseded", _("Superseded (the time changed)")

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="due_work",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    at = models.DateTimeField(_("at"))
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scheduled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    done_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("follow-up work")
        verbose_name_plural = _("follow-up work")
        constraints = [
            # The same moment is never handled twice, however often it is written.
            models.UniqueConstraint(fields=["article", "kind", "at"], name="due_work_once"),
        ]
        indexes = [
            # publish_due: "pending and due", oldest first.
            models.Index(
                fields=["at"], condition=Q(done_at__isnull=True), name="due_work_pending_idx"
            ),
        ]

    def __str__(self):
        return f"{self.article_id} {self.kind} {self.at:%Y-%m-%d %H:%M:%S}"


class CommandRun(models.Model):
    """The last successful run of a periodic command (for the desk's overdue warning)."""

    name = models.CharField(_("command"), max_length=64, unique=True)
    last_success_at = models.DateTimeField(_("last successful run"))
    last_handled = models.PositiveIntegerField(_("handled in the last run"), default=0)

    class Meta:
        verbose_name = _("command run")
        verbose_name_plural = _("command runs")

    def __str__(self):
        return self.name


class PendingPurge(models.Model):
    """A purge (surrogate keys to retire) that could not be delivered when it was due.

    Written when the cache server or the HTTP cache in front cannot be reached after
    a story changed; ``publish_due`` delivers it again until it succeeds, so no page
    stays stale after the outage (articles/site/purging.py).
    """

    target = models.CharField(
        _("target"), max_length=300, help_text=_("“cache”, or the address of a Varnish server.")
    )
    keys = models.TextField(_("keys"), help_text=_("Surrogate keys, separated by spaces."))
    hard = models.BooleanField(_("hard"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=1)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("pending purge")
        verbose_name_plural = _("pending purges")

    def __str__(self):
        return f"{self.target}: {self.keys[:80]}"
