"""The day's work, in buckets: the desk page and the changelist filter share them."""

import datetime

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from articles.models.querysets import gone_live_at, scheduled_at

Status = Article.Status
RECENT = datetime.timedelta(hours=24)


def _buckets(user, now):
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


def bucket_filter(name: str, user, now=None) -> Q:
    return _buckets(user, now or timezone.now())[name]


class DeskFilter(admin.SimpleListFilter):
    title = _("desk")
    parameter_name = "desk"

    def lookups(self, request, model_admin):
        return list(BUCKET_LABELS.items())

    def queryset(self, request, queryset):
        if self.value() in BUCKET_LABELS:
            return queryset.filter(bucket_filter(self.value(), request.user))
        return queryset


def desk_context(user, changelist_url: str, now=None) -> list[dict]:
    """One entry per bucket: label, count, link; scheduled ones listed with their times."""
    now = now or timezone.now()
    entries = []
    for name, condition in _buckets(user, now).items():
        stories = Article.objects.visible_to(user).filter(condition)
        entry = {
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
