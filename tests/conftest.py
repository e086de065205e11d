import datetime
import itertools
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from articles.models import Article, ArticleAuthor, Author, Section, Tag

SAMPLE = Path(settings.BASE_DIR) / "demo" / "wire" / "000_8a60910e0df4ed03.txt"
_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sample_path():
    return SAMPLE


def make_section(name=None, **fields):
    n = next(_counter)
    return Section.objects.create(
        name=name or f"قسم {n}", slug=fields.pop("slug", f"قسم-{n}"), **fields
    )


def make_author(name=None, **fields):
    return Author.objects.create(name=name or f"كاتب {next(_counter)}", **fields)


def make_tag(name=None):
    return Tag.objects.create(name=name or f"وسم {next(_counter)}")


def make_article(
    *,
    headline=None,
    section=None,
    status=Article.Status.PUBLISHED,
    publish_at=None,
    authors=(),
    tags=(),
    **fields,
):
    if publish_at is None and status == Article.Status.PUBLISHED:
        publish_at = timezone.now() - datetime.timedelta(hours=next(_counter))
    article = Article.objects.create(
        headline=headline or f"خبر رقم {next(_counter)}",
        section=section or make_section(),
        status=status,
        publish_at=publish_at,
        standfirst=fields.pop("standfirst", "مقدمة الخبر"),
        body=fields.pop("body", "<p>نص الخبر.</p>"),
        **fields,
    )
    for position, author in enumerate(authors):
        ArticleAuthor.objects.create(article=article, author=author, position=position)
    article.tags.set(tags)
    return article
