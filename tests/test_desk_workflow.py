"""The workflow functions called directly, as the schedule view and commands will."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from articles.desk import workflow
from articles.models import Article, ArticleEvent
from tests.factories import make_article, make_staff

pytestmark = pytest.mark.django_db
S = Article.Status


def test_publish_at_a_time_then_move_it(django_capture_on_commit_callbacks):
    editor = make_staff("editor")
    article = make_article(status=S.APPROVED)
    seen = []

    def listener(sender, article, action, user, **kwargs):
        seen.append((article.pk, action, user))

    workflow.article_transitioned.connect(listener)
    try:
        at = timezone.now() + datetime.timedelta(hours=2)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            workflow.article_publish(article=article, user=editor, at=at)
        assert seen == []  # nothing is announced before the transaction commits
        for callback in callbacks:
            callback()
        assert seen == [(article.pk, "schedule", editor)]
    finally:
        workflow.article_transitioned.disconnect(listener)

    assert article.status == S.PUBLISHED
    assert article.publish_at == at
    assert not Article.objects.live().filter(pk=article.pk).exists()
    assert Article.objects.live(at=at).filter(pk=article.pk).exists()
    later = at + datetime.timedelta(hours=1)
    workflow.article_publish(article=article, user=editor, at=later)
    article.refresh_from_db()
    assert article.publish_at == later
    assert list(article.events.values_list("action", flat=True)) == ["schedule", "schedule"]


def test_a_live_story_cannot_be_published_again():
    editor = make_staff("editor")
    article = make_article(status=S.PUBLISHED)
    original = article.publish_at
    with pytest.raises(workflow.WorkflowError, match="فلا تصح عليه"):
        workflow.article_publish(article=article, user=editor)
    article.refresh_from_db()
    assert article.publish_at == original
    assert not article.events.exists()


def test_naive_or_past_times_are_refused():
    editor = make_staff("editor")
    article = make_article(status=S.APPROVED)
    with pytest.raises(workflow.WorkflowError):
        workflow.article_publish(article=article, user=editor, at=datetime.datetime(2030, 1, 1))  # noqa: DTZ001 - naive on purpose
    with pytest.raises(workflow.WorkflowError):
        workflow.article_publish(
            article=article, user=editor, at=timezone.now() - datetime.timedelta(minutes=1)
        )
    article.refresh_from_db()
    assert article.status == S.APPROVED


def test_an_anonymous_visitor_is_refused_and_nothing_is_written():
    # The workflow takes a request's user as it is (User | AnonymousUser): the door refuses.
    article = make_article(status=S.IN_REVIEW)
    for step in (workflow.article_approve, workflow.take_over_editing):
        with pytest.raises(workflow.WorkflowError):
            step(article=article, user=AnonymousUser())
    article.refresh_from_db()
    assert (article.status, article.editing_by) == (S.IN_REVIEW, None)
    assert not ArticleEvent.objects.filter(article=article).exists()


def test_inactive_user_is_refused_even_with_permission():
    editor = make_staff("editor")
    editor.is_active = False
    editor.save()
    article = make_article(status=S.IN_REVIEW)
    with pytest.raises(workflow.WorkflowError):
        workflow.article_approve(article=article, user=editor)
    article.refresh_from_db()
    assert article.status == S.IN_REVIEW
