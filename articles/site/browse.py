"""Ways to find stories: search, tag and author pages, the latest-news archive.

Every listing goes through ``live()`` and pages with the same keyset cursor as
the section pages (views.keyset_page), so a deep page costs what page 1 costs.
"""

from typing import Any

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Article, Author, Section, Tag
from articles.models.querysets import ArticleQuerySet
from articles.site import search, surrogates
from articles.site.views import keyset_page


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, strip=False)
    section = forms.ModelChoiceField(
        label=gettext_lazy("Section"),
        queryset=Section.objects.only("name", "slug"),
        to_field_name="slug",
        required=False,
        empty_label=gettext_lazy("All sections"),
    )
    published_from = forms.DateField(label=gettext_lazy("From"), required=False)
    published_to = forms.DateField(label=gettext_lazy("To"), required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("published_from"), data.get("published_to")
        if start and end and start > end:
            self.add_error("published_to", _("The end date must come after the start date."))
        return data


def search_view(request: HttpRequest) -> HttpResponse:
    surrogates.show(request, surrogates.SEARCH)
    form = SearchForm(request.GET or None)
    context = {"form": form, "results": [], "notice": ""}
    valid = form.is_valid()
    # A bad filter is reported on its field; the words are still searched.
    filters = form.cleaned_data if valid else {}
    raw = request.GET.get("q", "")
    terms = search.parse_query(raw)
    context["terms"] = terms
    if not raw.strip():
        context["notice"] = _("Type one or more words to search the news.")
        return render(request, "articles/search.html", context)
    if not terms and terms.common_words_only:
        context["notice"] = _(
            "Words such as «في» and «من» are too common to search for; add a word the story is about."
        )
        return render(request, "articles/search.html", context)
    if not terms:
        context["notice"] = _("Search with letters or numbers; punctuation alone finds nothing.")
        return render(request, "articles/search.html", context)
    if terms.trimmed:
        context["notice"] = _(
            "Your search was long, so only its first %(count)s characters were used."
        ) % {"count": search.MAX_QUERY_CHARS}

    page_number = _page_number(request)
    size = settings.NEWSROOM_PAGE_SIZE
    found = search.search(
        terms,
        section=filters.get("section"),
        published_from=filters.get("published_from"),
        published_to=filters.get("published_to"),
    ).for_listing()
    offset = (page_number - 1) * size
    results = list(found[offset : offset + size + 1])
    if page_number > 1 and not results:
        raise Http404("no such page")
    has_next = len(results) > size and page_number < search.MAX_PAGES
    results = results[:size]
    excerpts = search.excerpts(results, terms)
    for story in results:
        story.excerpt = excerpts.get(story.pk, "")
    query = request.GET.copy()
    query.pop("page", None)
    context.update(
        results=results,
        page_number=page_number,
        next_page=page_number + 1 if has_next else None,
        previous_page=page_number - 1 if page_number > 1 else None,
        query_string=query.urlencode(),
    )
    return render(request, "articles/search.html", context)


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    # isdigit() alone accepts "²" and "①", which int() refuses: ASCII digits only.
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= search.MAX_PAGES:
        raise Http404("no such page")
    return int(raw)


def tag(request: HttpRequest, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    surrogates.show(request, surrogates.tag(tag.pk))
    stories = Article.objects.live().filter(tags=tag).cards().newest_first()
    page = _live_page_or_404(request, stories)
    return render(request, "articles/tag.html", {"tag": tag, **page})


def author(request: HttpRequest, slug: str) -> HttpResponse:
    author = get_object_or_404(Author, slug=slug)
    surrogates.show(request, surrogates.author(author.pk))
    stories = Article.objects.live().filter(credits__author=author).cards().newest_first()
    page = _live_page_or_404(request, stories)
    return render(request, "articles/author.html", {"author": author, **page})


def _live_page_or_404(request: HttpRequest, stories: ArticleQuerySet) -> dict[str, Any]:
    """A tag or author page exists only while a live story uses it: its name and bio
    would otherwise confirm an embargoed topic or byline to anyone guessing the slug."""
    page = keyset_page(request, stories)
    if not page["stories"]:
        raise Http404("nothing live here")
    return page


def latest(request: HttpRequest) -> HttpResponse:
    """Every live story, newest first, under a heading for each day."""
    surrogates.show(request, surrogates.LATEST)
    stories = Article.objects.live().cards().newest_first()
    page = keyset_page(request, stories)
    return render(request, "articles/latest.html", page)
