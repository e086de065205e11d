"""The schedule view: the coming week's publications and expiries, by day and hour.

Read from the stories themselves (``publish_at``, ``expire_at``), so it shows
exactly what ``live()`` will do; a story whose moment has passed is simply
published (or expired), never "missed". Rescheduling posts to the same
workflow view as the story's buttons, so the same server-side checks apply.
"""

import datetime
from itertools import groupby
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.desk import scheduling
from articles.models import Article, DueWork
from articles.text import arabic

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

WEEK = datetime.timedelta(days=7)
LIMIT = 500  # per kind; a week's schedule is far smaller


def _scheduled_by(kind: str, field: str) -> Subquery:
    """Who set this moment (the pending follow-up row written by the workflow)."""
    return Subquery(
        DueWork.objects.filter(article=OuterRef("pk"), kind=kind, at=OuterRef(field))
        .order_by("-id")
        .values("scheduled_by__username")[:1]
    )


def upcoming_events(
    now: datetime.datetime,
    until: datetime.datetime,
    user: User | AnonymousUser | None = None,
) -> list[dict[str, Any]]:
    """Every publication and expiry in (now, until], in time order (of the stories
    ``user`` may read, when given)."""
    stories = Article.objects.visible_to(user) if user is not None else Article.objects.all()
    stories = (
        stories.filter(status=Article.Status.PUBLISHED)
        .select_related("section")
        .only("headline", "publish_at", "expire_at", "status", "section__name")
    )
    publications = (
        stories.scheduled(now)
        .filter(publish_at__lte=until)
        .annotate(scheduled_by_name=_scheduled_by(DueWork.Kind.GO_LIVE, "publish_at"))
    )
    expiries = stories.filter(expire_at__gt=now, expire_at__lte=until).annotate(
        scheduled_by_name=_scheduled_by(DueWork.Kind.EXPIRE, "expire_at")
    )
    events = [
        {"kind": "publish", "at": story.publish_at, "story": story}
        for story in publications.order_by("publish_at", "id")[:LIMIT]
    ] + [
        {"kind": "expire", "at": story.expire_at, "story": story}
        for story in expiries.order_by("expire_at", "id")[:LIMIT]
    ]
    events.sort(key=lambda event: (event["at"], event["story"].pk))
    return events


def by_day_and_hour(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """[{day, label, hours: [{hour, events}]}] in the newsroom's time zone."""
    for event in events:
        event["local"] = timezone.localtime(event["at"])
        event["field"] = "publish_at" if event["kind"] == "publish" else "expire_at"
        event["value"] = scheduling.local_input_value(event["at"])
    days = []
    for day, day_events in groupby(events, key=lambda event: event["local"].date()):
        hours = [
            {"hour": f"{hour:02d}:00", "events": list(hour_events)}
            for hour, hour_events in groupby(day_events, key=lambda event: event["local"].hour)
        ]
        days.append({"day": day, "label": arabic.format_dateline(day), "hours": hours})
    return days


def schedule_page(model_admin: "ModelAdmin[Article]", request: HttpRequest) -> TemplateResponse:
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    now = timezone.now()
    events = upcoming_events(now, now + WEEK, request.user)
    return TemplateResponse(
        request,
        "admin/articles/schedule.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": Article._meta,
            "title": _("The schedule: the coming week"),
            "days": by_day_and_hour(events),
            "count": len(events),
            "can_reschedule": request.user.has_perm("articles.publish_article"),
            "follow_up": scheduling.follow_up_health(now),
            "here": reverse("admin:articles_schedule"),
            "time_zone": settings.TIME_ZONE,
        },
    )
