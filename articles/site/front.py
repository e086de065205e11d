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
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial
from operator import itemgetter
from typing import Any, NamedTuple

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, F, Func, OuterRef, Subquery
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import mark_safe

from articles.models import Article, FrontPage, FrontSlot, Section
from articles.models.front import SLOTS_PER_BLOCK
from articles.site import cards
from articles.site.links import link
from articles.site.statements import AT, PK, Statement
from articles.text import arabic

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
    slot_position: int | None
    is_picked_lead: bool

    def get_absolute_url(self) -> str:
        return link("articles:article", pk=self.pk, slug=self.slug)


# FrontStory's fields as the statement's columns.
_COLUMNS = ("story_id", *FrontStory._fields[1:])


class BlockSection(NamedTuple):
    """What a section's block shows of its section."""

    pk: int
    name: str
    slug: str

    def get_absolute_url(self) -> str:
        return link("articles:section", slug=self.slug)


class LatestItem(NamedTuple):
    """A line of the "Latest" list, written out: its time on the site's clock."""

    url: str
    headline: str
    iso: str
    when: str  # the time alone for today's stories; an older one says its day as well


@dataclass
class FrontPlan:
    lead: FrontStory | None
    latest: list[FrontStory]
    section_blocks: list[tuple[BlockSection, list[FrontStory]]]


def front_plan(
    *, at: datetime.datetime | None = None, arrangement_id: int | None = None
) -> FrontPlan:
    """What the home page shows at ``at``: the arrangement in effect then, or (a preview)
    the arrangement ``arrangement_id``, whatever its moment."""
    statement = _statement(preview=arrangement_id is not None)
    _, names, rows = statement.rows({AT: at or timezone.now(), PK: arrangement_id})
    story_of, section_of = _readers(names)
    sections: dict[int, BlockSection] = {}
    stories = []
    for row in rows:
        story = FrontStory._make(story_of(row))
        if story.section_id not in sections:
            sections[story.section_id] = BlockSection._make(section_of(row))
        stories.append(story)
    return _assemble(stories, sections)


@cache
def _readers(
    names: tuple[str, ...],
) -> tuple[Callable[[tuple[Any, ...]], Any], Callable[[tuple[Any, ...]], Any]]:
    """A row's FrontStory fields and its section's, in their order (a row is read in C)."""
    at = {name: index for index, name in enumerate(names)}
    story = itemgetter(*(at[column] for column in _COLUMNS))
    section = itemgetter(at["section_id"], at["section_name"], at["section_slug"])
    return story, section


def drawn(plan: FrontPlan, along: cards.ReadAlong | None = None) -> dict[str, Any]:
    """The home page's template context for ``plan``: the lead card and the sections'
    blocks as kept markup (articles/site/cards.py), the "Latest" list as it stands.
    ``along``: the page's other reads from the cache, made in the same round trip."""
    lead = plan.lead
    lead_name = cards.card_name("lead", lead) if lead else None
    blocks = {
        cards.block_name(section.pk, stories): (section, stories)
        for section, stories in plan.section_blocks
    }

    def draw(missing: list[str]) -> dict[str, str]:
        drawn = {}
        if lead and lead_name in missing and (card := _draw("lead", [lead.pk]).get(lead.pk)):
            drawn[lead_name] = card
        missing_blocks = [blocks[name] for name in missing if name in blocks]
        block_cards = cards.cards(
            "card",
            [story for _, stories in missing_blocks for story in stories],
            partial(_draw, "card"),
        )
        template = get_template("articles/_block.html")
        for name in missing:
            if name in blocks:
                section, stories = blocks[name]
                shown = [block_cards[story.pk] for story in stories if story.pk in block_cards]
                if shown:
                    html = template.render({"block_section": section, "cards": shown})
                    drawn[name] = mark_safe(html)  # noqa: S308 (an autoescaping template's)
        return drawn

    found = cards.kept([*([lead_name] if lead_name else []), *blocks], draw, along)
    return {
        "lead_card": found.get(lead_name) if lead_name else None,
        "latest": _latest(plan.latest),
        "section_blocks": [found[name] for name in blocks if name in found],
    }


def _latest(stories: list[FrontStory]) -> list[LatestItem]:
    zone = timezone.get_current_timezone()  # looked up once, not once a time
    today = timezone.now().astimezone(zone).date()
    items = []
    for story in stories:
        local = story.publish_at.astimezone(zone)
        day = f"{arabic.format_dateline(local.date())} " if local.date() != today else ""
        when = f"{day}{arabic.clock_face(local)}"
        items.append(LatestItem(story.get_absolute_url(), story.headline, local.isoformat(), when))
    return items


_CARD_TEMPLATES = {
    "lead": ("lead", "articles/_lead.html"),
    "card": ("story", "articles/_card.html"),
}


def _draw(variant: str, ids: list[int]) -> dict[int, str]:
    """Cards of the live stories ``ids`` (one gone from ``live()`` since the plan's query
    is left out: its slot closes up rather than showing a hole)."""
    if not ids:
        return {}
    name, template_name = _CARD_TEMPLATES[variant]
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
    slots = FrontSlot.objects.filter(arrangement=Subquery(chosen)).order_by()
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
    query = (
        live.filter(pk__in=story_ids)
        .annotate(
            slot_position=Subquery(slots.filter(article=OuterRef("pk")).values("position")[:1]),
            is_picked_lead=Exists(lead_pick.filter(lead=OuterRef("pk"))),
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


def _assemble(stories: list[FrontStory], sections: dict[int, BlockSection]) -> FrontPlan:
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
