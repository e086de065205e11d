"""Scheduling through the admin: time zones, the schedule view, refusals."""

import datetime

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from articles.desk import workflow
from articles.models import Article, ArticleEvent
from tests.factories import change_form_data, make_article, make_staff

pytestmark = pytest.mark.django_db
S = Article.Status
UTC = datetime.UTC
NOW = datetime.datetime(2031, 3, 10, 9, 0, 0, tzinfo=UTC)
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _post(client, article, action, **data):
    url = reverse("admin:articles_article_workflow", args=[article.pk, action])
    return client.post(url, data, follow=True)


@pytest.mark.parametrize(
    ("entered", "instant"),
    [
        # Paris moves from +01:00 to +02:00 at 02:00 on 30 March 2031.
        ("2031-03-29T09:30", datetime.datetime(2031, 3, 29, 8, 30, tzinfo=UTC)),
        ("2031-03-30T09:30", datetime.datetime(2031, 3, 30, 7, 30, tzinfo=UTC)),
        ("2031-03-30T01:59", datetime.datetime(2031, 3, 30, 0, 59, tzinfo=UTC)),
        ("2031-03-30T03:00", datetime.datetime(2031, 3, 30, 1, 0, tzinfo=UTC)),
        # Back to +01:00 at 03:00 on 26 October: 02:30 happens twice; the first is meant.
        ("2031-10-26T02:30", datetime.datetime(2031, 10, 26, 0, 30, tzinfo=UTC)),
    ],
)
@override_settings(TIME_ZONE="Europe/Paris")
def test_a_time_entered_in_the_newsroom_zone_lands_at_the_right_instant(
    client, clock, entered, instant
):
    editor = make_staff("editor")
    article = make_article(status=S.APPROVED)
    client.force_login(editor)
    _post(client, article, "schedule", publish_at=entered)
    article.refresh_from_db()
    assert article.publish_at == instant
    assert not Article.objects.live(at=instant - datetime.timedelta(seconds=1)).filter(
        pk=article.pk
    )
    assert Article.objects.live(at=instant).filter(pk=article.pk)


@override_settings(TIME_ZONE="Europe/Paris")
def test_a_time_the_clocks_skip_is_refused_in_arabic(client, clock):
    editor = make_staff("editor")
    article = make_article(status=S.APPROVED)
    client.force_login(editor)
    page = _post(client, article, "schedule", publish_at="2031-03-30T02:30").content.decode()
    assert "غير موجود" in page
    article.refresh_from_db()
    assert article.status == S.APPROVED
    assert article.publish_at is None


def test_a_past_time_asks_whether_to_publish_now(client, clock):
    editor = make_staff("editor")
    article = make_article(status=S.APPROVED)
    client.force_login(editor)
    entered = timezone.localtime(NOW - HOUR).strftime("%Y-%m-%dT%H:%M")
    page = _post(client, article, "schedule", publish_at=entered).content.decode()
    assert "أتنشره الآن" in page
    publish_url = reverse("admin:articles_article_workflow", args=[article.pk, "publish"])
    assert f'action="{publish_url}"' in page
    article.refresh_from_db()
    assert article.status == S.APPROVED  # nothing happened until they answer
    _post(client, article, "publish")
    assert Article.objects.live().filter(pk=article.pk).exists()


def test_expiry_before_publication_is_refused_everywhere(client, clock):
    editor = make_staff("editor")
    article = make_article(status=S.PUBLISHED, publish_at=NOW + 2 * HOUR)
    client.force_login(editor)
    before = timezone.localtime(NOW + HOUR).strftime("%Y-%m-%dT%H:%M")
    page = _post(client, article, "expire", expire_at=before).content.decode()
    assert "يجب أن يأتي موعد انتهاء الصلاحية بعد موعد النشر" in page
    # The story form says the same, on the field, keeping what was typed.
    local = timezone.localtime(NOW + HOUR)
    data = change_form_data(
        article, expire_at_0=local.strftime("%Y-%m-%d"), expire_at_1=local.strftime("%H:%M:%S")
    )
    response = client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 200
    assert "يجب أن يأتي موعد انتهاء الصلاحية بعد موعد النشر" in response.content.decode()
    article.refresh_from_db()
    assert article.expire_at is None


def test_an_unapproved_story_cannot_be_scheduled(client, clock):
    editor = make_staff("editor")
    article = make_article(status=S.IN_REVIEW)
    client.force_login(editor)
    entered = timezone.localtime(NOW + HOUR).strftime("%Y-%m-%dT%H:%M")
    page = _post(client, article, "schedule", publish_at=entered).content.decode()
    assert "قيد المراجعة" in page
    article.refresh_from_db()
    assert article.status == S.IN_REVIEW
    assert article.publish_at is None


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("schedule", {"publish_at": "2031-03-11T10:00"}),
        ("reschedule", {"publish_at": "2031-03-11T10:00"}),
        ("unschedule", {}),
        ("expire", {"expire_at": "2031-03-12T10:00"}),
        ("keep", {}),
    ],
)
def test_a_reporter_cannot_schedule_or_cancel(client, clock, action, data):
    reporter = make_staff("reporter")
    status = S.APPROVED if action == "schedule" else S.PUBLISHED
    article = make_article(
        status=status,
        created_by=reporter,
        publish_at=None if status == S.APPROVED else NOW + HOUR,
        expire_at=NOW + 5 * HOUR,
    )
    before = (article.status, article.publish_at, article.expire_at)
    client.force_login(reporter)
    page = _post(client, article, action, **data).content.decode()
    assert "ليست لديك صلاحية" in page
    article.refresh_from_db()
    assert (article.status, article.publish_at, article.expire_at) == before
    assert not ArticleEvent.objects.filter(article=article).exists()


def test_the_schedule_lists_exactly_the_coming_weeks_moments(client, clock):
    editor = make_staff("editor", username="hala")
    soon = make_article(headline="خبر بعد ساعة", status=S.APPROVED)
    workflow.article_publish(article=soon, user=editor, at=NOW + HOUR)
    expiring = make_article(headline="خبر ينتهي غدا", publish_at=NOW - HOUR)
    workflow.article_set_expiry(article=expiring, user=editor, at=NOW + 24 * HOUR)
    make_article(headline="خبر بعد أسبوعين", publish_at=NOW + 14 * 24 * HOUR)
    make_article(headline="خبر منشور من قبل", publish_at=NOW - 2 * HOUR)
    make_article(headline="خبر منتهي من قبل", publish_at=NOW - 3 * HOUR, expire_at=NOW - HOUR)
    make_article(headline="مسودة بموعد", status=S.DRAFT, expire_at=NOW + 2 * HOUR)

    client.force_login(editor)
    url = reverse("admin:articles_schedule")
    response = client.get(url)
    page = response.content.decode()
    listed = [
        (e["story"].headline, e["kind"])
        for d in response.context["days"]
        for h in d["hours"]
        for e in h["events"]
    ]
    assert listed == [("خبر بعد ساعة", "publish"), ("خبر ينتهي غدا", "expire")]
    assert "hala" in page
    assert soon.section.name in page
    assert "الاثنين - 10 مارس 2031" in page  # the day in Arabic, newsroom time

    # Rescheduling from the schedule comes back to it, and the list follows.
    later = timezone.localtime(NOW + 3 * HOUR).strftime("%Y-%m-%dT%H:%M")
    response = _post(client, soon, "reschedule", publish_at=later, next=url)
    assert response.redirect_chain[-1][0] == url
    soon.refresh_from_db()
    assert soon.publish_at == NOW + 3 * HOUR

    # When the moment passes it is simply published: gone from the schedule, never "missed".
    clock.move_to(NOW + 3 * HOUR)
    listed = [
        e["story"].headline
        for d in client.get(url).context["days"]
        for h in d["hours"]
        for e in h["events"]
    ]
    assert listed == ["خبر ينتهي غدا"]
    assert Article.objects.live().filter(pk=soon.pk).exists()


def test_the_admin_shows_an_expired_story_as_expired(client, clock):
    editor = make_staff("editor")
    article = make_article(
        headline="خبر قديم عن المطر", publish_at=NOW - 3 * HOUR, expire_at=NOW - HOUR
    )
    client.force_login(editor)
    changelist = client.get(reverse("admin:articles_article_changelist")).content.decode()
    row = next(tr for tr in changelist.split("<tr") if "خبر قديم عن المطر" in tr)
    assert '<td class="field-state">انتهت صلاحيته</td>' in row
    form = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert 'class="desk-expired"' in form
