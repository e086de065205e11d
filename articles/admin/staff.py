"""Staff accounts: chief editors assign roles (groups) without being able to
make anyone, themselves included, a superuser or to change a superuser.

Only a superuser manages chief editors: a chief cannot change another chief's
password, groups or account, nor make anyone a chief."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import AnonymousUser, Group, User
from django.db.models import ManyToManyField
from django.http import HttpRequest

from articles.desk.roles import GROUP_NAMES

if TYPE_CHECKING:  # generic in django-stubs only (see articles/admin/__init__.py)
    UserModelAdmin = UserAdmin[User]
else:
    UserModelAdmin = UserAdmin


def _manages_chiefs(user: User | AnonymousUser) -> bool:
    return user.is_superuser


def _is_chief(account: User) -> bool:
    return account.groups.filter(name=GROUP_NAMES["chief"]).exists()


class StaffAdmin(UserModelAdmin):
    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> list[str]:
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions"]
        return readonly

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        protected = obj is not None and (obj.is_superuser or _is_chief(obj))
        if protected and not _manages_chiefs(request.user):
            return False  # also guards the password form (UserAdmin checks this)
        return super().has_change_permission(request, obj)

    def formfield_for_manytomany(
        self, db_field: "ManyToManyField[Any, Any]", request: HttpRequest, **kwargs: Any
    ) -> "forms.ModelMultipleChoiceField[Any] | None":
        if db_field.name == "groups" and not _manages_chiefs(request.user):
            kwargs["queryset"] = Group.objects.exclude(name=GROUP_NAMES["chief"])
        return super().formfield_for_manytomany(db_field, request, **kwargs)


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, StaffAdmin)
