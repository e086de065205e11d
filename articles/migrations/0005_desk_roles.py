"""The newsroom's roles as groups with their permissions (frozen copy of articles/desk/roles.py)."""

from django.db import migrations

GROUPS = {
    "صحفي": "reporter",
    "محرر": "editor",
    "رئيس التحرير": "chief",
}
_READ = ["articles.view_section", "articles.view_author", "articles.view_tag"]
REPORTER = [
    "articles.add_article",
    "articles.change_article",
    "articles.view_article",
    "articles.submit_article",
    *_READ,
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
]
CHIEF = [
    *EDITOR,
    "articles.delete_article",
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


def create_groups(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist now.
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_contenttypes(app_config, verbosity=0, apps=apps)
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, role in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = []
        for dotted in PERMISSIONS[role]:
            app_label, codename = dotted.split(".")
            perms.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(perms)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_desk"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
