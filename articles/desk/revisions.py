"""Revisions: every save keeps the whole story, and any revision can come back.

A snapshot is plain JSON so that it outlives renamed sections or deleted
tags (names are kept beside ids) and has room for what comes later
(``images`` is an empty list until stories carry images).
"""

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
        "lead_image_alt": article.lead_image.alt_text if article.lead_image else "",
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


def keep_baseline(article: Article) -> None:
    """A story with no revision at its current version (a row older than revisions, or
    made by a path that kept none) gets one of itself as stored, before its first change.

    Called by the door under the row lock, in the edit's transaction: the save that
    follows then has a common ancestor for any form opened at that version to merge
    from. Showing a page never writes it (a GET writes nothing).
    """
    if article.revisions.filter(version=article.version).exists():
        return
    record(
        article=article,
        user=None,
        kind=Revision.Kind.CREATED,
        note=_("The story as it was before its first save through the desk"),
    )


def set_authors(article: Article, authors) -> None:
    """Replace the byline with ``authors``, in that order."""
    ArticleAuthor.objects.filter(article=article).delete()
    ArticleAuthor.objects.bulk_create(
        ArticleAuthor(article=article, author=author, position=position)
        for position, author in enumerate(authors)
    )


def restore(*, revision: Revision, user, public_note: str = ""):
    """Bring back ``revision``'s words as a new revision; later ones are kept.

    Goes through the workflow's edit door. Workflow state (status, publication
    time) is not restored: that moves only through the transitions. Restoring a
    story readers have seen is a correction, and needs the public note that
    tells them what changed. Returns the door's EditResult.
    """
    from articles.desk import workflow

    data = revision.snapshot
    section = Section.objects.filter(pk=data["section"]).first()
    if section is None:
        raise workflow.WorkflowError(
            _("The section of that revision (%(name)s) no longer exists.")
            % {"name": data["section_name"]}
        )
    authors = Author.objects.in_bulk(data["authors"])
    expire_at = _parse(data["expire_at"])
    values = {
        "headline": data["headline"],
        "slug": data["slug"],
        "standfirst": data["standfirst"],
        "body": data["body"],
        "dateline_place": data["dateline_place"],
        "section": section,
        # A picture deleted since then cannot come back; the story keeps none.
        "lead_image": Image.objects.filter(pk=data.get("lead_image")).first(),
        "authors": [authors[pk] for pk in data["authors"] if pk in authors],
        "tags": list(Tag.objects.filter(pk__in=data["tags"])),
    }
    if expire_at is None or expire_at > timezone.now():
        values["expire_at"] = expire_at  # a moment already gone is not brought back
    return workflow.article_edit(
        article=revision.article,
        user=user,
        values=values,
        kind=Revision.Kind.RESTORED,
        note=_("Restored version %(version)s") % {"version": revision.version},
        public_note=public_note,
        require_public_note=True,
    )


def _iso(value):
    return value.isoformat() if value else None


def _parse(value):
    if not value:
        return None
    from django.utils.dateparse import parse_datetime

    parsed = parse_datetime(value)
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
