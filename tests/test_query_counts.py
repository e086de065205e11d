"""Pages cost the same number of queries with 3 stories or 60, 1 tag or 20."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.media import images
from tests.factories import make_article, make_author, make_section, make_tag
from tests.images_helpers import photo_bytes, upload

pytestmark = pytest.mark.django_db


def build_site(stories_per_section, sections=3, authors=2, tags=2):
    now = timezone.now()
    people = [make_author() for _ in range(authors)]
    labels = [make_tag() for _ in range(tags)]
    made = []
    for s in range(sections):
        section = make_section()
        for n in range(stories_per_section):
            made.append(
                make_article(
                    section=section,
                    publish_at=now - datetime.timedelta(minutes=n * sections + s + 1),
                    authors=people,
                    tags=labels,
                )
            )
    return made


def queries_for(client, url):
    client.get(url)  # warm the navigation cache, as on a running site
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


PAGES = {
    "home": (lambda story: "/", 2),
    "section": (lambda story: story.section.get_absolute_url(), 2),
    "article": (lambda story: story.get_absolute_url(), 1),
}


@pytest.mark.parametrize("page", PAGES)
def test_query_count_is_flat_as_content_grows(client, django_assert_max_num_queries, page):
    url_of, ceiling = PAGES[page]
    small = build_site(stories_per_section=2, authors=1, tags=1)
    few = queries_for(client, url_of(small[0]))

    big = build_site(stories_per_section=20, sections=3, authors=4, tags=6)
    many = queries_for(client, url_of(big[0]))

    assert few == many
    with django_assert_max_num_queries(ceiling):
        client.get(url_of(big[0]))


def test_article_with_lead_and_inline_pictures_stays_within_three_queries(
    client, settings, tmp_path, django_assert_max_num_queries
):

    settings.MEDIA_ROOT = tmp_path / "media"
    lead = images.create_image(upload(photo_bytes((1600, 1000))), alt_text="صورة رئيسية")
    inline = images.create_image(upload(photo_bytes((1200, 800))), alt_text="صورة داخل النص")
    src = inline.renditions.filter(format="jpeg").first().file.url
    story = make_article(
        lead_image=lead,
        authors=[make_author(), make_author()],
        tags=[make_tag(), make_tag(), make_tag()],
        body=f'<p>نص</p><figure class="inline-image"><img src="{src}" alt="" data-image-id="{inline.pk}"></figure>',
    )
    build_site(stories_per_section=3)
    client.get(story.get_absolute_url())  # warm the navigation cache
    # The story (with its section, bylines, tags and related stories), the lead
    # picture with its renditions, the inline pictures with theirs.
    with django_assert_max_num_queries(3):
        response = client.get(story.get_absolute_url())
    html = response.content.decode()
    assert html.count("<picture") >= 2
    assert "صورة رئيسية" in html
