from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Upper
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from articles.models.desk import ArticleEvent
from articles.models.expressions import SEARCHABLE_BODY, indexed_words, joined_vectors
from articles.models.images import Image
from articles.models.querysets import ArticleQuerySet
from articles.models.slugs import unicode_slug
from articles.models.taxonomy import Author, Section, Tag
from articles.site.links import link
from articles.text.arabic import search_fold_sql
from articles.text.hygiene import (
    PlainCharField,
    PlainTextField,
    clean_plain_fields,
    validate_has_letter_or_digit,
)
from articles.text.sanitize import clean_html

if TYPE_CHECKING:
    from articles.models.live import LiveCoverage


class Article(models.Model):
    # Set by the pages that fetch them alongside the story (not fields; declared for mypy):
    byline_data: list[dict[str, Any]]  # for_listing(), the story page: credits in order
    tag_data: list[dict[str, Any]]  # ... and the tags
    related: list["Article"]  # the story page: the section's newest other live stories
    excerpt: str  # search results: the highlighted excerpt
    live_coverage: "LiveCoverage | None"  # the story page: its live coverage, if any

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        # A draft deleted on the desk: kept, hidden everywhere, for its audit trail.
        DELETED = "deleted", _("Deleted")

    headline = PlainCharField(
        _("headline"), max_length=300, validators=[validate_has_letter_or_digit]
    )
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        allow_unicode=True,
        blank=True,
        help_text=_("Made from the headline when left empty. Links keep working if it changes."),
    )
    standfirst = PlainTextField(_("standfirst"), blank=True)
    body = models.TextField(
        _("body"), blank=True, help_text=_("Cleaned of anything unsafe when the story is saved.")
    )
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="articles"
    )
    authors = models.ManyToManyField(
        Author,
        verbose_name=_("authors"),
        through="ArticleAuthor",
        related_name="articles",
        blank=True,
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), related_name="articles", blank=True)
    lead_image = models.ForeignKey(
        Image,
        verbose_name=_("lead image"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_for",
        help_text=_("Shown at the top of the story, in listings and on social cards."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        help_text=_("A published story is public from this moment, and not a second before."),
    )
    expire_at = models.DateTimeField(
        _("expire at"),
        null=True,
        blank=True,
        help_text=_("Optional. The story leaves the public site at this moment (it is kept)."),
    )
    embargoed_until = models.DateTimeField(
        _("embargoed until"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set by the wire agency: not public before it, whoever publishes it."),
    )
    wire_version = models.PositiveIntegerField(
        _("wire version"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The agency's version of this story last taken in; older ones are ignored."),
    )
    dateline_place = PlainCharField(_("dateline place"), max_length=100, blank=True)
    source_key = models.CharField(
        _("source key"),
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_("Identifies imported wire copy so that importing it again updates it."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Computed by PostgreSQL on every write (save, update(), bulk_create, raw SQL):
    # see articles/site/search.py for why this is a generated column.
    search_vector = models.GeneratedField(
        expression=joined_vectors(
            indexed_words(search_fold_sql(models.F("headline")), "A"),
            indexed_words(search_fold_sql(models.F("standfirst")), "B"),
            indexed_words(search_fold_sql(SEARCHABLE_BODY, source=models.F("body")), "C"),
        ),
        output_field=SearchVectorField(),
        db_persist=True,
        editable=False,
        verbose_name=_("search vector"),
    )
    # The desk (articles/desk/workflow.py, articles/desk/revisions.py) keeps these.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="filed_articles",
    )
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Goes up with every save, so that an older form never overwrites a newer one."),
    )
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True, editable=False)
    corrected_at = models.DateTimeField(
        _("corrected"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When a published story was last corrected; readers see it as “updated”."),
    )
    editing_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("being edited by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    editing_since = models.DateTimeField(_("editing since"), null=True, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.CheckConstraint(
                condition=Q(headline__regex=r"\S"),
                name="article_headline_not_blank",
                violation_error_message=_("Write a headline."),
            ),
            models.CheckConstraint(
                condition=~Q(slug=""),
                name="article_slug_not_empty",
                violation_error_message=_("Give the story a slug (its link)."),
            ),
            models.UniqueConstraint(
                fields=["section", "slug"], name="article_slug_unique_in_section"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(publish_at__isnull=False),
                name="article_published_has_publish_at",
                violation_error_message=_("A published story needs a publication time."),
            ),
            models.CheckConstraint(
                condition=Q(expire_at__isnull=True)
                | Q(publish_at__isnull=True)
                | Q(expire_at__gt=models.F("publish_at")),
                name="article_expires_after_publication",
                violation_error_message=_("The expiry time must come after the publication time."),
            ),
        ]
        indexes = [
            # live(): newest first across the site (home, feeds, sitemaps).
            models.Index(
                fields=["-publish_at", "-id"],
                condition=Q(status="published"),
                name="article_live_idx",
            ),
            # live() within a section (section pages, the home page's blocks).
            models.Index(
                fields=["section", "-publish_at", "-id"],
                condition=Q(status="published"),
                name="article_section_live_idx",
            ),
            models.Index(fields=["status", "-updated_at"], name="article_status_updated_idx"),
            # The next embargo to lift (articles/site/caching.py bounds cached pages by it too).
            models.Index(
                fields=["embargoed_until"],
                condition=Q(status="published", embargoed_until__isnull=False),
                name="article_embargo_idx",
            ),
            # The next expiry (articles/site/caching.py bounds every cached page by it).
            models.Index(
                fields=["expire_at"],
                condition=Q(status="published", expire_at__isnull=False),
                name="article_expiry_idx",
            ),
            GinIndex(fields=["search_vector"], name="article_search_idx"),
            # The desk: "my drafts", "returned to me"; scheduled and recent by time.
            models.Index(fields=["created_by", "status"], name="article_filed_by_idx"),
            models.Index(fields=["status", "-publish_at"], name="article_status_publish_idx"),
            # The admin changelist: most recently saved first, overall and per section.
            models.Index(fields=["-updated_at", "-id"], name="article_updated_idx"),
            models.Index(fields=["section", "-updated_at"], name="article_section_updated_idx"),
            # The read API's "changed since" filter (articles/api/views.py).
            models.Index(
                Coalesce("corrected_at", "publish_at"),
                condition=Q(status="published"),
                name="article_public_change_idx",
            ),
            # Changelist search (icontains) over headline and standfirst.
            GinIndex(OpClass(Upper("headline"), name="gin_trgm_ops"), name="article_headline_trgm"),
            GinIndex(
                OpClass(Upper("standfirst"), name="gin_trgm_ops"), name="article_standfirst_trgm"
            ),
        ]
        permissions = [
            ("edit_any_article", _("Can edit any story, whoever filed it")),
            ("submit_article", _("Can submit a story for review")),
            ("return_article", _("Can return a story to its reporter")),
            ("approve_article", _("Can approve a story")),
            ("publish_article", _("Can publish or schedule a story")),
            ("withdraw_article", _("Can withdraw a published story")),
            ("correct_article", _("Can correct a published story")),
            ("share_preview_article", _("Can share preview links")),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        self._derive_fields()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return link("articles:article", pk=self.pk, slug=self.slug)

    def clean(self):
        self._derive_fields()  # so that full_clean() validates what save() will store

    def validate_constraints(self, exclude=None):
        # The slug is made from the headline: with no headline yet, the headline's own
        # error says what to do, and "no slug" would only repeat it.
        if exclude and "headline" in exclude and not self.slug:
            exclude = {*exclude, "slug"}
        super().validate_constraints(exclude=exclude)

    def _derive_fields(self):
        """Plain text cleaned (hygiene), the slug, and the body through the one sanitiser."""
        clean_plain_fields(self)  # headline, standfirst, dateline place
        if not self.slug and self.headline:
            self.slug = self._free_slug(unicode_slug(self.headline, fallback="story"))
        self.body = clean_html(self.body)

    def _free_slug(self, base: str) -> str:
        taken = set(
            Article.objects.filter(section_id=self.section_id, slug__startswith=base)
            .exclude(pk=self.pk)
            .values_list("slug", flat=True)
        )
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        return slug

    # The state, worked out as live() and its siblings in querysets.py do.

    def is_live(self, at=None) -> bool:
        at = at or timezone.now()
        return self.has_gone_live(at) and (self.expire_at is None or self.expire_at > at)

    def has_gone_live(self, at=None) -> bool:
        """Published and due: readers have seen it, so a change is a correction."""
        at = at or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= at
            and (self.embargoed_until is None or self.embargoed_until <= at)
        )

    def is_scheduled(self, at=None) -> bool:
        at = at or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at > at
        )

    def is_expired(self, at=None) -> bool:
        at = at or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.expire_at is not None
            and self.expire_at <= at
        )

    @property
    def embargo_in_force(self) -> bool:
        """Does a wire embargo still hold the story back (live() will not show it)?"""
        return self.embargoed_until is not None and self.embargoed_until > timezone.now()

    @property
    def public_corrections(self):
        """Correction notes readers see under the story, oldest first."""
        corrections = self.events.filter(action=ArticleEvent.Action.CORRECT)
        return corrections.exclude(public_note="").order_by("created_at")

    @cached_property
    def byline(self) -> list[Author]:
        """Authors in credit order (from ``for_listing()``'s annotation when there is one)."""
        if hasattr(self, "byline_data"):
            return [Author(**author) for author in self.byline_data]
        return [credit.author for credit in self.credits.all()]  # a prefetch, if any

    @cached_property
    def tag_list(self) -> list[Tag]:
        """Tags by name (from ``for_listing()``'s annotation when there is one)."""
        if hasattr(self, "tag_data"):
            return [Tag(**tag) for tag in self.tag_data]
        return sorted(self.tags.all(), key=lambda tag: tag.name)  # a prefetch, if any


class ArticleAuthor(models.Model):
    """An author's credit on a story; ``position`` orders the byline."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="credits")
    author = models.ForeignKey(
        Author, verbose_name=_("author"), on_delete=models.PROTECT, related_name="credits"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("byline")
        verbose_name_plural = _("bylines")
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="one_credit_per_author")
        ]
        indexes = [models.Index(fields=["author", "article"], name="credit_author_idx")]

    def __str__(self):
        return str(self.author)
