"""The home page: the editors' arrangement, filled from the latest live stories.

What goes where is one query, whatever the number of sections or slots: a row a section,
with its newest few, its picks in the arrangement and the arrangement's lead if it is the
section's — all through ``live()``. A pick that is not live (withdrawn, expired, not yet
out) is simply not returned, and its slot takes the section's next latest story: never a
hole. The query is compiled once per process and prepared once per connection
(articles/site/statements.py), and returns numbers only: each story's id, version,
moment and picture, and its slot — what names its card.

Those rows name the page's body (the lead, the "Latest" list and the sections' blocks),
which is kept whole in the shared cache (articles/site/cards.py) as the bytes it is sent
as: a page the page cache could not answer (every public change of any story retires it)
costs this query and one round trip to Redis while nothing it shows has changed — a
correction of an older story, a live update elsewhere. When something has, the body is
drawn again from the kept lead card, blocks and lines, and only what moved is drawn from
the database: after a publication, the new lead, the block the displaced lead joins (from
its kept cards) and one line.
"""

import datetime
import pickle
import secrets
from dataclasses import dataclass
from functools import cache, cached_property, partial
from typing import Any, NamedTuple

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.db.models import BigIntegerField, Exists, F, Func, OuterRef, Subquery
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import mark_safe

from articles.models import Article, FrontPage, FrontSlot, Section
from articles.models.front import SLOTS_PER_BLOCK
from articles.site import cards
from articles.site.context_processors import Masthead
from articles.site.links import link
from articles.site.statements import AT, PK, Statement
from articles.text import arabic

LATEST_STORIES = 6
# Each section's newest few: enough for its block whatever the lead takes, and for the
# "Latest" list (every story has a section, so the newest overall are among them).
FROM_EACH_SECTION = max(SLOTS_PER_BLOCK + 1, LATEST_STORIES + 1)


class FrontStory(NamedTuple):
    """A story's place on the front page, and what the "Latest" list shows of it."""

    pk: int
    version: int
    lead_image_id: int | None
    moment: int  # publish_at, in microseconds since the epoch (as the statement reads it)
    section_id: int
    slot_position: int | None = None
    is_picked_lead: bool = False

    @property
    def publish_at(self) -> datetime.datetime:
        return _EPOCH + datetime.timedelta(microseconds=self.moment)

    @property
    def card_stamp(self) -> str:
        """Everything a card shows that can change without its ``version`` moving."""
        return f"{self.pk}:{self.version}:{self.moment}:{self.section_id}:{self.lead_image_id}"


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


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
class Arrangement:
    """What goes where: the lead, the "Latest" list, the sections' blocks."""

    lead: FrontStory | None
    latest: list[FrontStory]
    section_blocks: list[tuple[BlockSection, list[FrontStory]]]


Row = tuple[int, str, str, list[list[int]] | None, list[list[int]] | None, list[list[int]] | None]


@dataclass
class FrontPlan:
    """What the home page shows at a moment, as its query read it. The rows name the
    page's body, which is kept under them (``drawn``); they are arranged only to draw it."""

    rows: list[Row]

    @cached_property
    def arrangement(self) -> Arrangement:
        sections: dict[int, BlockSection] = {}
        by_section: dict[int, list[FrontStory]] = {}
        for section_id, name, slug, latest, picks, lead in self.rows:
            if picks or lead:
                in_section = _with_picks(section_id, latest or [], picks or [], lead or [])
            elif latest:  # newest first, as read
                in_section = [_read(row, section_id) for row in latest]
            else:
                continue
            sections[section_id] = BlockSection(section_id, name, slug)
            by_section[section_id] = in_section
        return _assemble(by_section, sections)


def front_plan(
    *, at: datetime.datetime | None = None, arrangement_id: int | None = None
) -> FrontPlan:
    """What the home page shows at ``at``: the arrangement in effect then, or (a preview)
    the arrangement ``arrangement_id``, whatever its moment."""
    statement = _statement(preview=arrangement_id is not None)
    _, _, rows = statement.rows({AT: at or timezone.now(), PK: arrangement_id})
    return FrontPlan(rows)


def _with_picks(
    section_id: int, latest: list[list[int]], picks: list[list[int]], lead: list[list[int]]
) -> list[FrontStory]:
    """A section's stories, newest first, marked with the arrangement's picks."""
    found = {row[0]: _read(row, section_id) for row in latest}
    for pk, version, image_id, moment, position in picks:
        found[pk] = FrontStory(pk, version, image_id, moment, section_id, position)
    for row in lead:
        picked = found.get(row[0]) or _read(row, section_id)
        found[row[0]] = picked._replace(is_picked_lead=True)
    return sorted(found.values(), key=_newest_first)


def _read(row: list[int], section_id: int) -> FrontStory:
    """A story as the statement reads it: its numbers, in _STORY_FIELDS' order."""
    return FrontStory(row[0], row[1], row[2], row[3], section_id)


def _newest_first(story: FrontStory) -> tuple[int, int]:
    return (-story.moment, -story.pk)


def page(
    request: HttpRequest, template_name: str, plan: FrontPlan, context: dict[str, Any]
) -> HttpResponse:
    """The home page (or its preview) for ``plan``: ``template_name`` rendered around its
    body — the lead, the "Latest" list and the sections' blocks — which is kept whole in
    the shared cache (articles/site/cards.py) as the UTF-8 it is sent as, named by the
    rows that say what it shows: each story's id, version, moment, picture and place.
    The masthead's reads from the cache go in the same round trip as the body's."""
    zone = timezone.get_current_timezone()  # looked up once, not once a time
    today = timezone.now().astimezone(zone).date()
    name = body_name(plan, today)
    found = cards.kept(
        [name],
        lambda _: {name: _front(plan.arrangement, zone, today).encode()},
        Masthead.of(request),
    )
    # The page is rendered around a mark and the body put in its place as it was kept:
    # decoding and encoding its 40 KB again cost more than the page around it.
    response = render(request, template_name, {**context, "front": mark_safe(_BODY)})  # noqa: S308
    response.content = response.content.replace(_BODY_BYTES, found[name], 1)
    return response


def body_name(plan: FrontPlan, today: datetime.date) -> str:
    """Where the home page's body for ``plan`` is kept, on the site's day ``today``: the
    "Latest" list says the day of older stories only, so the day is part of the name.
    The rows are pickled: equal rows give equal bytes (at worst, a new way of writing
    them would name the same body afresh: drawn once more, never another body's)."""
    return cards.fragment_name("front", today.isoformat().encode(), pickle.dumps(plan.rows))


# Where the body goes: no text a story or its page holds can be this (a secret of the process).
_BODY = f"<!-- front {secrets.token_hex(16)} -->"
_BODY_BYTES = _BODY.encode()


def _stamps(stories: list[FrontStory]) -> bytes:
    return ",".join([story.card_stamp for story in stories]).encode()


def _front(plan: Arrangement, zone: datetime.tzinfo, today: datetime.date) -> str:
    """The home page's body, from the kept lead card, blocks and "Latest" lines: after a
    publication only the lead, the block the displaced lead joins (from its kept cards)
    and the new story's line are drawn again."""
    lead = plan.lead
    lead_name = cards.card_name("lead", lead) if lead else None
    blocks = {
        cards.fragment_name("block", str(section.pk).encode(), _stamps(stories)): (
            section,
            stories,
        )
        for section, stories in plan.section_blocks
    }
    # A line says the day of a story older than today: the day is part of its name.
    lines = {cards.card_name(f"line{today:%Y%m%d}", story): story for story in plan.latest}

    def draw(missing: list[str]) -> dict[str, str]:
        drawn: dict[str, str] = {}
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
        missing_lines = {name: lines[name] for name in missing if name in lines}
        drawn.update(_lines(missing_lines, zone, today))
        return drawn

    found = cards.kept([*([lead_name] if lead_name else []), *blocks, *lines], draw)
    context = {
        "lead_card": found.get(lead_name) if lead_name else None,
        "latest": [found[name] for name in lines if name in found],
        "section_blocks": [found[name] for name in blocks if name in found],
    }
    # Rendered by an autoescaping template: the body is markup already.
    return mark_safe(get_template("articles/_front.html").render(context))  # noqa: S308


def _lines(
    stories: dict[str, FrontStory], zone: datetime.tzinfo, today: datetime.date
) -> dict[str, str]:
    """The "Latest" list's lines of ``stories`` (by name), their headlines read now; a
    story gone from ``live()`` since the plan's query is left out."""
    if not stories:
        return {}
    shown = Article.objects.live().filter(pk__in=[story.pk for story in stories.values()])
    words = {
        pk: (headline, slug) for pk, headline, slug in shown.values_list("pk", "headline", "slug")
    }
    template = get_template("articles/_line.html")
    drawn: dict[str, str] = {}
    for name, story in stories.items():
        if story.pk not in words:
            continue
        headline, slug = words[story.pk]
        local = story.publish_at.astimezone(zone)
        day = f"{arabic.format_dateline(local.date())} " if local.date() != today else ""
        when = f"{day}{arabic.clock_face(local)}"
        url = link("articles:article", pk=story.pk, slug=slug)
        line = LatestItem(url, headline, local.isoformat(), when)
        drawn[name] = mark_safe(template.render({"line": line}))  # noqa: S308 (autoescaped)
    return drawn


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


# What the statement reads of a story, as a row of text (one array a section, below).
_STORY_FIELDS = ("pk", "version", "lead_image_id", "publish_at")


@cache
def _statement(*, preview: bool) -> Statement:
    if preview:
        chosen = FrontPage.objects.filter(pk=PK).values("pk")[:1]
    else:
        chosen = FrontPage.objects.in_effect(AT).values("pk")
    live = Article.objects.live(AT)
    # A row a section: its newest few (FROM_EACH_SECTION), its picks in the arrangement
    # and the arrangement's lead if it is the section's — each story a
    # row of numbers in an array, read straight from the index that orders them (what a
    # kept card is named by: articles/site/cards.py). Fetching ids and then their rows cost
    # PostgreSQL about twice as much; JSON, three times; headlines, a third more.
    latest = (
        live.filter(section=OuterRef("pk"))
        .newest_first()
        .values(row=_numbers(*_STORY_FIELDS))[:FROM_EACH_SECTION]
    )
    # The section's picks from its few slots (a story moved to another section since is
    # left out), each checked with live() by its primary key.
    picks = (
        FrontSlot.objects.filter(
            arrangement=Subquery(chosen),
            section=OuterRef("pk"),
            article__section=OuterRef("pk"),
        )
        .filter(Exists(live.filter(pk=OuterRef("article_id"))))
        .order_by()
        .values(row=_numbers(*(f"article__{name}" for name in _STORY_FIELDS), "position"))
    )
    lead = (
        FrontPage.objects.filter(pk=Subquery(chosen), lead__section=OuterRef("pk"))
        .filter(Exists(live.filter(pk=OuterRef("lead_id"))))
        .order_by()
        .values(row=_numbers(*(f"lead__{name}" for name in _STORY_FIELDS)))
    )
    query = Section.objects.order_by("order", "name", "pk").values_list(
        "pk",
        "name",
        "slug",
        ArraySubquery(latest),
        ArraySubquery(picks),
        ArraySubquery(lead),
    )
    return Statement(query, AT, PK) if preview else Statement(query, AT)


def _numbers(*fields: str) -> Func:
    """``ARRAY[field, ...]`` of bigints; a moment as microseconds since the epoch."""
    numbers = [
        _microseconds(F(field)) if field.endswith("publish_at") else Cast(field, BigIntegerField())
        for field in fields
    ]
    return Func(
        *numbers, template="ARRAY[%(expressions)s]", output_field=ArrayField(BigIntegerField())
    )


def _microseconds(moment: F) -> Func:
    return Func(
        moment,
        template="(EXTRACT(EPOCH FROM %(expressions)s) * 1000000)::bigint",
        output_field=BigIntegerField(),
    )


def _assemble(
    by_section: dict[int, list[FrontStory]], sections: dict[int, BlockSection]
) -> Arrangement:
    stories = [story for in_section in by_section.values() for story in in_section]
    newest = sorted(stories, key=_newest_first)
    lead = next((story for story in stories if story.is_picked_lead), None)
    if lead is None and newest:
        lead = newest[0]
    lead_pk = lead.pk if lead else None
    latest = [story for story in newest if story.pk != lead_pk][:LATEST_STORIES]
    blocks = []
    for section_id, in_section in by_section.items():
        shown = [story for story in in_section if story.pk != lead_pk]
        if not shown:
            continue
        slots: list[FrontStory | None] = [None] * SLOTS_PER_BLOCK
        for story in shown:
            position = story.slot_position
            if position is not None and 1 <= position <= SLOTS_PER_BLOCK:
                slots[position - 1] = story
        fallback = iter(story for story in shown if story.slot_position is None)
        filled = [slot or next(fallback, None) for slot in slots]
        blocks.append((sections[section_id], [story for story in filled if story is not None]))
    return Arrangement(lead, latest, blocks)


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
