"""The story changelist's columns: the headline gets the room at 1366 px.

The reporter (who filed it) and the last person who saved it replace the
byline, and dates are short, so the desk reads each row on one line.
"""

import datetime

from django.contrib import admin
from django.contrib.auth.models import User
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from articles.models import Article, Revision


def with_last_editor(queryset: QuerySet[Article]) -> QuerySet[Article]:
    """Annotate each story with who saved it last (its latest revision): one subquery."""
    latest = Revision.objects.filter(article=OuterRef("pk")).order_by("-version")
    return queryset.annotate(
        last_editor_username=Subquery(latest.values("user__username")[:1]),
        last_editor_first=Subquery(latest.values("user__first_name")[:1]),
        last_editor_last=Subquery(latest.values("user__last_name")[:1]),
    )


def person_name(user: User | None) -> str:
    return (user.get_full_name() or user.get_username()) if user else "—"


def short_time(value: datetime.datetime | None) -> str:
    """ "30/11 14:05" this year, "30/11/2025" otherwise: short, and sortable by its column."""
    if value is None:
        return "—"
    local = timezone.localtime(value)
    if local.year == timezone.localtime().year:
        text = f"{local.day}/{local.month} {local:%H:%M}"
    else:
        text = f"{local.day}/{local.month}/{local.year}"
    return format_html(
        '<bdi class="desk-date" title="{}">{}</bdi>', f"{local:%Y-%m-%d %H:%M}", text
    )


@admin.display(description=gettext_lazy("reporter"), ordering="created_by__username")
def reporter(article: Article) -> str:
    return person_name(article.created_by)


@admin.display(description=gettext_lazy("edited by"))
def edited_by(article: Article) -> str:
    # Annotations of with_last_editor (the changelist's queryset), not model fields.
    username = getattr(article, "last_editor_username", None)
    if not username:
        return "—"
    parts = (getattr(article, "last_editor_first", ""), getattr(article, "last_editor_last", ""))
    return " ".join(part for part in parts if part) or username


@admin.display(description=gettext_lazy("publish at"), ordering="publish_at")
def published(article: Article) -> str:
    return short_time(article.publish_at)


@admin.display(description=gettext_lazy("updated"), ordering="updated_at")
def updated(article: Article) -> str:
    return short_time(article.updated_at)
