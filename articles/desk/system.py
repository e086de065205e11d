"""The named actor for work no person does (wire imports): ``newsroom-wire``."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction

SYSTEM_USERNAME = "newsroom-wire"
SYSTEM_PERMISSIONS = [
    "add_article",
    "change_article",
    "edit_any_article",
    "submit_article",
    "approve_article",
    "publish_article",
    "correct_article",
    "withdraw_article",  # an agency's kill (pubStatus canceled or withheld)
]


def system_user():
    """The named actor for work no person does (wire imports): made on demand, with
    exactly the permissions the import needs, and no password (it cannot log in)."""
    with transaction.atomic():  # made whole or not at all: a second import waits for it
        user, created = get_user_model().objects.get_or_create(
            username=SYSTEM_USERNAME,
            defaults={"first_name": "Newsroom wire import", "is_staff": False},
        )
        wanted = [f"articles.{codename}" for codename in SYSTEM_PERMISSIONS]
        if created or not user.has_perms(wanted):  # made now, or made before a permission was added
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            user.user_permissions.set(
                Permission.objects.filter(
                    content_type__app_label="articles", codename__in=SYSTEM_PERMISSIONS
                )
            )
            user = get_user_model().objects.get(pk=user.pk)  # no stale permission cache
    return user
