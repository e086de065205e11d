"""Take wire copy in: plain text, NewsML-G2 or ninjs, told apart by content."""

import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.desk.ingest import Outcome, ingest_item
from articles.desk.workflow import WorkflowError
from articles.management.commands.import_article import iso_datetime, section_named
from articles.models import Article
from articles.wire.formats import read_items
from articles.wire.item import WireError
from articles.wire.watcher import DropFolder

NOTES = {
    Outcome.UNCHANGED: gettext_lazy("unchanged (the same copy was taken in before)"),
    Outcome.OLDER_VERSION: gettext_lazy(
        "ignored: the newsroom already has this version or a later one"
    ),
    Outcome.KILLED: gettext_lazy("withdrawn: the agency killed this story"),
    Outcome.CORRECTED: gettext_lazy("corrected with the agency's new version"),
}


class Command(BaseCommand):
    help = (
        "Take wire copy in (plain text, NewsML-G2, ninjs 2.x/3.x) from files and folders, "
        "or keep watching a drop folder; prints each story's public URL path."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path, metavar="PATH")
        parser.add_argument("--section", help="section slug (default: the first section)")
        parser.add_argument(
            "--status",
            choices=[Article.Status.DRAFT, Article.Status.PUBLISHED],
            default=Article.Status.DRAFT,
        )
        parser.add_argument(
            "--publish-at",
            type=iso_datetime,
            help="ISO 8601 (default: the item's own time, or the dateline's date)",
        )
        parser.add_argument("--watch", type=Path, metavar="DIR", help="keep taking files from DIR")
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between looks")
        parser.add_argument(
            "--once", action="store_true", help="with --watch: take what is there, then stop"
        )

    def handle(self, *args, **options):
        self.section = section_named(options["section"])
        self.publish = options["status"] == Article.Status.PUBLISHED
        self.publish_at = options["publish_at"]
        if options["watch"]:
            return self.watch(options["watch"], options["interval"], options["once"])
        if not options["paths"]:
            raise CommandError(_("name at least one file or folder, or --watch DIR"))
        files = [f for path in options["paths"] for f in _files(path)]
        failures = sum(self.take_file(path, path.name) is not None for path in files)
        if failures:
            raise CommandError(
                _("%(failed)s of %(total)s file(s) not imported")
                % {"failed": failures, "total": len(files)}
            )

    def watch(self, folder: Path, interval: float, once: bool) -> None:
        drop = DropFolder(folder)
        for returned in drop.recover():
            self.stderr.write(
                _("%(name)s: put back (its watcher had stopped)") % {"name": returned.name}
            )
        while True:
            for filed, failure in drop.take(
                lambda claimed: self.take_file(claimed, _name(claimed))
            ):
                if failure is None:
                    self.stderr.write(_("%(name)s: done") % {"name": filed.name})
            if once:
                return
            time.sleep(interval)

    def take_file(self, path: Path, name: str) -> str | None:
        """Ingest one file, all or nothing; returns None, or why it failed (also printed)."""
        try:
            items = read_items(path)
            with transaction.atomic():
                results = [
                    (
                        item,
                        ingest_item(
                            item,
                            section=self.section,
                            publish=self.publish,
                            publish_at=self.publish_at,
                        ),
                    )
                    for item in items
                ]
        except WireError as exc:
            return self._failed(name, str(exc))
        except ValidationError as exc:
            return self._failed(
                name, _("not imported: %(reasons)s") % {"reasons": "؛ ".join(exc.messages)}
            )
        except WorkflowError as exc:
            return self._failed(name, _("not imported: %(reasons)s") % {"reasons": exc.message})
        for item, result in results:
            if item.warning:
                self.stderr.write(
                    f"{name}: " + _("warning: %(warning)s") % {"warning": item.warning}
                )
            if result.outcome in NOTES:
                self.stderr.write(f"{name}: {NOTES[result.outcome]}")
            if result.article is not None:
                self.stdout.write(result.article.get_absolute_url())
        return None

    def _failed(self, name: str, reason: str) -> str:
        self.stderr.write(f"{name}: {reason}")
        return reason


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
    return [path]


def _name(claimed: Path) -> str:
    """The file's own name, without the claim's prefix."""
    return claimed.name.split("~", 2)[-1]
