"""Pictures for every role (frozen copy of the additions to articles/desk/roles.py), and the
content hash of pictures stored before it existed."""

import hashlib

from django.db import migrations

ADDED = {
    "صحفي": ["view_image", "add_image", "change_image", "add_tag"],
    "محرر": ["view_image", "add_image", "change_image", "add_tag", "change_any_image"],
    "رئيس التحرير": [
        "view_image",
        "add_image",
        "change_image",
        "add_tag",
        "change_any_image",
        "delete_image",
    ],
}


def _ensure_permissions(apps):
    # Permissions are normally created after migrate; make sure they exist now.
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_contenttypes(app_config, verbosity=0, apps=apps)
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None


def grant(apps, schema_editor):
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ADDED.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="articles", codename__in=codenames
                )
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ADDED.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="articles", codename__in=codenames
                )
            )


def hash_stored_pictures(apps, schema_editor):
    """The hash of each stored file (what a new upload of the same picture will hash to)."""
    from django.core.files.storage import default_storage

    Image = apps.get_model("articles", "Image")
    for image in Image.objects.filter(content_hash="").only("pk", "file").iterator():
        try:
            with default_storage.open(image.file.name, "rb") as stored:
                digest = hashlib.file_digest(stored, "sha256").hexdigest()
        except OSError:
            continue  # a missing file: nothing to match against
        Image.objects.filter(pk=image.pk).update(content_hash=digest)


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_image_owners_and_hashes")]

    operations = [
        migrations.RunPython(grant, revoke),
        migrations.RunPython(hash_stored_pictures, migrations.RunPython.noop),
    ]
