"""Follow-up work for stories that went live or expired (see articles/desk/scheduling.py).

Run every minute. Visibility never waits for it; running it twice, or on two
machines at once, does each piece of work once.
"""

from django.core.management.base import BaseCommand

from articles.desk import scheduling
from articles.site import purging


class Command(BaseCommand):
    help = "Do the follow-up work (audit entry, cache, notifications) for stories that went live or expired."

    def handle(self, *args, **options):
        handled = scheduling.handle_due_work()
        # Purges that could not be delivered when their story changed (cache down).
        purged = purging.deliver_pending()
        scheduling.record_success(handled)
        if options["verbosity"] >= 1:
            self.stdout.write(f"publish_due: {handled} handled, {purged} purges delivered")
