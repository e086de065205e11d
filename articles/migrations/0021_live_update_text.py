"""Each live update keeps its body as plain text, and live coverage its number of updates
and the newest one's id (articles/models/live.py): filled here for what was posted before."""

from django.db import migrations, models
from django.db.models import Count, Max

from articles.text.html_text import html_to_text
from articles.text.hygiene import PlainTextField, clean_text


def fill(apps, schema_editor):
    LiveUpdate = apps.get_model("articles", "LiveUpdate")
    LiveCoverage = apps.get_model("articles", "LiveCoverage")
    batch = []
    for update in LiveUpdate.objects.only("pk", "body").iterator(chunk_size=2000):
        update.body_text = clean_text(html_to_text(update.body))
        batch.append(update)
        if len(batch) == 2000:
            LiveUpdate.objects.bulk_update(batch, ["body_text"])
            batch = []
    LiveUpdate.objects.bulk_update(batch, ["body_text"])
    for coverage in LiveCoverage.objects.all():
        found = LiveUpdate.objects.filter(article_id=coverage.article_id).aggregate(
            newest=Max("id"), count=Count("id")
        )
        coverage.latest_update_id, coverage.update_count = found["newest"] or 0, found["count"]
        coverage.save(update_fields=["latest_update_id", "update_count"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0020_front_page")]

    operations = [
        migrations.AddField(
            model_name="liveupdate",
            name="body_text",
            field=PlainTextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="livecoverage",
            name="update_count",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="livecoverage",
            name="latest_update_id",
            field=models.BigIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
