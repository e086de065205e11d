"""Autosave: what a person typed into a story's form, kept until they save it.

The open form posts its fields every few seconds (static/js/desk-autosave.js)
into that person's ``DraftBuffer`` for that story, or for "a new story". A
buffer is never a revision and never a write to the story: reopening the form
offers it back, restoring fills the form, and the person then saves through
the ordinary path (the admin's save and the workflow). Saving the story
clears the buffer. A save that arrives after the session expired is kept in
the same buffer (articles/admin/autosave.py).
"""

import contextlib

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone

from articles.models import Article, DraftBuffer
from articles.text.hygiene import strip_unsafe
from articles.text.sanitize import clean_html

# The story form's fields as posted (the expiry comes as date and time halves).
SINGLE_FIELDS = (
    "headline",
    "slug",
    "standfirst",
    "body",
    "section",
    "dateline_place",
    "lead_image",
    "expire_at_0",
    "expire_at_1",
    "correction_note",
    "opened_version",
)
LIST_FIELDS = ("authors", "tags")
# A very long story is some tens of thousands of characters; anything
# past this is not a person's typing, and nothing is kept for it.
MAX_CHARS = 500_000
MAX_CHOICES = 500


class TooLarge(Exception):
    """The posted form is larger than any story: refused, the stored buffer kept."""


def fields_from_post(data: QueryDict) -> dict:
    """The story form's fields out of a POST, and nothing else it carried."""
    kept: dict = {}
    # Only the characters stored text may hold: jsonb cannot take a NUL, for one.
    for name in SINGLE_FIELDS:
        if name in data:
            kept[name] = strip_unsafe(data.get(name, ""))
    for name in LIST_FIELDS:
        values = data.getlist(name)
        if len(values) > MAX_CHOICES:
            raise TooLarge
        kept[name] = [strip_unsafe(value) for value in values]
    size = sum(len(v) for v in kept.values() if isinstance(v, str))
    size += sum(len(v) for name in LIST_FIELDS for v in kept[name])
    if size > MAX_CHARS:
        raise TooLarge
    return kept


def keep(*, user, article: Article | None, data: QueryDict) -> DraftBuffer:
    """Overwrite ``user``'s buffer for ``article`` (None: a new story) with ``data``.

    The caller has checked that ``user`` may edit ``article`` (or add a story).
    """
    fields = fields_from_post(data)
    for _attempt in range(2):
        try:
            with transaction.atomic():
                buffer, _created = DraftBuffer.objects.update_or_create(
                    user=user,
                    article=article,
                    defaults={"fields": fields, "saved_at": timezone.now()},
                )
            return buffer
        except IntegrityError:
            continue  # two autosaves created it at once: the second one now updates
    raise IntegrityError("draft buffer")


def buffer_for(user, article: Article | None) -> DraftBuffer | None:
    return DraftBuffer.objects.filter(user=user, article=article).first()


def differs_from_story(buffer: DraftBuffer, article: Article | None) -> bool:
    """Does the buffer hold words the story does not (so that it is worth offering)?"""
    if article is None:
        return any(buffer.fields.get(name) for name in ("headline", "standfirst", "body"))
    for name in ("headline", "standfirst", "dateline_place"):
        if name in buffer.fields and _plain(buffer.fields[name]) != _plain(getattr(article, name)):
            return True
    if "body" in buffer.fields:
        return clean_html(_plain(buffer.fields["body"])) != article.body
    return False


def _plain(text) -> str:
    return (text or "").replace("\r\n", "\n").strip()


def clear(user, article: Article | None) -> None:
    """``user`` saved ``article`` (or created the story they were writing)."""
    DraftBuffer.objects.filter(user=user, article=article).delete()


def form_initial(buffer: DraftBuffer, form_fields: dict) -> dict:
    """The buffer as a story form's ``initial`` (values a field cannot read are left out)."""
    fields = buffer.fields
    initial = {}
    for name in ("headline", "slug", "standfirst", "body", "dateline_place", "correction_note"):
        if name in fields and name in form_fields:
            initial[name] = fields[name]
    for name in ("section", "lead_image"):
        if name in form_fields and fields.get(name):
            initial[name] = fields[name]
    for name in LIST_FIELDS:
        if name in form_fields and name in fields:
            initial[name] = fields[name]
    if "expire_at" in form_fields and "expire_at_0" in fields:
        with contextlib.suppress(ValidationError):  # a half-typed time is not restored
            initial["expire_at"] = form_fields["expire_at"].clean(
                [fields.get("expire_at_0", ""), fields.get("expire_at_1", "")]
            )
    if "opened_version" in form_fields and str(fields.get("opened_version", "")).isdigit():
        # The version the text was typed against: the save merges with, or
        # reports a conflict against, whatever was saved since.
        initial["opened_version"] = int(fields["opened_version"])
    return initial
