"""Each live update keeps its body as plain text (articles/models/live.py), filled here
for the updates posted before."""

from django.db import migrations, models

from articles.text.html_text import html_to_text


def fill(apps, schema_editor):
    LiveUpdate = apps.get_model("articles", "LiveUpdate")
    batch = []
    for update in LiveUpdate.objects.only("pk", "body").iterator(chunk_size=2000):
        update.body_text = html_to_text(update.body)
        batch.append(update)
        if len(batch) == 2000:
            LiveUpdate.objects.bulk_update(batch, ["body_text"])
            batch = []
    LiveUpdate.objects.bulk_update(batch, ["body_text"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0020_front_page")]

    operations = [
        migrations.AddField(
            model_name="liveupdate",
            name="body_text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
