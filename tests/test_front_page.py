"""The front page the editors arrange: through the workflow, at its second with the page
cache on, falling back to the latest live stories, previewed by staff only."""

import datetime
import html
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.desk import front, workflow
from articles.desk.workflow import WorkflowError
from articles.models import Article, FrontPage, FrontPageEvent
from tests.factories import make_article, make_section, make_staff

pytestmark = pytest.mark.django_db(transaction=True)

Action = FrontPageEvent.Action
T = datetime.datetime(2026, 3, 10, 9, 0, 0, tzinfo=datetime.UTC)
SECOND = datetime.timedelta(seconds=1)
HOUR = datetime.timedelta(hours=1)


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300


def lead_of(response) -> str | None:
    found = re.search(
        r'class="lead__headline"><a href="[^"]*">(.*?)</a>', response.content.decode()
    )
    return html.unescape(found.group(1)) if found else None


def block_of(response, section) -> list[str]:
    """The headlines of a section's block on the home page, in order."""
    page = response.content.decode()
    start = page.index(f'id="block-{section.pk}"')
    end = page.find('class="section-block"', start)
    chunk = page[start : end if end != -1 else len(page)]
    found = re.findall(r'class="card__headline"><a href="[^"]*">(.*?)</a>', chunk)
    return [html.unescape(headline) for headline in found]


def newsroom(now):
    """A section of five stories, newest first: one, two, … five hours old."""
    section = make_section(name="سياسة")
    stories = [
        make_article(headline=f"خبر {n}", section=section, publish_at=now - n * HOUR)
        for n in range(1, 6)
    ]
    return section, stories


def test_a_scheduled_arrangement_takes_effect_at_its_second_with_the_cache_on(client):
    editor = make_staff("editor")
    with time_machine.travel(T - HOUR, tick=False) as clock:
        section, stories = newsroom(T - HOUR)
        page = front.arrangement_create(user=editor)
        front.arrangement_arrange(
            arrangement=page,
            user=editor,
            lead=stories[4],
            blocks={section: [stories[3], None, stories[2]]},
        )
        front.arrangement_schedule(arrangement=page, user=editor, at=T)

        clock.move_to(T - SECOND)
        client.get("/")
        before = client.get("/")
        assert before["X-Cache"] == "hit"
        assert lead_of(before) == "خبر 1"  # the newest, as before any arrangement
        assert before["Surrogate-Control"] == "max-age=0"  # its lifetime ends at the second

        clock.move_to(T)
        after = client.get("/")
        assert lead_of(after) == "خبر 5"
        # Slot 2 was left empty: the latest story not placed elsewhere fills it.
        assert block_of(after, section) == ["خبر 4", "خبر 1", "خبر 3", "خبر 2"]


def test_a_withdrawn_or_expired_story_in_a_slot_falls_back_to_the_latest_live(client):
    editor = make_staff("editor")
    now = timezone.now()
    section, stories = newsroom(now)
    page = front.arrangement_create(user=editor)
    front.arrangement_arrange(
        arrangement=page,
        user=editor,
        lead=stories[3],
        blocks={section: [stories[4], stories[2]]},
    )
    front.arrangement_schedule(arrangement=page, user=editor)
    shown = client.get("/")
    assert lead_of(shown) == "خبر 4"
    assert block_of(shown, section) == ["خبر 5", "خبر 3", "خبر 1", "خبر 2"]

    workflow.article_withdraw(article=stories[3], user=editor, note="خطأ")
    workflow.article_withdraw(article=stories[4], user=editor, note="خطأ")

    shown = client.get("/")
    assert shown.status_code == 200
    assert lead_of(shown) == "خبر 1"
    assert block_of(shown, section) == ["خبر 2", "خبر 3"]
    assert "خبر 4" not in shown.content.decode()
    assert "خبر 5" not in shown.content.decode()


def test_a_picked_story_moved_to_another_section_leaves_its_slot(client):
    """A slot holds its section's story: moved to another section since, the story shows
    in its new section's block as its latest, and the slot takes the old section's next."""
    editor = make_staff("editor")
    now = timezone.now()
    section, stories = newsroom(now)
    other = make_section(name="اقتصاد")
    page = front.arrangement_create(user=editor)
    front.arrangement_arrange(
        arrangement=page, user=editor, lead=stories[0], blocks={section: [stories[4]]}
    )
    front.arrangement_schedule(arrangement=page, user=editor)
    assert block_of(client.get("/"), section) == ["خبر 5", "خبر 2", "خبر 3", "خبر 4"]

    workflow.article_edit(article=stories[4], user=editor, values={"section": other})

    shown = client.get("/")
    assert block_of(shown, section) == ["خبر 2", "خبر 3", "خبر 4"]
    assert block_of(shown, other) == ["خبر 5"]


def test_preview_shows_the_draft_to_staff_only_and_is_never_cached(client):
    editor, reporter = make_staff("editor"), make_staff("reporter")
    _section, stories = newsroom(timezone.now())
    draft = front.arrangement_create(user=editor)
    front.arrangement_arrange(arrangement=draft, user=editor, lead=stories[4], blocks={})
    url = reverse("admin:articles_frontpage_preview", args=[draft.pk])

    assert lead_of(client.get("/")) == "خبر 1"  # a draft is not what readers see
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert "/login/" in anonymous["Location"]
    client.force_login(reporter)
    assert client.get(url).status_code == 403

    client.force_login(editor)
    preview = client.get(url)
    assert preview.status_code == 200
    assert lead_of(preview) == "خبر 5"
    assert "no-store" in preview["Cache-Control"]
    assert "X-Cache" not in preview
    client.logout()
    assert lead_of(client.get("/")) == "خبر 1"


def test_only_editors_arrange_and_every_change_is_audited():
    editor, reporter = make_staff("editor"), make_staff("reporter")
    section, stories = newsroom(timezone.now())
    with pytest.raises(WorkflowError):
        front.arrangement_create(user=reporter)
    with pytest.raises(WorkflowError):  # refused, never cut short
        front.arrangement_create(user=editor, name="ت" * 201)
    assert not FrontPage.objects.exists()
    page = front.arrangement_create(user=editor, name="صباح\u202e الانتخابات")
    assert FrontPage.objects.get().name == "صباح الانتخابات"  # plain-text hygiene
    with pytest.raises(WorkflowError):
        front.arrangement_arrange(arrangement=page, user=reporter, lead=stories[0], blocks={})
    with pytest.raises(WorkflowError, match="خبر 2"):  # placed twice
        front.arrangement_arrange(
            arrangement=page, user=editor, lead=stories[1], blocks={section: [stories[1]]}
        )
    other = make_section()
    with pytest.raises(WorkflowError):  # not a story of that section
        front.arrangement_arrange(
            arrangement=page, user=editor, lead=None, blocks={other: [stories[0]]}
        )
    draft_story = make_article(status=Article.Status.DRAFT, section=section)
    with pytest.raises(WorkflowError):
        front.arrangement_arrange(arrangement=page, user=editor, lead=draft_story, blocks={})
    assert not page.slots.exists()

    front.arrangement_arrange(
        arrangement=page, user=editor, lead=stories[0], blocks={section: [stories[1]]}
    )
    front.arrangement_schedule(arrangement=page, user=editor, at=timezone.now() + HOUR)
    front.arrangement_unschedule(arrangement=page, user=editor)
    front.arrangement_schedule(arrangement=page, user=editor)
    with pytest.raises(WorkflowError):  # it has gone out: history now
        front.arrangement_arrange(arrangement=page, user=editor, lead=None, blocks={})
    with pytest.raises(WorkflowError):
        front.arrangement_delete(arrangement=page, user=editor)

    actions = list(
        FrontPageEvent.objects.filter(arrangement=page)
        .order_by("created_at", "id")
        .values_list("action", "user")
    )
    assert actions == [
        (Action.CREATE, editor.pk),
        (Action.ARRANGE, editor.pk),
        (Action.SCHEDULE, editor.pk),
        (Action.UNSCHEDULE, editor.pk),
        (Action.SCHEDULE, editor.pk),
    ]
    assert FrontPage.objects.get().slots.get().article == stories[1]


def test_the_desk_arranges_and_schedules_through_the_admin(client):
    editor = make_staff("editor")
    section, stories = newsroom(timezone.now())
    client.force_login(editor)
    assert client.get(reverse("admin:articles_frontpage_changelist")).status_code == 200
    made = client.post(reverse("admin:articles_frontpage_new"))
    page = FrontPage.objects.get()
    assert made["Location"] == reverse("admin:articles_frontpage_arrange", args=[page.pk])
    arrange = reverse("admin:articles_frontpage_arrange", args=[page.pk])
    assert client.get(arrange).status_code == 200

    refused = client.post(
        arrange, {"name": "x", "lead": stories[2].pk, f"block_{section.pk}_1": stories[2].pk}
    )
    assert refused.status_code == 200
    assert not page.slots.exists()
    assert f'value="{stories[2].pk}"' in refused.content.decode()  # the choices stay

    client.post(
        arrange, {"name": "x", "lead": stories[2].pk, f"block_{section.pk}_1": stories[4].pk}
    )
    act = reverse("admin:articles_frontpage_act", args=[page.pk])
    client.post(act, {"action": "schedule", "at": ""})
    client.logout()
    shown = client.get("/")
    assert lead_of(shown) == "خبر 3"
    assert block_of(shown, section)[0] == "خبر 5"
    client.force_login(editor)
    log = client.get(arrange).content.decode()
    for action in ("أُنشئ الترتيب", "عُدِّل الترتيب", "جُدوِل الترتيب"):  # the front page's own log
        assert action in log


def test_a_reporter_cannot_reach_the_front_page_desk(client):
    client.force_login(make_staff("reporter"))
    assert client.get(reverse("admin:articles_frontpage_changelist")).status_code == 403
    assert client.post(reverse("admin:articles_frontpage_new")).status_code == 403
    assert not FrontPage.objects.exists()


def test_the_home_page_costs_the_same_queries_arranged_or_not(client, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    editor = make_staff("editor")
    sections = [newsroom(timezone.now()) for _ in range(3)]
    client.get("/")
    with CaptureQueriesContext(connection) as plain:
        client.get("/")

    page = front.arrangement_create(user=editor)
    front.arrangement_arrange(
        arrangement=page,
        user=editor,
        lead=sections[0][1][4],
        blocks={
            section: [stories[3], stories[2], None, stories[0]] for section, stories in sections
        },
    )
    front.arrangement_schedule(arrangement=page, user=editor)
    client.get("/")
    with CaptureQueriesContext(connection) as arranged:
        response = client.get("/")
    assert lead_of(response) == "خبر 5"
    # One: what goes where; the cards were drawn by the requests before (articles/site/cards.py).
    assert len(arranged) == len(plain) == 1
