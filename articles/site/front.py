"""The home page: the editors' arrangement, filled from the latest live stories.

What goes where is one query, whatever the number of sections or slots: the newest live
stories (the "Latest" list and the fallback lead) and every story the blocks may show —
each section's latest few plus the arrangement's own picks — all through ``live()``,
each marked with its slot. A pick that is not live (withdrawn, expired, not yet out) is
simply not returned, and its slot takes the section's next latest story: never a hole.

That query returns ids, headlines and slots only, compiled once per process and
prepared once per connection (articles/site/statements.py); the cards themselves come
from the card cache (articles/site/cards.py), so that a page retired by a publication
draws again only the cards that moved (the new lead and the one it displaced).
"""

import datetime
from dataclasses import dataclass
from functools import cache, partial
from typing import Any, NamedTuple

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, F, Func, OuterRef, Subquery
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import mark_safe

from articles.models import Article, ArticleAuthor, FrontPage, FrontSlot, Section
from articles.models.front import SLOTS_PER_BLOCK
from articles.site import cards
from articles.site.links import link
from articles.site.statements import AT, PK, Statement

LATEST_STORIES = 6


class FrontStory(NamedTuple):
    """A story's place on the front page, and what the "Latest" list shows of it."""

    pk: int
    headline: str
    slug: str
    publish_at: datetime.datetime
    section_id: int
    version: int
    lead_image_id: int | None
    author_ids: list[int]
    slot_position: int | None
    is_picked_lead: bool

    def get_absolute_url(self) -> str:
        return link("articles:article", pk=self.pk, slug=self.slug)


# FrontStory's fields as the statement's columns.
_COLUMNS = ("story_id", *FrontStory._fields[1:])


@dataclass
class FrontPlan:
    lead: FrontStory | None
    latest: list[FrontStory]
    section_blocks: list[tuple[Section, list[FrontStory]]]

    def stories(self) -> list[FrontStory]:
        """Every story with a card on the page: the lead first, then the blocks'."""
        lead = [self.lead] if self.lead else []
        return lead + [story for _, stories in self.section_blocks for story in stories]


def front_plan(
    *, at: datetime.datetime | None = None, arrangement_id: int | None = None
) -> FrontPlan:
    """What the home page shows at ``at``: the arrangement in effect then, or (a preview)
    the arrangement ``arrangement_id``, whatever its moment."""
    statement = _statement(preview=arrangement_id is not None)
    db, names, rows = statement.rows({AT: at or timezone.now(), PK: arrangement_id})
    sections: dict[int, Section] = {}
    stories = []
    for row in rows:
        found = dict(zip(names, row, strict=True))
        section_id = found["section_id"]
        if section_id not in sections:
            sections[section_id] = Section.from_db(
                db,
                ["id", "name", "slug"],
                [section_id, found["section_name"], found["section_slug"]],
            )
        stories.append(FrontStory(*(found[column] for column in _COLUMNS)))
    return _assemble(stories, sections)


def drawn(plan: FrontPlan) -> dict[str, Any]:
    """The home page's template context for ``plan``: the lead and the blocks as cards
    (kept in the card cache, articles/site/cards.py), the "Latest" list as it stands."""
    drawn = cards.cards(
        {
            "lead": [plan.lead] if plan.lead else [],
            "card": [story for _, stories in plan.section_blocks for story in stories],
        },
        {
            "lead": partial(_draw, "articles/_lead.html", "lead"),
            "card": partial(_draw, "articles/_card.html", "story"),
        },
    )
    block_cards = drawn["card"]
    return {
        "lead_card": drawn["lead"].get(plan.lead.pk) if plan.lead else None,
        "latest": plan.latest,
        "section_blocks": [
            (section, [block_cards[story.pk] for story in stories if story.pk in block_cards])
            for section, stories in plan.section_blocks
        ],
    }


def _draw(template_name: str, name: str, ids: list[int]) -> dict[int, str]:
    """Cards of the live stories ``ids`` (one gone from ``live()`` since the plan's query
    is left out: its slot closes up rather than showing a hole)."""
    template = get_template(template_name)
    stories = Article.objects.live().cards().in_bulk(ids)
    # Rendered by an autoescaping template: the card is markup already.
    return {pk: mark_safe(template.render({name: story})) for pk, story in stories.items()}  # noqa: S308


@cache
def _statement(*, preview: bool) -> Statement:
    if preview:
        chosen = FrontPage.objects.filter(pk=PK).values("pk")[:1]
    else:
        chosen = FrontPage.objects.in_effect(AT).values("pk")
    slots = FrontSlot.objects.filter(arrangement=Subquery(chosen))
    lead_pick = FrontPage.objects.filter(pk=Subquery(chosen)).values("lead")
    live = Article.objects.live(AT)
    # Enough of each section's latest to fill its block whatever the picks and the lead
    # (a pick is fetched as a pick, and the lead takes at most one of them), and the
    # newest stories overall (the "Latest" list and the fallback lead).
    latest_in_section = (
        live.filter(section=OuterRef("pk")).newest_first().values("pk")[: SLOTS_PER_BLOCK + 1]
    )
    block_story_ids = Section.objects.annotate(
        story_id=Func(ArraySubquery(latest_in_section), function="unnest")
    ).values("story_id")
    newest = live.newest_first().values("pk")[: LATEST_STORIES + 1]
    # One list of ids (a UNION), not ORed IN-lists: PostgreSQL read the ORed form by
    # scanning every story (~70 ms at 100,000, and its cost estimate set off JIT
    # compilation: ~500 ms); the union's few dozen ids are fetched by primary key.
    story_ids = block_story_ids.union(slots.values("article"), lead_pick.values("lead"), newest)
    bylines = ArticleAuthor.objects.filter(article=OuterRef("pk")).order_by("position")
    query = (
        live.filter(pk__in=story_ids)
        .annotate(
            slot_position=Subquery(slots.filter(article=OuterRef("pk")).values("position")[:1]),
            is_picked_lead=Exists(lead_pick.filter(lead=OuterRef("pk"))),
            author_ids=ArraySubquery(bylines.values("author_id")),
        )
        .order_by("section__order", "section__name", "-publish_at", "-id")
        .values(
            *_COLUMNS[1:],
            story_id=F("pk"),
            section_name=F("section__name"),
            section_slug=F("section__slug"),
        )
    )
    return Statement(query, AT, PK) if preview else Statement(query, AT)


def _assemble(stories: list[FrontStory], sections: dict[int, Section]) -> FrontPlan:
    newest = sorted(stories, key=lambda story: (story.publish_at, story.pk), reverse=True)
    lead = next((story for story in stories if story.is_picked_lead), None)
    if lead is None and newest:
        lead = newest[0]
    lead_pk = lead.pk if lead else None
    latest = [story for story in newest if story.pk != lead_pk][:LATEST_STORIES]
    by_section: dict[int, list[FrontStory]] = {}
    for story in stories:
        if story.pk != lead_pk:
            by_section.setdefault(story.section_id, []).append(story)
    blocks = []
    for section_id, in_section in by_section.items():
        slots: list[FrontStory | None] = [None] * SLOTS_PER_BLOCK
        for story in in_section:
            position = story.slot_position
            if position is not None and 1 <= position <= SLOTS_PER_BLOCK:
                slots[position - 1] = story
        fallback = iter(story for story in in_section if story.slot_position is None)
        filled = [slot or next(fallback, None) for slot in slots]
        blocks.append((sections[section_id], [story for story in filled if story is not None]))
    return FrontPlan(lead, latest, blocks)


def scheduled_changes(
    low: datetime.datetime, high: datetime.datetime
) -> list[tuple[float, frozenset[str]]]:
    """For the page cache (articles/site/schedule_keys.py): arrangements taking effect in
    (low, high], each touching the home page."""
    from articles.site import surrogates

    keys = frozenset({surrogates.HOME})
    coming = FrontPage.objects.filter(takes_effect_at__gt=low, takes_effect_at__lte=high)
    moments = coming.values_list("takes_effect_at", flat=True)
    return [(moment.timestamp(), keys) for moment in moments if moment is not None]
