"""The public reading site. Every story shown comes through ``live()``."""

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from articles.models import Article, Section
from articles.models.querysets import ArticleQuerySet, Cursor
from articles.site import front, seo, surrogates
from articles.site.front import front_plan
from articles.site.live import live_page
from articles.site.story_page import live_story


def home(request: HttpRequest) -> HttpResponse:
    plan = front_plan()
    # Every public change of any story retires "home", and so does a change of the
    # arrangement. Its cards name many authors: renaming any author retires it (rare).
    surrogates.show(request, surrogates.HOME, surrogates.BYLINES)
    return front.page(
        request, "articles/home.html", plan, {"structured_data": [seo.website_block(request)]}
    )


def section(request: HttpRequest, slug: str) -> HttpResponse:
    section = get_object_or_404(Section, slug=slug)
    stories = Article.objects.live().filter(section=section).cards().newest_first()
    page = keyset_page(request, stories)
    surrogates.show(request, surrogates.section(section.pk))
    trail = seo.breadcrumbs(
        request,
        (settings.NEWSROOM_SITE_NAME, reverse("articles:home")),
        (section.name, section.get_absolute_url()),
    )
    return render(
        request,
        "articles/section.html",
        {"section": section, "structured_data": [trail], **page},
    )


def article(request: HttpRequest, pk: int, slug: str | None = None) -> HttpResponse:
    # Also on the "not found": publishing the story must retire a cached 404.
    surrogates.show(request, surrogates.story(pk))
    story = live_story(pk)
    if story is None:
        raise Http404("no such story")
    surrogates.show(
        request,
        surrogates.section(story.section_id),  # its related block lists the section's latest
        *(surrogates.author(byline["id"]) for byline in story.byline_data),
        *(surrogates.tag(tag["id"]) for tag in story.tag_data),
    )
    surrogates.show_stories(request, story.related)
    if slug != story.slug:
        return redirect(story, permanent=True)
    live = None
    if story.live_coverage is not None:
        live = live_page(story, request.GET.get("updates_before"))
        # The bylines of its updates' posters, as the story's own bylines.
        surrogates.show(
            request, *{surrogates.author(u.author_id) for u in live.shown if u.author_id}
        )
    return render(
        request,
        "articles/article.html",
        {
            "article": story,
            "live": live,
            "live_poll_seconds": settings.NEWSROOM_LIVE_POLL_SECONDS,
            "digits_style": settings.NEWSROOM_DIGITS,
            "related": story.related,
            "article_json_ld": (
                seo.live_blog(request, story, live) if live else seo.news_article(request, story)
            ),
            "lead_image": (lead_image := seo.lead_image(story, request)),
            "share_image": lead_image or seo.site_card(request),
            "structured_data": [
                seo.breadcrumbs(
                    request,
                    (settings.NEWSROOM_SITE_NAME, reverse("articles:home")),
                    (story.section.name, story.section.get_absolute_url()),
                    (story.headline, story.get_absolute_url()),
                )
            ],
        },
    )


def keyset_page(request: HttpRequest, stories: ArticleQuerySet) -> dict[str, Any]:
    """One page of a newest-first listing, and the cursor of the next one.

    ``?before=`` carries the position of the last story shown, so page 500
    costs what page 1 costs. A malformed or exhausted cursor is a 404.
    """
    raw = request.GET.get("before")
    try:
        cursor = Cursor.parse(raw) if raw is not None else None
    except ValueError:
        raise Http404("bad page") from None
    size = settings.NEWSROOM_PAGE_SIZE
    page = list(stories.older_than(cursor)[: size + 1])
    if cursor is not None and not page:
        raise Http404("no such page")
    has_next = len(page) > size
    page = page[:size]
    surrogates.show_stories(request, page)
    return {
        "stories": page,
        "next_cursor": str(Cursor.after(page[-1])) if has_next else None,
        "is_first_page": cursor is None,
    }
