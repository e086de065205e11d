"""Live coverage: a published story that grows by short updates while news happens."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.text.html_text import html_to_text
from articles.text.hygiene import PlainCharField, PlainTextField
from articles.text.sanitize import clean_html


class LiveCoverage(models.Model):
    """A story turned into live coverage (articles/desk/live.py starts and closes it)."""

    article = models.OneToOneField(
        "articles.Article",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="coverage",
    )
    started_at = models.DateTimeField(_("coverage started"), default=timezone.now)
    ended_at = models.DateTimeField(_("coverage ended"), null=True, blank=True)
    # Kept by every post and delete (recount()): the page and the state open pages poll
    # read them instead of counting a thousand updates on every request.
    update_count = models.PositiveIntegerField(default=0, editable=False)
    latest_update_id = models.BigIntegerField(default=0, editable=False)
    reporters = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporters who may post updates"),
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("live coverage")
        verbose_name_plural = _("live coverage")

    def __str__(self):
        return str(self.article)

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    def recount(self) -> None:
        """Count the story's updates again and keep the newest id (updates are never
        back-dated, so the newest is the highest id)."""
        found = LiveUpdate.objects.filter(article_id=self.article_id).aggregate(
            newest=Max("id"), count=Count("id")
        )
        self.latest_update_id, self.update_count = found["newest"] or 0, found["count"]
        LiveCoverage.objects.filter(pk=self.pk).update(
            latest_update_id=self.latest_update_id, update_count=self.update_count
        )


class LiveUpdateQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """As save() does, each update is sanitised and its plain text kept (the bench
        and tests make many at once; the desk posts through save())."""
        objs = list(objs)
        for update in objs:
            update.prepare()
        made = super().bulk_create(objs, *args, **kwargs)
        for coverage in LiveCoverage.objects.filter(article__in={u.article_id for u in objs}):
            coverage.recount()
        return made


class LiveUpdate(models.Model):
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="live_updates",
    )
    title = PlainCharField(
        _("short title"),
        max_length=200,
        blank=True,
        help_text=_("Optional; a key event is listed by it in the summary at the top."),
    )
    body = models.TextField(_("update"), help_text=_("Cleaned of anything unsafe when saved."))
    # The body as plain text, kept on save: the page's JSON-LD and key events read it for
    # every update shown, and parsing twenty bodies cost more than the rest of the page.
    body_text = PlainTextField(editable=False, blank=True, default="")
    image = models.ForeignKey(
        "articles.Image",
        verbose_name=_("picture"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    posted_at = models.DateTimeField(_("posted"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    is_key_event = models.BooleanField(
        _("key event"), default=False, help_text=_("Listed in the summary at the top.")
    )
    is_pinned = models.BooleanField(
        _("pinned"), default=False, help_text=_("Shown first; pinning one unpins the other.")
    )

    objects = LiveUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-posted_at", "-id"]
        verbose_name = _("live update")
        verbose_name_plural = _("live updates")
        constraints = [
            models.UniqueConstraint(
                fields=["article"], condition=Q(is_pinned=True), name="one_pinned_update"
            ),
        ]
        indexes = [
            models.Index(fields=["article", "-posted_at", "-id"], name="live_update_order_idx"),
            models.Index(
                fields=["article", "-posted_at"],
                condition=Q(is_key_event=True),
                name="live_update_key_idx",
            ),
        ]

    def __str__(self):
        return self.title or self.text()[:60]

    def save(self, *args, **kwargs):
        self.prepare()
        if (fields := kwargs.get("update_fields")) is not None and "body" in fields:
            kwargs["update_fields"] = {*fields, "body_text"}
        super().save(*args, **kwargs)

    def prepare(self) -> None:
        """The body through the one sanitiser, and its plain text kept beside it."""
        self.body = clean_html(self.body)
        self.body_text = self.text()

    def clean(self):
        self.body = clean_html(self.body)

    def text(self) -> str:
        # The page, its summary and its JSON-LD each ask: the body is parsed once.
        if getattr(self, "_text_of", None) != self.body:
            self._text, self._text_of = html_to_text(self.body), self.body
        return self._text

    @property
    def anchor(self) -> str:
        return f"update-{self.pk}"

    @property
    def label(self) -> str:
        return label_of(self.title, self.text())


LABEL_WORDS = 12


def label_of(title: str, text: str) -> str:
    """What the key-events summary and feeds call an update: its title, or its opening words."""
    if title:
        return title
    words = text.split(None, LABEL_WORDS)
    return " ".join(words[:LABEL_WORDS]) + ("…" if len(words) > LABEL_WORDS else "")
