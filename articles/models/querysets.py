"""How stories are fetched. ``live()`` is the one definition of "public"."""

import datetime

from django.contrib.postgres.fields import ArrayField
from django.db import IntegrityError, models, transaction
from django.db.models import JSONField, Q, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles.text.hygiene import clean_line, name_key

# Bylines and tags of each story as JSON arrays, written as SQL once: the ORM took
# longer to compile the equivalent subqueries (2 ms a page) than PostgreSQL to run them.
_BYLINE_JSON = RawSQL(
    """SELECT coalesce(jsonb_agg(jsonb_build_object('id', author.id, 'name', author.name,
                                                  'slug', author.slug) ORDER BY credit.position),
                       '[]'::jsonb)
         FROM articles_articleauthor credit
         JOIN articles_author author ON author.id = credit.author_id
        WHERE credit.article_id = articles_article.id""",
    [],
    output_field=JSONField(),
)
_TAGS_JSON = RawSQL(
    """SELECT coalesce(jsonb_agg(jsonb_build_object('id', tag.id, 'name', tag.name,
                                                  'slug', tag.slug) ORDER BY tag.name), '[]'::jsonb)
         FROM articles_article_tags link
         JOIN articles_tag tag ON tag.id = link.tag_id
        WHERE link.article_id = articles_article.id""",
    [],
    output_field=JSONField(),
)
# Public correction notes, oldest first (the read API sends them with the story).
_CORRECTION_NOTES = RawSQL(
    """SELECT coalesce(array_agg(event.public_note ORDER BY event.created_at, event.id), '{}')
         FROM articles_articleevent event
        WHERE event.article_id = articles_article.id
          AND event.action = 'correct' AND event.public_note <> ''""",
    [],
    output_field=ArrayField(TextField()),
)


def last_public_change():
    """When readers last saw a story change: its last correction, or its publication."""
    return Coalesce("corrected_at", "publish_at")


# The states as conditions, for the querysets below and for the desk's buckets
# (articles/admin/desk.py); Article.is_live() and its siblings say the same in Python.
PUBLISHED = "published"


def gone_live_at(at: datetime.datetime) -> Q:
    """Published, due and past any wire embargo (a hard floor, however it was published):
    readers have seen it (live now, or expired since)."""
    return Q(status=PUBLISHED, publish_at__lte=at) & (
        Q(embargoed_until__isnull=True) | Q(embargoed_until__lte=at)
    )


def live_at(at: datetime.datetime) -> Q:
    return gone_live_at(at) & (Q(expire_at__isnull=True) | Q(expire_at__gt=at))


def scheduled_at(at: datetime.datetime) -> Q:
    return Q(status=PUBLISHED, publish_at__gt=at)


def expired_at(at: datetime.datetime) -> Q:
    return Q(status=PUBLISHED, expire_at__lte=at)


class ArticleQuerySet(models.QuerySet):
    def live(self, at: datetime.datetime | None = None):
        """Stories a reader may see at ``at`` (default: this instant).

        Published, due (``publish_at <= at``), not expired, and past any wire embargo
        (a hard floor: whoever publishes it and however, not a second before). Decided at query
        time, so a scheduled story appears at its second with no job running.
        """
        return self.filter(live_at(at or timezone.now()))

    def scheduled(self, at: datetime.datetime | None = None):
        """Published with a time still ahead: not public yet, and edited like a draft."""
        return self.filter(scheduled_at(at or timezone.now()))

    def expired(self, at: datetime.datetime | None = None):
        """Published, and past its expiry: kept, but off the public site."""
        return self.filter(expired_at(at or timezone.now()))

    def visible_on_desk(self):
        """Every story but the deleted drafts (kept only for their audit trail)."""
        return self.exclude(status=self.model.Status.DELETED)

    def visible_to(self, user):
        """Stories ``user`` may read on the desk: editors and chiefs every one, a
        reporter only their own (another reporter's draft may be an embargoed scoop)."""
        if user.has_perm("articles.edit_any_article"):
            return self
        return self.filter(created_by_id=user.pk)

    def cards(self):
        """for_listing() without the body: a list of story cards never shows it."""
        return self.for_listing().defer("search_vector", "body")

    def newest_first(self):
        return self.order_by("-publish_at", "-id")

    def for_listing(self):
        """What a story card or page shows, in one query (plus one for the pictures'
        renditions): section and lead picture joined, bylines and tags as arrays.
        The search column is left behind: it is large and no page shows it."""
        return (
            self.defer("search_vector")
            .select_related("section", "lead_image")
            .annotate(byline_data=_BYLINE_JSON, tag_data=_TAGS_JSON)
            .prefetch_related("lead_image__renditions")
        )

    def for_api(self):
        """for_listing() with the public correction notes: a whole ninjs document."""
        return self.for_listing().annotate(correction_notes=_CORRECTION_NOTES)

    def changed_since(self, moment: datetime.datetime):
        """Stories whose public version is ``moment`` or later (article_public_change_idx)."""
        return self.alias(public_change=last_public_change()).filter(public_change__gte=moment)

    def older_than(self, cursor: "Cursor | None"):
        """Keyset pagination: stories after ``cursor`` in newest-first order.

        Cost does not grow with depth, unlike OFFSET: the plain ``publish_at <=``
        bound is redundant logically, but it is what PostgreSQL can start the index
        scan from (it cannot from the OR alone, and would walk every newer story).
        """
        if cursor is None:
            return self
        return self.filter(publish_at__lte=cursor.publish_at).filter(
            Q(publish_at__lt=cursor.publish_at) | Q(publish_at=cursor.publish_at, id__lt=cursor.id)
        )


class Cursor:
    """A position in a newest-first listing, carried in ``?before=``."""

    def __init__(self, publish_at: datetime.datetime, id: int):
        self.publish_at, self.id = publish_at, id

    @classmethod
    def after(cls, article) -> "Cursor":
        return cls(article.publish_at, article.id)

    def __str__(self):
        micros = int(self.publish_at.timestamp() * 1_000_000)
        return f"{micros}-{self.id}"

    @classmethod
    def parse(cls, text: str) -> "Cursor":
        """Raise ValueError for anything that is not a cursor we made."""
        micros, _, ident = text.partition("-")
        if not (micros.isdigit() and ident.isdigit()) or len(micros) > 20 or len(ident) > 19:
            raise ValueError(f"bad cursor {text!r}")
        publish_at = datetime.datetime.fromtimestamp(int(micros) / 1_000_000, tz=datetime.UTC)
        return cls(publish_at, int(ident))


class TagQuerySet(models.QuerySet):
    def for_name(self, name: str):
        """The tag search would call ``name``, made if there is none yet: every path that
        creates tags from typed names (forms, importers) reuses «أخبار» for «اخبار»."""
        folded = name_key(name)
        found = self.filter(folded_name=folded).first()
        if found is not None:
            return found
        tag = self.model(name=clean_line(name))
        tag.full_clean(exclude={"slug"})  # the slug is made on save
        try:
            with transaction.atomic():
                tag.save()
        except IntegrityError:  # someone made it at the same moment
            return self.get(folded_name=folded)
        return tag
