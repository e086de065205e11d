"""Staff accounts: chief editors assign roles (groups) without being able to
make anyone, themselves included, a superuser or to change a superuser."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User


class StaffAdmin(UserAdmin):
    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions"]
        return readonly

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, StaffAdmin)
