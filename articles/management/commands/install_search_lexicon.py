"""Install the search lexicon (articles/text/plurals.tsv) and re-index every story."""

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from articles.text import lexicon


class Command(BaseCommand):
    help = (
        "Install the plural lexicon in PostgreSQL after articles/text/plurals.tsv changed,"
        " and recompute every story's stored search vector (one exclusive pass over the table)."
    )

    def handle(self, *args, **options):
        with transaction.atomic(), connection.cursor() as cursor:
            lexicon.install_search_function(connection)
            # Any UPDATE makes PostgreSQL recompute the stored generated column.
            cursor.execute("UPDATE articles_article SET headline = headline")
            count = cursor.rowcount
        self.stdout.write(
            f"lexicon {lexicon.lexicon_digest()} installed; {count} stories re-indexed"
        )
