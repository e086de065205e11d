"""publish_due: the follow-up work when stories go live or expire, done once each."""

import datetime
import threading

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from articles.desk import scheduling, workflow
from articles.models import Article, ArticleEvent, CommandRun, DueWork
from tests.factories import make_article, make_staff

S = Article.Status
UTC = datetime.UTC
T = datetime.datetime(2031, 3, 10, 9, 0, 0, tzinfo=UTC)
MINUTE = datetime.timedelta(minutes=1)


def _went_live(article):
    return list(
        ArticleEvent.objects.filter(article=article, action="went_live")
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )


def _schedule(at, *, expire_at=None):
    editor = make_staff("editor")
    story = make_article(status=S.APPROVED)
    with time_machine.travel(at - datetime.timedelta(days=1), tick=False):
        workflow.article_publish(article=story, user=editor, at=at)
        if expire_at:
            workflow.article_set_expiry(article=story, user=editor, at=expire_at)
    return story, editor


@pytest.mark.django_db
def test_nothing_is_done_before_the_moment_and_once_after(django_capture_on_commit_callbacks):
    story, _ = _schedule(T, expire_at=T + datetime.timedelta(hours=2))
    with time_machine.travel(T - datetime.timedelta(seconds=1), tick=False):
        call_command("publish_due", verbosity=0)
    assert _went_live(story) == []

    seen = []

    def notify(sender, article, at, **kwargs):
        seen.append(at)

    scheduling.story_went_live.connect(notify)
    try:
        with time_machine.travel(T + MINUTE, tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                call_command("publish_due", verbosity=0)
            with django_capture_on_commit_callbacks(execute=True):
                call_command("publish_due", verbosity=0)
    finally:
        scheduling.story_went_live.disconnect(notify)
    assert _went_live(story) == [T]  # recorded at the moment itself, once
    assert seen == [T]
    assert not ArticleEvent.objects.filter(article=story, action="expired").exists()

    with time_machine.travel(T + datetime.timedelta(hours=3), tick=False):
        call_command("publish_due", verbosity=0)
        call_command("publish_due", verbosity=0)
    assert ArticleEvent.objects.filter(article=story, action="expired").count() == 1
    assert not DueWork.objects.filter(done_at__isnull=True).exists()


@pytest.mark.django_db
def test_a_moved_or_cancelled_schedule_leaves_no_stale_work():
    story, editor = _schedule(T)
    with time_machine.travel(T - datetime.timedelta(hours=1), tick=False):
        workflow.article_reschedule(article=story, user=editor, at=T + datetime.timedelta(hours=1))
    other, _ = _schedule(T)
    with time_machine.travel(T - datetime.timedelta(hours=1), tick=False):
        workflow.article_cancel_schedule(article=other, user=editor)
    other.refresh_from_db()
    assert other.status == S.APPROVED
    assert other.publish_at is None

    with time_machine.travel(T + MINUTE, tick=False):
        call_command("publish_due", verbosity=0)
    assert _went_live(story) == []
    assert _went_live(other) == []
    with time_machine.travel(T + datetime.timedelta(hours=1, minutes=1), tick=False):
        call_command("publish_due", verbosity=0)
    assert _went_live(story) == [T + datetime.timedelta(hours=1)]
    assert _went_live(other) == []


@pytest.mark.django_db
def test_a_story_withdrawn_and_published_again_goes_live_twice():
    story, editor = _schedule(T)
    with time_machine.travel(T + MINUTE, tick=False):
        call_command("publish_due", verbosity=0)
        workflow.article_withdraw(article=story, user=editor)
        workflow.article_return(article=story, user=editor, note="أعد الصياغة")
        story.status = S.APPROVED
        Article.objects.filter(pk=story.pk).update(status=S.APPROVED)
        workflow.article_publish(article=story, user=editor)
    again = T + MINUTE
    with time_machine.travel(T + 2 * MINUTE, tick=False):
        call_command("publish_due", verbosity=0)
    assert _went_live(story) == [T, again]


@pytest.mark.django_db
def test_work_whose_moment_changed_outside_the_desk_is_closed_not_done():
    story, _ = _schedule(T)
    # e.g. a script moved the time without going through the workflow
    Article.objects.filter(pk=story.pk).update(publish_at=T + datetime.timedelta(days=1))
    with time_machine.travel(T + MINUTE, tick=False):
        call_command("publish_due", verbosity=0)
    assert _went_live(story) == []
    assert DueWork.objects.get(article=story).outcome == DueWork.Outcome.SUPERSEDED


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_do_each_piece_of_work_once():
    stories = [_schedule(T + datetime.timedelta(seconds=n))[0] for n in range(30)]
    barrier = threading.Barrier(2)
    handled, errors = [], []

    def run():
        try:
            with time_machine.travel(T + MINUTE, tick=False):
                barrier.wait()
                handled.append(scheduling.handle_due_work())
                scheduling.record_success(handled[-1])
        except Exception as exc:  # reported below; a thread cannot fail the test itself
            errors.append(exc)
        finally:
            connection.close()  # each thread had its own real connection

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(handled) == 30
    for story in stories:
        assert len(_went_live(story)) == 1
    assert CommandRun.objects.get(name="publish_due").last_success_at is not None


@pytest.mark.django_db
def test_a_crash_part_way_leaves_that_story_untouched(monkeypatch):
    story, _ = _schedule(T)

    def explode(**kwargs):
        raise RuntimeError("the machine went away")

    monkeypatch.setattr(ArticleEvent.objects, "create", explode)
    with time_machine.travel(T + MINUTE, tick=False), pytest.raises(RuntimeError):
        call_command("publish_due", verbosity=0)
    monkeypatch.undo()
    work = DueWork.objects.get(article=story)
    assert work.done_at is None
    assert _went_live(story) == []
    assert not CommandRun.objects.exists()  # not a successful run
    with time_machine.travel(T + 2 * MINUTE, tick=False):
        call_command("publish_due", verbosity=0)
    assert _went_live(story) == [T]


@pytest.mark.django_db
def test_desk_warns_when_follow_up_work_is_overdue(client):
    _story, editor = _schedule(T)
    desk = "/admin/articles/article/desk/"
    with time_machine.travel(T + MINUTE, tick=False):
        client.force_login(editor)  # the session is valid for two weeks from then
        assert 'id="follow-up-overdue"' not in client.get(desk).content.decode()
    with time_machine.travel(T + 10 * MINUTE, tick=False):
        page = client.get(desk).content.decode()
        assert 'id="follow-up-overdue"' in page
        assert "لم يعمل" in page
        call_command("publish_due", verbosity=0)
        assert 'id="follow-up-overdue"' not in client.get(desk).content.decode()
    # The timer stopped: a warning even with nothing waiting.
    with time_machine.travel(T + 30 * MINUTE, tick=False):
        page = client.get(desk).content.decode()
        assert 'id="follow-up-overdue"' in page
        assert (
            'id="follow-up-overdue"'
            in client.get("/admin/articles/article/schedule/").content.decode()
        )
