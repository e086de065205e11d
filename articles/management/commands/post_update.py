"""Post a live update from outside the desk: a stringer's phone, a results feed.

    manage.py post_update STORY_ID --user USERNAME [--start] [--key-event] [--pinned]
                          [--title TITLE] TEXT

TEXT is plain text (a blank line starts a new paragraph); ``-`` reads it from standard
input. ``--start`` turns a published story into live coverage first; without it a story
that is not live coverage is refused. The user's permissions apply as on the desk.
"""

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.html import escape
from django.utils.translation import gettext as _

from articles.desk import live
from articles.desk.workflow import WorkflowError
from articles.models import Article, LiveCoverage


class Command(BaseCommand):
    help = "Post a live update to a story (prints the update's public address)."

    def add_arguments(self, parser):
        parser.add_argument("story_id", type=int, metavar="STORY_ID")
        parser.add_argument("text", metavar="TEXT", help="the update, or - to read standard input")
        parser.add_argument("--user", required=True, metavar="USERNAME")
        parser.add_argument("--title", default="")
        parser.add_argument("--start", action="store_true", help="start live coverage first")
        parser.add_argument("--key-event", action="store_true")
        parser.add_argument("--pinned", action="store_true")

    def handle(self, *args, **options):
        try:
            user = get_user_model().objects.get(username=options["user"])
        except get_user_model().DoesNotExist:
            raise CommandError(_("no user named “%(name)s”") % {"name": options["user"]}) from None
        story = Article.objects.filter(pk=options["story_id"]).first()
        if story is None:
            raise CommandError(_("no story number %(id)s") % {"id": options["story_id"]})
        text = sys.stdin.read() if options["text"] == "-" else options["text"]
        paragraphs = [" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n")]
        body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs if p)
        try:
            coverage = LiveCoverage.objects.filter(article=story).first()
            if options["start"] and not (coverage and coverage.is_open):
                live.coverage_start(article=story, user=user)
            update = live.update_post(
                article=story,
                user=user,
                title=options["title"],
                body=body,
                key_event=options["key_event"],
                pinned=options["pinned"],
            )
        except WorkflowError as refused:
            raise CommandError(refused.message) from None
        self.stdout.write(f"{story.get_absolute_url()}#{update.anchor}")
