"""API partners: the site's administrators issue, rotate and revoke their keys."""

from typing import TYPE_CHECKING

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import ApiPartner

if TYPE_CHECKING:  # generic in django-stubs only (see articles/admin/__init__.py)
    ApiPartnerModelAdmin = admin.ModelAdmin[ApiPartner]
else:
    ApiPartnerModelAdmin = admin.ModelAdmin


@admin.register(ApiPartner)
class ApiPartnerAdmin(ApiPartnerModelAdmin):
    list_display = ["name", "key_prefix", "is_active", "requests_per_minute", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "contact", "key_prefix"]
    readonly_fields = ["key_prefix", "created_at"]
    fields = ["name", "contact", "is_active", "requests_per_minute", "key_prefix", "created_at"]
    actions = ["rotate_keys"]

    def save_model(
        self,
        request: HttpRequest,
        obj: ApiPartner,
        form: "forms.ModelForm[ApiPartner]",
        change: bool,
    ) -> None:
        key = None if change else obj.issue_key()
        super().save_model(request, obj, form, change)
        if key:
            self._show_key_once(request, obj, key)

    @admin.action(description=gettext_lazy("Issue new keys (the old ones stop working)"))
    def rotate_keys(self, request: HttpRequest, queryset: QuerySet[ApiPartner]) -> None:
        for partner in queryset:
            key = partner.issue_key()
            partner.save(update_fields=["key_prefix", "key_digest"])
            self._show_key_once(request, partner, key)

    @staticmethod
    def _show_key_once(request: HttpRequest, partner: ApiPartner, key: str) -> None:
        messages.warning(
            request,
            _("The API key of “%(partner)s”: %(key)s — copy it now, it will not be shown again.")
            % {"partner": partner.name, "key": key},
        )
