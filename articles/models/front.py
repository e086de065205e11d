"""The front page the editors arrange: a lead and ordered slots per section block.

An arrangement is a draft until it is given a moment (``takes_effect_at``); the one in
effect is the latest whose moment has come, decided when the page is drawn, so a
scheduled arrangement takes over at its second with no job running. Slots only point at
stories: the page still shows each one through ``live()``, and an empty or no-longer-live
slot falls back to the latest live stories (articles/site/front.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.text.hygiene import PlainCharField, PlainTextField

SLOTS_PER_BLOCK = 4  # as many as the home page shows per section


class FrontPageQuerySet(models.QuerySet):
    def in_effect(self, at):
        """The arrangement readers see at ``at`` (a one-row queryset, maybe empty)."""
        return self.filter(takes_effect_at__lte=at).order_by("-takes_effect_at", "-id")[:1]


class FrontPage(models.Model):
    """One arrangement of the home page (articles/desk/front.py writes it)."""

    name = PlainCharField(_("name"), max_length=200, blank=True)
    lead = models.ForeignKey(
        "articles.Article",
        verbose_name=_("lead story"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    takes_effect_at = models.DateTimeField(
        _("takes effect at"),
        null=True,
        blank=True,
        help_text=_("Empty: a draft. The latest arrangement whose moment has come is shown."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = FrontPageQuerySet.as_manager()

    class Meta:
        verbose_name = _("front-page arrangement")
        verbose_name_plural = _("front-page arrangements")
        indexes = [
            models.Index(
                fields=["-takes_effect_at", "-id"],
                condition=Q(takes_effect_at__isnull=False),
                name="front_effect_idx",
            )
        ]

    def __str__(self):
        return self.name or _("Arrangement %(number)s") % {"number": self.pk}

    def is_editable(self, at) -> bool:
        """Drafts and arrangements still to come may change; one that took effect is history."""
        return self.takes_effect_at is None or self.takes_effect_at > at


class FrontSlot(models.Model):
    arrangement = models.ForeignKey(
        FrontPage, verbose_name=_("arrangement"), on_delete=models.CASCADE, related_name="slots"
    )
    section = models.ForeignKey(
        "articles.Section", verbose_name=_("section"), on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    article = models.ForeignKey(
        "articles.Article", verbose_name=_("article"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["section", "position"]
        verbose_name = _("front-page slot")
        verbose_name_plural = _("front-page slots")
        constraints = [
            models.UniqueConstraint(
                fields=["arrangement", "section", "position"], name="one_story_per_slot"
            ),
            models.UniqueConstraint(fields=["arrangement", "article"], name="a_story_once"),
        ]
        # The home page looks its slotted stories up by arrangement and story.
        indexes = [models.Index(fields=["arrangement", "article"], name="front_slot_story_idx")]

    def __str__(self):
        return f"{self.section_id}/{self.position}: {self.article_id}"


class FrontPageEvent(models.Model):
    """The audit record of the front page (not one story's event)."""

    class Action(models.TextChoices):
        CREATE = "create", _("Arrangement created")
        ARRANGE = "arrange", _("Arrangement changed")
        SCHEDULE = "schedule", _("Arrangement scheduled")
        UNSCHEDULE = "unschedule", _("Arrangement back to draft")
        DELETE = "delete", _("Arrangement deleted")

    arrangement = models.ForeignKey(
        FrontPage,
        verbose_name=_("arrangement"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    note = PlainTextField(_("note"), blank=True)
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
        verbose_name = _("front-page event")
        verbose_name_plural = _("front-page events")

    def __str__(self):
        return f"{self.arrangement_id} {self.action}"
