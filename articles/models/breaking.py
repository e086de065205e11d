"""The breaking-news banner: a live story flagged for a window of time."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BreakingNews(models.Model):
    """One story's banner window (articles/desk/breaking.py sets and clears it).

    Shown on every public page from ``starts_at`` until ``ends_at`` while the story is
    live; decided when a page is drawn, so it appears and goes at its second with no job.
    """

    article = models.OneToOneField(
        "articles.Article",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="breaking",
    )
    starts_at = models.DateTimeField(_("breaking from"))
    ends_at = models.DateTimeField(
        _("breaking until"), help_text=_("The banner disappears at this moment.")
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    set_at = models.DateTimeField(_("set at"), default=timezone.now)

    class Meta:
        verbose_name = _("breaking news")
        verbose_name_plural = _("breaking news")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="breaking_ends_after_start"
            )
        ]
        # The site reads the windows not over yet.
        indexes = [models.Index(fields=["ends_at"], name="breaking_ends_idx")]

    def __str__(self):
        return str(self.article)

    def is_on(self, at) -> bool:
        """Whether the window covers ``at`` (the story's own visibility is checked apart)."""
        return self.starts_at <= at < self.ends_at
