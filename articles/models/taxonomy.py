"""Where stories are filed and who writes them: sections, authors and tags."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from articles.models.querysets import TagQuerySet
from articles.models.slugs import unicode_slug
from articles.site.links import link
from articles.text.hygiene import (
    NAME_KEY_LENGTH,
    PlainCharField,
    PlainTextField,
    clean_line,
    name_key,
    validate_has_letter_or_digit,
)


class Section(models.Model):
    name = PlainCharField(_("name"), max_length=100, validators=[validate_has_letter_or_digit])
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)
    description = PlainTextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Sections are listed in this order on the site.")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent section"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.CheckConstraint(
                condition=Q(name__regex=r"\S"),
                name="section_name_not_blank",
                violation_error_message=_("Give the section a name."),
            ),
            models.CheckConstraint(
                condition=~Q(slug=""),
                name="section_slug_not_empty",
                violation_error_message=_("Give the section a slug (its link)."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return link("articles:section", slug=self.slug)


class Author(models.Model):
    name = PlainCharField(_("name"), max_length=150, validators=[validate_has_letter_or_digit])
    slug = models.SlugField(_("slug"), max_length=150, unique=True, allow_unicode=True)
    bio = PlainTextField(_("short biography"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        constraints = [
            models.CheckConstraint(
                condition=Q(name__regex=r"\S"),
                name="author_name_not_blank",
                violation_error_message=_("Give the author a name."),
            ),
            models.CheckConstraint(
                condition=~Q(slug=""),
                name="author_slug_not_empty",
                violation_error_message=_("Give the author a slug (their page's link)."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unicode_slug(self.name, fallback="author")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return link("articles:author", slug=self.slug)


class Tag(models.Model):
    name = PlainCharField(
        _("name"), max_length=100, unique=True, validators=[validate_has_letter_or_digit]
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)
    # One tag per name as search sees it: «أخبار» typed as NFC or NFD, «ﻻجئ» and «لاجئ».
    folded_name = models.CharField(
        _("name as search compares it"), max_length=NAME_KEY_LENGTH, unique=True, editable=False
    )

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [
            models.CheckConstraint(
                condition=Q(name__regex=r"\S"),
                name="tag_name_not_blank",
                violation_error_message=_("Give the tag a name."),
            ),
            models.CheckConstraint(
                condition=~Q(slug=""),
                name="tag_slug_not_empty",
                violation_error_message=_("Give the tag a slug (its link)."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = clean_line(self.name)
        self.folded_name = name_key(self.name)
        if not self.slug:
            self.slug = unicode_slug(self.name, fallback="tag")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return link("articles:tag", slug=self.slug)

    def clean(self):
        self.name = clean_line(self.name)
        self.folded_name = name_key(self.name)
        same = Tag.objects.filter(folded_name=self.folded_name).exclude(pk=self.pk).first()
        if same is not None:
            raise ValidationError(
                {
                    "name": _(
                        "The tag “%(existing)s” already exists and search treats “%(name)s” "
                        "as the same word: use “%(existing)s” instead."
                    )
                    % {"existing": same.name, "name": self.name}
                },
                code="same_tag",
            )
