"""Pictures have an uploader-independent "change any" permission and a content hash."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_wire_embargo"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="image",
            options={
                "ordering": ["-created_at", "-id"],
                "permissions": [
                    ("change_any_image", "Can change any picture, whoever uploaded it")
                ],
                "verbose_name": "image",
                "verbose_name_plural": "images",
            },
        ),
        migrations.AddField(
            model_name="image",
            name="content_hash",
            field=models.CharField(
                blank=True,
                db_index=True,
                default="",
                editable=False,
                max_length=64,
                verbose_name="content hash",
            ),
        ),
    ]
