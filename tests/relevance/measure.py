"""The relevance set: its corpus, its judgments, and how a system's answers are scored.

Used by tests/test_relevance.py (the live search, with thresholds) and by
bench/relevance.py (the live search beside the old folding and `arabic` alone).
"""

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
SHOWN = 10  # a results page: what precision@10 and recall are measured on


@dataclass(frozen=True)
class Judgment:
    kind: str  # plural, false_friend, spelling, clitic, number, general
    query: str
    story: str  # must be found; for a false friend, must not be
    also: frozenset[str]  # other stories relevant to the query


def _rows(name):
    for line in (HERE / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


def corpus() -> dict[str, tuple[str, str]]:
    """key -> (headline, body)"""
    return {key: (headline, body) for key, headline, body in _rows("corpus.tsv")}


def judgments() -> list[Judgment]:
    return [
        Judgment(kind, query, story, frozenset(also.split()))
        for kind, query, story, also in _rows("judgments.tsv")
    ]


def relevant_by_query(all_judgments) -> dict[str, set[str]]:
    relevant = defaultdict(set)
    for judgment in all_judgments:
        if judgment.kind != "false_friend":
            relevant[judgment.query] |= {judgment.story, *judgment.also}
    return relevant


@dataclass
class Score:
    judged: int = 0
    hits: int = 0  # must-find stories on the first page; false friends: matched at all
    precision_sum: float = 0.0
    recall_sum: float = 0.0
    queries: int = 0

    @property
    def rate(self) -> float:
        return self.hits / self.judged if self.judged else 0.0


def score(answers: dict[str, list[str]], all_judgments) -> dict[str, Score]:
    """Per kind (and "all"): hit rate, mean precision@10 and mean recall@10.

    ``answers`` maps each query to the story keys a system returned, best first.
    precision@10 is the share of the (up to ten) stories shown that are relevant; a
    query that returns nothing counts 0. recall@10 is the share of the query's
    relevant stories among them.
    """
    relevant = relevant_by_query(all_judgments)
    scores: dict[str, Score] = defaultdict(Score)
    seen_queries = set()
    for judgment in all_judgments:
        found = answers.get(judgment.query, [])
        # "all" is every judgment of a story to find (false friends are scored apart).
        for kind in (judgment.kind,) if judgment.kind == "false_friend" else (judgment.kind, "all"):
            entry = scores[kind]
            entry.judged += 1
            if judgment.kind == "false_friend":
                entry.hits += judgment.story in found
            else:
                entry.hits += judgment.story in found[:SHOWN]
        if judgment.kind == "false_friend" or (judgment.kind, judgment.query) in seen_queries:
            continue
        seen_queries.add((judgment.kind, judgment.query))
        shown, wanted = found[:SHOWN], relevant[judgment.query]
        precision = sum(key in wanted for key in shown) / len(shown) if shown else 0.0
        recall = sum(key in wanted for key in shown) / len(wanted)
        for kind in (judgment.kind, "all"):
            scores[kind].precision_sum += precision
            scores[kind].recall_sum += recall
            scores[kind].queries += 1
    return dict(scores)


def table(scores: dict[str, Score]) -> str:
    lines = [f"{'kind':<13}{'judged':>7}{'found':>8}{'P@10':>8}{'R@10':>8}"]
    for kind, entry in sorted(scores.items()):
        found = f"{entry.rate:.0%}" + ("*" if kind == "false_friend" else "")
        queries = entry.queries or 1
        lines.append(
            f"{kind:<13}{entry.judged:>7}{found:>8}"
            f"{entry.precision_sum / queries:>8.2f}{entry.recall_sum / queries:>8.2f}"
        )
    lines.append("* false friends: the share that matched (lower is better)")
    return "\n".join(lines)
