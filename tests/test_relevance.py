"""Search quality, measured: the relevance set (tests/relevance/) against the live search."""

import datetime

import pytest
from django.utils import timezone

from articles.site import search
from tests.factories import make_article
from tests.relevance import measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def answers(django_db_blocker):
    """Every judged query's results (story keys, best first) over the fixed corpus."""
    when = timezone.now() - datetime.timedelta(hours=1)
    key_of = {}
    for key, (headline, body) in measure.corpus().items():
        story = make_article(
            headline=headline, standfirst="", body=f"<p>{body}</p>", publish_at=when
        )
        key_of[story.pk] = key
    found = {}
    for judgment in measure.judgments():
        if judgment.query not in found:
            results = search.search(search.parse_query(judgment.query))
            found[judgment.query] = [key_of[story.pk] for story in results]
    return found


def test_the_relevance_set_is_large_enough_and_well_formed():
    judgments = measure.judgments()
    corpus = measure.corpus()
    kinds = [judgment.kind for judgment in judgments]
    assert len(judgments) >= 200
    assert kinds.count("plural") >= 100  # 50 pairs, both ways
    assert kinds.count("false_friend") >= 20
    for kind in ("spelling", "clitic", "number"):
        assert kinds.count(kind) >= 10
    for judgment in judgments:
        assert {judgment.story, *judgment.also} <= set(corpus), judgment


def test_search_meets_the_relevance_thresholds(answers):
    scores = measure.score(answers, measure.judgments())
    print("\n" + measure.table(scores))
    assert scores["plural"].rate >= 0.90
    assert scores["false_friend"].rate <= 0.05
    for kind in ("spelling", "clitic", "number", "general"):
        assert scores[kind].rate >= 0.90, kind


def test_the_scorer_counts_what_it_should():
    judgments = [
        measure.Judgment("plural", "وزير", "P", frozenset({"S"})),
        measure.Judgment("plural", "بيت", "P2", frozenset()),
        measure.Judgment("false_friend", "كتاب", "F", frozenset()),
    ]
    scores = measure.score({"وزير": ["S", "X", "P"], "بيت": [], "كتاب": ["F"]}, judgments)
    assert scores["plural"].rate == 0.5
    assert scores["false_friend"].rate == 1.0
    assert scores["plural"].precision_sum == pytest.approx(2 / 3)
    assert scores["plural"].recall_sum == pytest.approx(1.0)
