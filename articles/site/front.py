"""The home page: the editors' arrangement, filled from the latest live stories.

Two queries whatever the number of sections or slots: the newest live stories (the
"Latest" list and the fallback lead), and every story the blocks may show — each
section's latest few plus the arrangement's own picks — all through ``live()``, each
marked with its slot. A pick that is not live (withdrawn, expired, not yet out) is
simply not returned, and its slot takes the section's next latest story: never a hole.
"""

import datetime
from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, Func, OuterRef, Q, Subquery
from django.utils import timezone

from articles.models import Article, FrontPage, FrontSlot, Section
from articles.models.front import SLOTS_PER_BLOCK

LATEST_STORIES = 6


@dataclass
class FrontPageView:
    lead: Article | None
    latest: list[Article]
    section_blocks: list[tuple[Section, list[Article]]]


def front_page(
    *, at: datetime.datetime | None = None, arrangement_id: int | None = None
) -> FrontPageView:
    """What the home page shows at ``at``: the arrangement in effect then, or (a preview)
    the arrangement ``arrangement_id``, whatever its moment."""
    at = at or timezone.now()
    if arrangement_id is None:
        chosen = FrontPage.objects.in_effect(at).values("pk")
    else:
        chosen = FrontPage.objects.filter(pk=arrangement_id).values("pk")[:1]
    slots = FrontSlot.objects.filter(arrangement=Subquery(chosen))
    lead_pick = FrontPage.objects.filter(pk=Subquery(chosen)).values("lead")

    newest = list(Article.objects.live(at).cards().newest_first()[: LATEST_STORIES + 1])

    # Enough of each section's latest to fill its block whatever the picks and the lead.
    latest_in_section = (
        Article.objects.live(at)
        .filter(section=OuterRef("pk"))
        .newest_first()
        .values("pk")[: 2 * SLOTS_PER_BLOCK + 1]
    )
    block_story_ids = Section.objects.annotate(
        story_id=Func(ArraySubquery(latest_in_section), function="unnest")
    ).values("story_id")
    candidates = (
        Article.objects.live(at)
        .filter(Q(pk__in=block_story_ids) | Q(pk__in=slots.values("article")) | Q(pk__in=lead_pick))
        .annotate(
            slot_position=Subquery(slots.filter(article=OuterRef("pk")).values("position")[:1]),
            is_picked_lead=Exists(lead_pick.filter(lead=OuterRef("pk"))),
        )
        .cards()
        .order_by("section__order", "section__name", "-publish_at", "-id")
    )
    return _assemble(newest, list(candidates))


def _slot(story: Article) -> int | None:
    """The slot the arrangement gave ``story`` (annotated by front_page's query), if any."""
    position: int | None = getattr(story, "slot_position", None)
    return position


def _assemble(newest: list[Article], candidates: list[Article]) -> FrontPageView:
    lead = next((story for story in candidates if getattr(story, "is_picked_lead", False)), None)
    if lead is None and newest:
        lead = newest[0]
    latest = [story for story in newest if story.pk != (lead.pk if lead else None)]
    by_section: dict[Section, list[Article]] = {}
    for story in candidates:
        if lead is None or story.pk != lead.pk:
            by_section.setdefault(story.section, []).append(story)
    blocks = []
    for section, stories in by_section.items():
        slots: list[Article | None] = [None] * SLOTS_PER_BLOCK
        for story in stories:
            position = _slot(story)
            if position is not None and 1 <= position <= SLOTS_PER_BLOCK:
                slots[position - 1] = story
        fallback = iter(story for story in stories if _slot(story) is None)
        filled = [slot or next(fallback, None) for slot in slots]
        blocks.append((section, [story for story in filled if story is not None]))
    return FrontPageView(lead, latest[:LATEST_STORIES], blocks)


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
