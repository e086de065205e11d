"""The desk's records: what was saved (revisions), what was done (events), who previewed,
and the working state of open forms (draft buffers, who has a story open).

History is append-only: revisions, events and visits are never updated in place
(a preview link's revocation aside). Draft buffers and open-form entries are
working state, overwritten and deleted as people type, save and leave.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.text.hygiene import PlainCharField, PlainTextField


class Revision(models.Model):
    """The whole story as it stood after one save (a JSON snapshot, see revisions.py)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        EDITED = "edited", _("Edited")
        MERGED = "merged", _("Edited (merged with a simultaneous save)")
        RESTORED = "restored", _("Restored an earlier revision")
        CORRECTED = "corrected", _("Corrected after publication")

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    version = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    snapshot = models.JSONField(_("snapshot"))
    note = PlainTextField(_("note"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saved at"), default=timezone.now)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.UniqueConstraint(fields=["article", "version"], name="one_revision_per_version")
        ]

    def __str__(self):
        return f"{self.article_id} v{self.version}"


class ArticleEvent(models.Model):
    """One workflow transition (or lock take-over): who, when, from, to, note."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Submitted for review")
        RETURN = "return", _("Returned to the reporter")
        APPROVE = "approve", _("Approved")
        PUBLISH = "publish", _("Published")
        SCHEDULE = "schedule", _("Scheduled")
        WITHDRAW = "withdraw", _("Withdrawn")
        CORRECT = "correct", _("Corrected")
        TAKE_OVER = "take_over", _("Took over editing")
        CREATE = "create", _("Filed")
        EDIT = "edit", _("Edited")
        DELETE = "delete", _("Deleted")
        RESCHEDULE = "reschedule", _("Rescheduled")
        UNSCHEDULE = "unschedule", _("Schedule cancelled")
        SET_EXPIRY = "set_expiry", _("Expiry changed")
        # Live coverage (articles/desk/live.py).
        LIVE_START = "live_start", _("Live coverage started")
        LIVE_END = "live_end", _("Live coverage closed")
        LIVE_ASSIGN = "live_assign", _("Live reporters assigned")
        UPDATE_POST = "update_post", _("Live update posted")
        UPDATE_EDIT = "update_edit", _("Live update edited")
        UPDATE_DELETE = "update_delete", _("Live update deleted")
        # Recorded by publish_due (articles/desk/scheduling.py) at the moment itself.
        WENT_LIVE = "went_live", _("Went live")
        EXPIRED = "expired", _("Expired")

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=16, blank=True)
    to_status = models.CharField(_("to"), max_length=16, blank=True)
    note = PlainTextField(_("note"), blank=True)
    public_note = PlainTextField(
        _("public correction note"),
        blank=True,
        help_text=_("Shown to readers under the story."),
    )
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("workflow event")
        verbose_name_plural = _("workflow events")
        indexes = [models.Index(fields=["article", "-created_at"], name="event_article_idx")]

    def __str__(self):
        return f"{self.article_id} {self.action}"


class PreviewLink(models.Model):
    """A signed link that shows one unpublished story to someone without an account."""

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="preview_links",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("preview link")
        verbose_name_plural = _("preview links")

    def __str__(self):
        return f"{self.article_id} #{self.pk}"

    def is_usable(self, at=None) -> bool:
        at = at or timezone.now()
        return self.revoked_at is None and self.expires_at > at


class PreviewVisit(models.Model):
    """Every use of a preview link (or an attempt with a revoked or expired one)."""

    link = models.ForeignKey(
        PreviewLink, verbose_name=_("link"), on_delete=models.CASCADE, related_name="visits"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    allowed = models.BooleanField(_("shown"))
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = PlainCharField(_("browser"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("preview visit")
        verbose_name_plural = _("preview visits")

    def __str__(self):
        return f"{self.link_id} {self.at:%Y-%m-%d %H:%M}"


class DraftBuffer(models.Model):
    """What one person last typed into one story's form, kept by autosave (articles/desk/autosave.py).

    One row per person and story (or per person for the story they are creating):
    it is overwritten every few seconds, is never a revision and never touches the
    story; it goes when that person saves the story.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty for a story not yet saved."),
    )
    fields = models.JSONField(_("form fields"))
    saved_at = models.DateTimeField(_("kept at"), default=timezone.now)

    class Meta:
        verbose_name = _("unsaved draft")
        verbose_name_plural = _("unsaved drafts")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"],
                condition=models.Q(article__isnull=False),
                name="one_draft_buffer_per_story",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(article__isnull=True),
                name="one_new_story_buffer",
            ),
        ]

    def __str__(self):
        return f"{self.user_id} {self.article_id or 'new'}"


class EditPresence(models.Model):
    """Someone has this story's form open: refreshed by the page's heartbeat (articles/desk/locks.py)."""

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    seen_at = models.DateTimeField(_("last heartbeat"), default=timezone.now)

    class Meta:
        verbose_name = _("open story form")
        verbose_name_plural = _("open story forms")
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="one_presence_per_person")
        ]

    def __str__(self):
        return f"{self.article_id} {self.user_id}"
