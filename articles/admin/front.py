"""The front-page desk: the editors' arrangements of the home page.

A list of arrangements (in effect, scheduled, drafts, past) with their actions, a page to
arrange one (the lead, then each section block's slots in order, by story number with
the admin's story picker), and a staff-only preview. Every action calls
articles/desk/front.py (the workflow's door), which checks the permission again.
"""

import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import PermissionDenied
from django.forms import BoundField
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.admin.breaking import LocalMinuteInput
from articles.desk import front
from articles.desk.workflow import WorkflowError
from articles.models import Article, FrontPage, FrontSlot, Section
from articles.models.front import SLOTS_PER_BLOCK
from articles.site import seo
from articles.site.front import front_plan
from articles.site.front import page as front_page

if TYPE_CHECKING:  # generic in django-stubs only (see articles/admin/__init__.py)
    from django_stubs_ext import StrOrPromise

    FrontPageModelAdmin = admin.ModelAdmin[FrontPage]
else:
    FrontPageModelAdmin = admin.ModelAdmin


def _story_field(label: "StrOrPromise") -> "forms.ModelChoiceField[Article]":
    rel = FrontSlot._meta.get_field("article").remote_field
    return forms.ModelChoiceField(
        label=label,
        queryset=Article.objects.all(),
        required=False,
        widget=ForeignKeyRawIdWidget(rel, admin.site),
    )


class ArrangeForm(forms.Form):
    """The lead, then ``block_<section>_<position>`` for every section's slots."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False)

    def __init__(self, *args: Any, sections: list[Section], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sections = sections
        self.fields["lead"] = _story_field(gettext_lazy("Lead story"))
        for section in sections:
            for position in range(1, SLOTS_PER_BLOCK + 1):
                self.fields[f"block_{section.pk}_{position}"] = _story_field(
                    _("%(section)s, slot %(position)s")
                    % {"section": section.name, "position": position}
                )

    @classmethod
    def initial_for(cls, arrangement: FrontPage) -> dict[str, Any]:
        initial: dict[str, Any] = {"name": arrangement.name, "lead": arrangement.lead_id}
        for slot in arrangement.slots.all():
            initial[f"block_{slot.section_id}_{slot.position}"] = slot.article_id
        return initial

    def blocks(self) -> list[tuple[Section, list[BoundField]]]:
        """(section, its slot fields in order) for the template."""
        return [
            (
                section,
                [self[f"block_{section.pk}_{p}"] for p in range(1, SLOTS_PER_BLOCK + 1)],
            )
            for section in self.sections
        ]

    def arranged_blocks(self) -> dict[Section, list[Article | None]]:
        data = self.cleaned_data
        return {
            section: [data[f"block_{section.pk}_{p}"] for p in range(1, SLOTS_PER_BLOCK + 1)]
            for section in self.sections
        }


class ScheduleForm(forms.Form):
    at = forms.DateTimeField(
        label=gettext_lazy("Takes effect at"), required=False, widget=LocalMinuteInput()
    )


class FrontPageAdmin(FrontPageModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return front.may_arrange(request.user)

    def has_view_permission(self, request: HttpRequest, obj: FrontPage | None = None) -> bool:
        return front.may_arrange(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # created from the list page, through the workflow

    def has_change_permission(self, request: HttpRequest, obj: FrontPage | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: FrontPage | None = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path("new/", view(self.create_view), name="articles_frontpage_new"),
            path("<int:pk>/arrange/", view(self.arrange_view), name="articles_frontpage_arrange"),
            path("<int:pk>/act/", view(self.act_view), name="articles_frontpage_act"),
            path("<int:pk>/preview/", view(self.preview_view), name="articles_frontpage_preview"),
            *super().get_urls(),
        ]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        self._check(request)
        now = timezone.now()
        current = FrontPage.objects.in_effect(now).first()
        arrangements = FrontPage.objects.select_related("created_by").order_by(
            "-takes_effect_at", "-created_at"
        )[:50]
        rows = [
            {
                "page": page,
                "state": _state(page, current, now),
                "editable": page.is_editable(now),
            }
            for page in arrangements
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Front page"),
            "opts": self.model._meta,
            "rows": rows,
            "schedule_form": ScheduleForm(auto_id=False),
            "time_zone_name": timezone.get_current_timezone_name(),
        }
        return TemplateResponse(request, "admin/articles/frontpage/list.html", context)

    def create_view(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            page = front.arrangement_create(user=request.user)
        except WorkflowError as refused:
            raise PermissionDenied(refused.message) from None
        messages.success(request, _("A new draft arrangement was made from the front page now."))
        return redirect("admin:articles_frontpage_arrange", page.pk)

    def arrange_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        self._check(request)
        page = get_object_or_404(FrontPage, pk=pk)
        sections = list(Section.objects.order_by("order", "name"))
        form = ArrangeForm(initial=ArrangeForm.initial_for(page), sections=sections)
        if request.method == "POST":
            form = ArrangeForm(request.POST, sections=sections)
            if form.is_valid():
                try:
                    front.arrangement_arrange(
                        arrangement=page,
                        user=request.user,
                        name=form.cleaned_data["name"],
                        lead=form.cleaned_data["lead"],
                        blocks=form.arranged_blocks(),
                    )
                    messages.success(request, _("The arrangement was saved."))
                    return redirect(request.path)
                except WorkflowError as refused:
                    form.add_error(None, refused.message)  # what was chosen stays
        context = {
            **self.admin_site.each_context(request),
            "title": _("Arrange: %(name)s") % {"name": page},
            "opts": self.model._meta,
            "page": page,
            "editable": page.is_editable(timezone.now()),
            "form": form,
            "media": form.media,
            "events": page.events.select_related("user")[:30],
        }
        return TemplateResponse(request, "admin/articles/frontpage/arrange.html", context)

    def act_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self._check(request)
        page = get_object_or_404(FrontPage, pk=pk)
        action, user = request.POST.get("action"), request.user
        try:
            if action == "schedule":
                schedule = ScheduleForm(request.POST)
                if not schedule.is_valid():
                    raise WorkflowError(_("Give a valid date and time, or leave it empty for now."))
                front.arrangement_schedule(
                    arrangement=page, user=user, at=schedule.cleaned_data["at"]
                )
                messages.success(request, _("The arrangement is scheduled."))
            elif action == "unschedule":
                front.arrangement_unschedule(arrangement=page, user=user)
                messages.success(request, _("The arrangement is a draft again."))
            elif action == "delete":
                front.arrangement_delete(arrangement=page, user=user)
                messages.success(request, _("The arrangement was deleted."))
            else:
                messages.error(request, _("Unknown action."))
        except WorkflowError as refused:
            messages.error(request, refused.message)
        return redirect("admin:articles_frontpage_changelist")

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The home page as this arrangement would show it now; staff only, never cached."""
        self._check(request)
        page = get_object_or_404(FrontPage, pk=pk)
        response = front_page(
            request,
            "articles/front_preview.html",
            front_plan(arrangement_id=page.pk),
            {
                "structured_data": [seo.website(request)],
                "preview_banner": _("Preview of “%(name)s” — not what readers see")
                % {"name": page},
                "back_url": reverse("admin:articles_frontpage_arrange", args=[page.pk]),
            },
        )
        response["Cache-Control"] = "private, no-store"
        return response

    @staticmethod
    def _check(request: HttpRequest) -> None:
        if not front.may_arrange(request.user):
            raise PermissionDenied


def _state(page: FrontPage, current: FrontPage | None, now: datetime.datetime) -> str:
    if current is not None and page.pk == current.pk:
        return _("On the front page now")
    if page.takes_effect_at is None:
        return _("Draft")
    if page.takes_effect_at > now:
        return _("Scheduled")
    return _("Past")
