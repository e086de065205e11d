"""Revisions: every save keeps the whole story, and any revision can come back.

A snapshot is plain JSON so that it outlives renamed sections or deleted
tags (names are kept beside ids) and has room for what comes later
(``images`` is an empty list until stories carry images).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.media.images import INLINE_IMAGE
from articles.models import Article, ArticleAuthor, Author, Image, Revision, Section, Tag

# The fields a person edits, in the order the history and the diff show them.
EDITABLE_FIELDS = {
    "headline": gettext_lazy("headline"),
    "slug": gettext_lazy("slug"),
    "standfirst": gettext_lazy("standfirst"),
    "body": gettext_lazy("body"),
    "section": gettext_lazy("section"),
    "authors": gettext_lazy("authors"),
    "tags": gettext_lazy("tags"),
    "dateline_place": gettext_lazy("dateline place"),
    "expire_at": gettext_lazy("expire at"),
    "lead_image": gettext_lazy("lead image"),
}


def snapshot(article: Article) -> dict:
    """The whole story as stored now (reads its bylines and tags from the database)."""
    credits = list(
        ArticleAuthor.objects.filter(article=article).select_related("author").order_by("position")
    )
    tags = list(article.tags.order_by("name"))
    section = article.section
    return {
        "headline": article.headline,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": article.body,
        "section": section.pk,
        "section_name": section.name,
        "authors": [credit.author_id for credit in credits],
        "author_names": [credit.author.name for credit in credits],
        "tags": [tag.pk for tag in tags],
        "tag_names": [tag.name for tag in tags],
        "dateline_place": article.dateline_place,
        "expire_at": _iso(article.expire_at),
        "status": article.status,
        "publish_at": _iso(article.publish_at),
        "lead_image": article.lead_image_id,
        "lead_image_alt": article.lead_image.alt_text if article.lead_image_id else "",
        # Every picture the story shows: the lead image and those placed in the body.
        "images": sorted(
            {article.lead_image_id, *map(int, INLINE_IMAGE.findall(article.body))} - {None}
        ),
    }


def record(*, article: Article, user, kind: str, note: str = "") -> Revision:
    """Keep a revision of ``article`` as stored now, at its current version."""
    return Revision.objects.create(
        article=article,
        version=article.version,
        kind=kind,
        snapshot=snapshot(article),
        note=note,
        user=user,
    )


def set_authors(article: Article, authors) -> None:
    """Replace the byline with ``authors``, in that order."""
    ArticleAuthor.objects.filter(article=article).delete()
    ArticleAuthor.objects.bulk_create(
        ArticleAuthor(article=article, author=author, position=position)
        for position, author in enumerate(authors)
    )


def restore(*, revision: Revision, user) -> Revision:
    """Bring back ``revision``'s words as a new revision; later ones are kept.

    Workflow state (status, publication time) is not restored: that moves only
    through the transitions in workflow.py. Restoring a published story counts
    as a correction.
    """
    from articles.desk import workflow

    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=revision.article_id)
        if not workflow.can_edit(user, article):
            raise workflow.WorkflowError(workflow.edit_refusal(user, article))
        data = revision.snapshot
        article.headline = data["headline"]
        article.slug = data["slug"]
        article.standfirst = data["standfirst"]
        article.body = data["body"]
        article.dateline_place = data["dateline_place"]
        article.expire_at = _parse(data["expire_at"])
        section = Section.objects.filter(pk=data["section"]).first()
        if section is None:
            raise workflow.WorkflowError(
                _("The section of that revision (%(name)s) no longer exists.")
                % {"name": data["section_name"]}
            )
        article.section = section
        # A picture deleted since then cannot come back; the story keeps none.
        article.lead_image = Image.objects.filter(pk=data.get("lead_image")).first()
        article.version += 1
        article.save()
        authors = Author.objects.in_bulk(data["authors"])
        set_authors(article, [authors[pk] for pk in data["authors"] if pk in authors])
        article.tags.set(Tag.objects.filter(pk__in=data["tags"]))
        new = record(
            article=article,
            user=user,
            kind=Revision.Kind.RESTORED,
            note=_("Restored version %(version)s") % {"version": revision.version},
        )
        if article.status == Article.Status.PUBLISHED:
            workflow.article_correct(article=article, user=user, note=new.note)
    return new


def _iso(value):
    return value.isoformat() if value else None


def _parse(value):
    if not value:
        return None
    from django.utils.dateparse import parse_datetime

    parsed = parse_datetime(value)
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
