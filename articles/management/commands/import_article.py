import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article, Section
from articles.wire.plaintext import WireCopyError, import_story, read_wire_file


class Command(BaseCommand):
    help = "Import plain-text wire copy; prints each imported story's public URL path."

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
        failures = 0
        for path in options["paths"]:
            try:
                story = read_wire_file(path)
                article, _created = import_story(
                    story,
                    section=section,
                    status=options["status"],
                    publish_at=options["publish_at"],
                )
            except WireCopyError as exc:
                failures += 1
                self.stderr.write(f"{path}: {exc}")
                continue
            except ValidationError as exc:
                failures += 1
                self.stderr.write(
                    f"{path}: "
                    + _("not imported: %(reasons)s") % {"reasons": "؛ ".join(exc.messages)}
                )
                continue
            if story.dateline and story.dateline.warning:
                self.stderr.write(
                    f"{path}: " + _("warning: %(warning)s") % {"warning": story.dateline.warning}
                )
            self.stdout.write(article.get_absolute_url())
        if failures:
            raise CommandError(
                _("%(failed)s of %(total)s file(s) not imported")
                % {"failed": failures, "total": len(options["paths"])}
            )


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
