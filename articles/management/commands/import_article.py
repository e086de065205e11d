import datetime
import os
import socket
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.desk.workflow import WorkflowError
from articles.models import Article, Section
from articles.wire.plaintext import (
    Outcome,
    WireCopyError,
    first_import,
    import_story,
    read_wire_file,
)


class Command(BaseCommand):
    help = (
        "Import plain-text wire copy; prints each story's public URL path (and, on stderr, "
        "what the import did). A story imported before keeps its status, section and schedule."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument("--section", help="section slug (default: the first section)")
        parser.add_argument(
            "--status",
            choices=[Article.Status.DRAFT, Article.Status.PUBLISHED],
            default=Article.Status.DRAFT,
        )
        parser.add_argument(
            "--publish-at",
            type=iso_datetime,
            help="ISO 8601, e.g. 2024-04-25T09:30+04:00 (default: the dateline's date)",
        )

    def handle(self, *paths, **options):
        section = section_named(options["section"])
        if isinstance(options["publish_at"], str):  # call_command() passes it untyped
            options["publish_at"] = iso_datetime(options["publish_at"])
        failures = 0
        run = _("process %(pid)s on %(host)s") % {
            "pid": os.getpid(),
            "host": socket.gethostname(),
        }
        for path in options["paths"]:
            try:
                story = read_wire_file(path)
                article, outcome = import_story(
                    story,
                    section=section,
                    status=options["status"],
                    publish_at=options["publish_at"],
                    origin=f"{path.name}, {run}",
                )
            except WireCopyError as exc:
                failures += 1
                self.stderr.write(f"{path}: {exc}")
                continue
            except (ValidationError, WorkflowError) as exc:
                failures += 1
                reasons = exc.messages if isinstance(exc, ValidationError) else [exc.message]
                self.stderr.write(
                    f"{path}: " + _("not imported: %(reasons)s") % {"reasons": "؛ ".join(reasons)}
                )
                continue
            if story.dateline and story.dateline.warning:
                self.stderr.write(
                    f"{path}: " + _("warning: %(warning)s") % {"warning": story.dateline.warning}
                )
            self.stdout.write(article.get_absolute_url())
            self.stderr.write(f"{path}: {_outcome_line(article, outcome)}")
        if failures:
            raise CommandError(
                _("%(failed)s of %(total)s file(s) not imported")
                % {"failed": failures, "total": len(options["paths"])}
            )


def _outcome_line(article: Article, outcome: Outcome) -> str:
    """Which import made the story, and what this one did (status and section stay)."""
    if outcome == Outcome.CREATED:
        return _("imported by this run as a new story (#%(id)s)") % {"id": article.pk}
    made = first_import(article)
    by = (
        _("by %(who)s at %(at)s (%(note)s)")
        % {
            "who": made.user or "—",
            "at": timezone.localtime(made.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            "note": made.note,
        }
        if made
        else ""
    )
    if outcome == Outcome.UNCHANGED:
        return _("already imported %(by)s as story #%(id)s; identical copy, nothing changed") % {
            "by": by,
            "id": article.pk,
        }
    if outcome == Outcome.CORRECTED:
        return _(
            "already imported %(by)s and public as story #%(id)s; the new copy was saved "
            "as a correction"
        ) % {"by": by, "id": article.pk}
    return _(
        "already imported %(by)s as story #%(id)s; the new copy was saved as an edit, "
        "its status and section unchanged"
    ) % {"by": by, "id": article.pk}


def section_named(slug: str | None) -> Section:
    if slug is None:
        section = Section.objects.first()
        if section is None:
            raise CommandError(_("there are no sections yet: create one, or pass --section SLUG"))
        return section
    try:
        return Section.objects.get(slug=slug)
    except Section.DoesNotExist:
        known = "، ".join(Section.objects.values_list("slug", flat=True)) or "—"
        raise CommandError(
            _("unknown section “%(slug)s” (known: %(known)s)") % {"slug": slug, "known": known}
        ) from None


def iso_datetime(text: str) -> datetime.datetime:
    try:
        value = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not an ISO 8601 date-time: {text!r}") from None
    return value if timezone.is_aware(value) else timezone.make_aware(value)
