"""The front page through the workflow's one door: create an arrangement, arrange it,
schedule it (or put it out now), take it back to draft, delete it.

Each function locks the arrangement's row, checks the actor's permission on the server
(``publish_article``: editors), validates, writes and keeps an audit entry of the front
page's own (FrontPageEvent), all in one transaction; the page cache is retired after
commit (articles/signals.py) and knows the moment a scheduled arrangement takes effect
(articles/site/caching.py asks articles/site/front.py).
"""

import datetime
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.desk.workflow import WorkflowError
from articles.models import Article, FrontPage, FrontPageEvent, FrontSlot, Section
from articles.models.front import SLOTS_PER_BLOCK

Action = FrontPageEvent.Action


def may_arrange(user) -> bool:
    return user.is_active and user.has_perm("articles.publish_article")


def arrangement_create(*, user, name: str = "") -> FrontPage:
    """A new draft, starting from what readers see now (the arrangement in effect)."""
    _require(user)
    with transaction.atomic():
        current = FrontPage.objects.in_effect(timezone.now()).first()
        draft = FrontPage(name=name, lead=current.lead if current else None, created_by=user)
        _validate(draft)
        draft.save()
        if current is not None:
            FrontSlot.objects.bulk_create(
                FrontSlot(
                    arrangement=draft,
                    section_id=slot.section_id,
                    position=slot.position,
                    article_id=slot.article_id,
                )
                for slot in current.slots.all()
            )
        _record(draft, user, Action.CREATE, note=str(current) if current else "")
    return draft


def arrangement_arrange(
    *,
    arrangement,
    user,
    lead: Article | None,
    blocks: Mapping[Section, Sequence[Article | None]],
    name: str | None = None,
) -> FrontPage:
    """Set the lead and each section block's slots, in order (``None``: an empty slot,
    filled on the page by the latest live story). Sections not given keep no slots."""
    _require(user)
    with transaction.atomic():
        page = _locked_editable(arrangement)
        seen: set[int] = {lead.pk} if lead else set()
        slots = []
        for section, stories in blocks.items():
            if len(stories) > SLOTS_PER_BLOCK:
                raise WorkflowError(
                    _("A block has at most %(count)s slots.") % {"count": SLOTS_PER_BLOCK}
                )
            for position, story in enumerate(stories, start=1):
                if story is None:
                    continue
                if story.section_id != section.pk:
                    raise WorkflowError(
                        _("“%(headline)s” is not in the section “%(section)s”.")
                        % {"headline": story.headline, "section": section.name}
                    )
                if story.pk in seen:
                    raise WorkflowError(
                        _("“%(headline)s” is placed twice: a story goes in one place only.")
                        % {"headline": story.headline}
                    )
                seen.add(story.pk)
                slots.append(
                    FrontSlot(arrangement=page, section=section, position=position, article=story)
                )
        for story in [lead, *(slot.article for slot in slots)]:
            if story is not None and story.status != Article.Status.PUBLISHED:
                raise WorkflowError(
                    _(
                        "“%(headline)s” is not published: only published stories go on the front page."
                    )
                    % {"headline": story.headline}
                )
        page.lead = lead
        if name is not None:
            page.name = name
        _validate(page)
        page.save(update_fields=["lead", "name"])
        page.slots.all().delete()
        FrontSlot.objects.bulk_create(slots)
        _record(page, user, Action.ARRANGE, note=_describe(lead, slots))
    return page


def arrangement_schedule(*, arrangement, user, at: datetime.datetime | None = None) -> FrontPage:
    """Put the arrangement out at ``at`` (default: now); it takes effect at that second."""
    _require(user)
    now = timezone.now()
    at = at or now
    if at < now - datetime.timedelta(minutes=1):
        raise WorkflowError(_("That moment has passed: choose now or a later time."))
    with transaction.atomic():
        page = _locked_editable(arrangement)
        page.takes_effect_at = max(at, now)
        page.save(update_fields=["takes_effect_at"])
        _record(page, user, Action.SCHEDULE, note=_moment(page.takes_effect_at))
    return page


def arrangement_unschedule(*, arrangement, user) -> FrontPage:
    _require(user)
    with transaction.atomic():
        page = _locked_editable(arrangement)
        if page.takes_effect_at is None:
            raise WorkflowError(_("This arrangement is a draft already."))
        page.takes_effect_at = None
        page.save(update_fields=["takes_effect_at"])
        _record(page, user, Action.UNSCHEDULE)
    return page


def arrangement_delete(*, arrangement, user) -> None:
    _require(user)
    with transaction.atomic():
        page = _locked_editable(arrangement)
        _record(page, user, Action.DELETE, note=str(page))
        page.delete()


def _locked_editable(arrangement) -> FrontPage:
    try:
        page = FrontPage.objects.select_for_update().get(pk=arrangement.pk)
    except FrontPage.DoesNotExist:
        raise WorkflowError(_("This arrangement no longer exists.")) from None
    if not page.is_editable(timezone.now()):
        raise WorkflowError(
            _("This arrangement has already gone out; create a new one to change the front page.")
        )
    return page


def _validate(page) -> None:
    try:
        page.full_clean(exclude=["lead", "created_by", "takes_effect_at"])
    except ValidationError as exc:
        raise WorkflowError(" ".join(exc.messages)) from None


def _require(user) -> None:
    if not may_arrange(user):
        raise WorkflowError(_("Only editors can arrange the front page."))


def _record(page, user, action, note="") -> None:
    FrontPageEvent.objects.create(arrangement=page, action=action, note=note, user=user)


def _describe(lead, slots) -> str:
    parts = [f"{_('Lead')}: #{lead.pk}" if lead else f"{_('Lead')}: —"]
    parts += [f"{slot.section.name} {slot.position}: #{slot.article_id}" for slot in slots]
    return "؛ ".join(parts)


def _moment(at) -> str:
    return f"{timezone.localtime(at):%Y-%m-%d %H:%M:%S}"
