"""The image library: photographs with alt text, caption and credit, and their renditions.

Files are written only through ``articles/media/images.py``; their names are random
(unguessable), so an embargoed story's pictures cannot be found before it is out.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from articles.text.hygiene import PlainCharField, PlainTextField, validate_has_letter_or_digit


class Image(models.Model):
    file = models.FileField(_("file"), max_length=255, editable=False)
    format = models.CharField(_("format"), max_length=8, editable=False)
    width = models.PositiveIntegerField(_("width"), editable=False)
    height = models.PositiveIntegerField(_("height"), editable=False)
    file_size = models.PositiveIntegerField(_("file size"), editable=False)
    alt_text = PlainCharField(
        _("alt text"),
        max_length=300,
        help_text=_("Required. Describe the picture in Arabic for readers who cannot see it."),
        validators=[validate_has_letter_or_digit],
    )
    caption = PlainTextField(_("caption"), blank=True)
    credit = PlainCharField(_("credit / source"), max_length=200, blank=True)
    focal_x = models.FloatField(
        _("focal point (horizontal)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_("Optional, 0 to 1 from the left edge. Crops keep this point in view."),
    )
    focal_y = models.FloatField(
        _("focal point (vertical)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_("Optional, 0 to 1 from the top edge."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    # SHA-256 of the stored (metadata-free) file: the same picture uploaded again is found
    # by it (articles/media/duplicates.py). Not unique: older libraries may hold copies.
    content_hash = models.CharField(
        _("content hash"), max_length=64, blank=True, default="", editable=False, db_index=True
    )

    # Not a field: the image admin marks the library's copy with it when an upload turns out
    # to be that picture again, so the add view neither stores nor logs it as new.
    reused: bool = False

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("image")
        verbose_name_plural = _("images")
        permissions = [("change_any_image", _("Can change any picture, whoever uploaded it"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(alt_text__regex=r"\S"),
                name="image_alt_not_blank",
                violation_error_message=_("Describe the picture (alt text)."),
            ),
            models.CheckConstraint(
                condition=Q(focal_x__isnull=True, focal_y__isnull=True)
                | Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="image_focal_point_inside",
                violation_error_message=_("The focal point must lie inside the picture."),
            ),
        ]

    def __str__(self):
        return self.alt_text

    @property
    def focal_point(self) -> tuple[float, float]:
        if self.focal_x is None or self.focal_y is None:
            return (0.5, 0.5)
        return (self.focal_x, self.focal_y)

    # Every rendition of the image, when whoever fetched the image fetched them with it
    # (the story page, in the same query); None: ask ``renditions`` (or its prefetch).
    fetched_renditions: list["Rendition"] | None = None

    def can_be_changed_by(self, user) -> bool:
        """Reporters change the pictures they uploaded; editors and chiefs change any."""
        if not user.has_perm("articles.change_image"):
            return False
        if user.has_perm("articles.change_any_image"):
            return True
        return self.uploaded_by_id is not None and self.uploaded_by_id == user.pk

    def renditions_of(self, shape: str) -> list["Rendition"]:
        """Renditions of one shape, narrowest first (uses a prefetch when there is one)."""
        every = (
            self.renditions.all() if self.fetched_renditions is None else self.fetched_renditions
        )
        return sorted((r for r in every if r.shape == shape), key=lambda r: r.width)


class Rendition(models.Model):
    class Shape(models.TextChoices):
        ORIGINAL = "original", _("Original proportions")
        WIDE = "wide", _("Wide (16:9)")
        SOCIAL = "social", _("Social card (1200×630)")

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="renditions")
    shape = models.CharField(max_length=10, choices=Shape.choices)
    format = models.CharField(max_length=8)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    file = models.FileField(max_length=255)

    class Meta:
        ordering = ["shape", "width"]
        verbose_name = _("rendition")
        verbose_name_plural = _("renditions")
        constraints = [
            models.UniqueConstraint(
                fields=["image", "shape", "format", "width"], name="one_rendition_per_spec"
            )
        ]

    def __str__(self):
        return f"{self.shape} {self.width}×{self.height} {self.format}"

    @property
    def url(self) -> str:
        return self.file.url

    @property
    def mime_type(self) -> str:
        return f"image/{self.format}"
