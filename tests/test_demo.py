"""The first README command's demo content: every page shows its real layout."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import Article, Section
from tests.factories import log_in

pytestmark = pytest.mark.django_db


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_demo_loads_the_sample_as_lead_and_fills_every_section(client):
    output = seed()
    password = re.search(r"password: (\S+)", output).group(1)

    home = client.get("/").content.decode()
    lead = home.split('class="lead"')[1].split("</article>")[0]
    assert "إنقاذ 549 طفلاً من جريمة الاستغلال الجنسي في عملية دولية" in lead
    for section in Section.objects.all():
        assert Article.objects.live().filter(section=section).count() >= 4
        assert section.name in home
    assert log_in(client, "admin", password)


def test_demo_is_idempotent_and_keeps_unpublished_work_hidden(client):
    seed()
    counts = (Article.objects.count(), Article.objects.live().count())
    seed()
    assert (Article.objects.count(), Article.objects.live().count()) == counts
    assert Article.objects.filter(status=Article.Status.DRAFT).exists()
    assert "مسودة: خطة جديدة للنقل العام" not in client.get("/").content.decode()


def test_demo_reporter_sees_their_draft_on_the_desk(client):
    password = re.search(r"password: (\S+)", seed()).group(1)
    assert log_in(client, "reporter", password)
    desk = client.get("/admin/articles/article/desk/").content.decode()
    mine = desk.split('id="desk-mine"')[1].split("</section>")[0]
    assert 'data-count="1"' in mine
    assert "مسودة: خطة جديدة للنقل العام" in mine


def test_every_demo_story_has_a_revision_of_what_it_says():
    """Stories are made through the door (the wire import, the reporter's draft), so each
    has its first revision: opening one in the desk finds a common ancestor to merge from
    and writes nothing."""
    seed()
    stories = list(Article.objects.all())
    assert stories
    for story in stories:
        assert story.revisions.filter(version=story.version).exists(), story.headline
