"""The day's work, in buckets: the desk page and the changelist filter share them."""

import datetime
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from articles.models.querysets import gone_live_at, scheduled_at

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin
    from django_stubs_ext import StrOrPromise

Status = Article.Status
RECENT = datetime.timedelta(hours=24)


def _buckets(user: User | AnonymousUser, now: datetime.datetime) -> dict[str, Q]:
    return {
        "mine": Q(created_by=user, status=Status.DRAFT, returned_at__isnull=True),
        "returned": Q(created_by=user, status=Status.DRAFT, returned_at__isnull=False),
        "review": Q(status=Status.IN_REVIEW),
        "approved": Q(status=Status.APPROVED),
        "scheduled": scheduled_at(now),
        "recent": gone_live_at(now) & Q(publish_at__gt=now - RECENT),
    }


BUCKET_LABELS = {
    "mine": _("My drafts"),
    "returned": _("Returned to me"),
    "review": _("Waiting for review"),
    "approved": _("Approved, not yet published"),
    "scheduled": _("Scheduled"),
    "recent": _("Published in the last 24 hours"),
}


def bucket_filter(name: str, user: User | AnonymousUser, now: datetime.datetime | None = None) -> Q:
    return _buckets(user, now or timezone.now())[name]


class DeskFilter(admin.SimpleListFilter):
    title = _("desk")
    parameter_name = "desk"

    def lookups(
        self, request: HttpRequest, model_admin: "ModelAdmin[Any]"
    ) -> list[tuple[str, "StrOrPromise"]]:
        return list(BUCKET_LABELS.items())

    def queryset(self, request: HttpRequest, queryset: QuerySet[Article]) -> QuerySet[Article]:
        name = self.value()
        if name is not None and name in BUCKET_LABELS:
            return queryset.filter(bucket_filter(name, request.user))
        return queryset


def desk_context(
    user: User | AnonymousUser, changelist_url: str, now: datetime.datetime | None = None
) -> list[dict[str, Any]]:
    """One entry per bucket: label, count, link; scheduled ones listed with their times."""
    now = now or timezone.now()
    entries = []
    for name, condition in _buckets(user, now).items():
        stories = Article.objects.visible_to(user).filter(condition)
        entry: dict[str, Any] = {
            "name": name,
            "label": BUCKET_LABELS[name],
            "count": stories.count(),
            "url": f"{changelist_url}?desk={name}",
        }
        order = "publish_at" if name == "scheduled" else "-updated_at"
        entry["stories"] = list(
            stories.select_related("section")
            .only("headline", "publish_at", "updated_at", "section__name", "status")
            .order_by(order, "-id")[:5]
        )
        entries.append(entry)
    return entries
