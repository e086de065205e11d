"""The newsroom's roles: each is a Django group with a fixed set of permissions.

The data migration creates the groups from this table (a frozen copy lives in
the migration); ``create_staff`` and the admin assign people to them.
"""

from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

# Group names are what the admin shows in the user form.
GROUP_NAMES = {
    "reporter": "صحفي",
    "editor": "محرر",
    "chief": "رئيس التحرير",
}
ROLE_LABELS = {
    "reporter": _("Reporter"),
    "editor": _("Editor"),
    "chief": _("Chief editor"),
}

_READ_PLACEMENT = [
    "articles.view_section",
    "articles.view_author",
    "articles.view_tag",
]
# Pictures: everyone uses the library and uploads; a reporter changes the pictures they
# uploaded (Image.can_be_changed_by), editors any; only the chief deletes.
# Tags: reporters and editors create them from the story form ("+" beside the field).
REPORTER = [
    "articles.add_article",
    "articles.change_article",
    "articles.view_article",
    "articles.submit_article",
    *_READ_PLACEMENT,
    "articles.view_image",
    "articles.add_image",
    "articles.change_image",
    "articles.add_tag",
]
EDITOR = [
    *REPORTER,
    "articles.edit_any_article",
    "articles.return_article",
    "articles.approve_article",
    "articles.publish_article",
    "articles.withdraw_article",
    "articles.correct_article",
    "articles.share_preview_article",
    "articles.change_any_image",
]
CHIEF = [
    *EDITOR,
    "articles.delete_article",
    "articles.delete_image",
    *(
        f"articles.{verb}_{model}"
        for verb in ("add", "change", "delete")
        for model in ("section", "author", "tag")
    ),
    "auth.add_user",
    "auth.change_user",
    "auth.view_user",
    "auth.view_group",
]
PERMISSIONS = {"reporter": REPORTER, "editor": EDITOR, "chief": CHIEF}


def group_for(role: str) -> Group:
    """The role's group, as the data migration made it."""
    return Group.objects.get(name=GROUP_NAMES[role])
