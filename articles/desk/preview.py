"""Previews: any revision in the public template, for staff and through signed links.

A shared link is signed (nobody can guess or alter one), expires (48 hours
by default), can be revoked, and shows only its own story. Every use is
logged. Nothing here may be cached anywhere: ``Cache-Control: private, no-store``.
"""

import datetime
from types import SimpleNamespace

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from articles.desk.revisions import snapshot as take_snapshot
from articles.models import Article, Author, Image, PreviewLink, PreviewVisit, Section, Tag

_SALT = "articles.preview-link"


def link_lifetime() -> datetime.timedelta:
    return datetime.timedelta(hours=getattr(settings, "NEWSROOM_PREVIEW_LINK_HOURS", 48))


def create_link(*, article: Article, user, lifetime: datetime.timedelta | None = None):
    return PreviewLink.objects.create(
        article=article,
        created_by=user,
        expires_at=timezone.now() + (lifetime or link_lifetime()),
    )


def token_for(link: PreviewLink) -> str:
    return signing.dumps({"link": link.pk, "article": link.article_id}, salt=_SALT, compress=True)


def revoke(link: PreviewLink) -> None:
    PreviewLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


class PreviewStory(SimpleNamespace):
    """What templates/jinja2/articles/article.html reads from a story, built from a snapshot."""

    def get_absolute_url(self):
        return self._url


def story_from_snapshot(article: Article, data: dict) -> PreviewStory:
    section = Section.objects.filter(pk=data["section"]).first() or SimpleNamespace(
        name=data["section_name"], get_absolute_url=lambda: "#"
    )
    publish_at = parse_datetime(data["publish_at"]) if data.get("publish_at") else None
    # The revision names its authors, tags and picture by id; those deleted since are
    # shown by name (authors) or left out (tags, picture), as the public page would.
    authors = Author.objects.in_bulk(data.get("authors", []))
    byline = [
        authors.get(pk) or Author(name=name)
        for pk, name in zip(data.get("authors", []), data.get("author_names", []), strict=False)
    ]
    tags = list(Tag.objects.filter(pk__in=data.get("tags", [])).order_by("name"))
    lead_image_id = data.get("lead_image")
    lead_image = (
        Image.objects.filter(pk=lead_image_id).prefetch_related("renditions").first()
        if lead_image_id
        else None
    )
    return PreviewStory(
        pk=article.pk,
        headline=data["headline"],
        slug=data["slug"],
        standfirst=data["standfirst"],
        body=data["body"],  # sanitised when it was saved
        section=section,
        byline=byline,
        tag_list=tags,
        lead_image=lead_image,
        dateline_place=data["dateline_place"],
        publish_at=publish_at or timezone.now(),
        updated_at=article.updated_at,
        corrected_at=article.corrected_at,
        public_corrections=[],
        _url=article.get_absolute_url(),
    )


def render_preview(request, article: Article, data: dict | None = None, banner: str = ""):
    story = story_from_snapshot(article, data or take_snapshot(article))
    response = render(
        request,
        "articles/preview.html",
        {
            "article": story,
            "preview_banner": banner or _("Preview — not published"),
            "article_json_ld": None,
        },
    )
    return no_store(response)


def no_store(response):
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def shared_preview(request, token):
    """The page behind a shared link: the story's latest saved words, or nothing."""
    try:
        payload = signing.loads(token, salt=_SALT)
        link = PreviewLink.objects.select_related("article").get(
            pk=payload["link"], article_id=payload["article"]
        )
    except (signing.BadSignature, PreviewLink.DoesNotExist, KeyError, TypeError):
        raise Http404("no such preview") from None
    usable = link.is_usable()
    PreviewVisit.objects.create(
        link=link,
        allowed=usable,
        ip=request.META.get("REMOTE_ADDR") or None,
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
    )
    if not usable:
        response = render(request, "articles/preview_gone.html", status=410)
        return no_store(response)
    return render_preview(
        request, link.article, banner=_("Preview shared by the newsroom — not published")
    )
