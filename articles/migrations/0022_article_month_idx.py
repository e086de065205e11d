"""The sitemap index's months (articles/site/sitemaps.py ``month_rows``), read in order
from an index instead of the whole table and a sort.

The index holds Django's ``TruncMonth("publish_at")`` in the site's time zone, as it is
when migrating: with another ``TIME_ZONE`` later the query still answers, from the table.
Kept out of the models' state: it names a setting, and the autodetector would otherwise
see a change whenever that setting differs.
"""

from django.conf import settings
from django.db import migrations


def _sql() -> str:
    zone = settings.TIME_ZONE.replace("'", "''")
    return (
        "CREATE INDEX IF NOT EXISTS article_month_idx ON articles_article "
        f"((DATE_TRUNC('month', publish_at AT TIME ZONE '{zone}')) DESC) "
        "INCLUDE (id, publish_at, embargoed_until, expire_at, updated_at) "
        "WHERE status = 'published'"
    )


class Migration(migrations.Migration):
    dependencies = [("articles", "0021_live_update_text")]

    operations = [
        migrations.RunSQL(_sql(), "DROP INDEX IF EXISTS article_month_idx", elidable=False),
    ]
