"""Staff accounts: chief editors assign roles (groups) without being able to
make anyone, themselves included, a superuser or to change a superuser.

Only a superuser manages chief editors: a chief cannot change another chief's
password, groups or account, nor make anyone a chief."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User

from articles.desk.roles import GROUP_NAMES


def _manages_chiefs(user) -> bool:
    return user.is_superuser


def _is_chief(account) -> bool:
    return account.groups.filter(name=GROUP_NAMES["chief"]).exists()


class StaffAdmin(UserAdmin):
    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions"]
        return readonly

    def has_change_permission(self, request, obj=None):
        protected = obj is not None and (obj.is_superuser or _is_chief(obj))
        if protected and not _manages_chiefs(request.user):
            return False  # also guards the password form (UserAdmin checks this)
        return super().has_change_permission(request, obj)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not _manages_chiefs(request.user):
            kwargs["queryset"] = Group.objects.exclude(name=GROUP_NAMES["chief"])
        return super().formfield_for_manytomany(db_field, request, **kwargs)


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, StaffAdmin)
