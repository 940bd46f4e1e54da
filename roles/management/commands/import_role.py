"""python manage.py import_role PATH [--title T] [--publish] [--new-template]: the slug is the last line.

A document whose title matches an existing template becomes its next draft version (same slug).
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from roles.services import role_template_import


class Command(BaseCommand):
    help = "Import a role-profile document (.txt or .md) as a draft role template; prints its slug last."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="The role document (plain text or Markdown).")
        parser.add_argument("--title", default=None, help="Use this title instead of the document's.")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish the imported version right away, generated (unreviewed) rating anchors included.",
        )
        parser.add_argument(
            "--new-template",
            action="store_true",
            help="Make a separate template even if one with this title exists (default: its next version).",
        )

    def handle(self, *args, path: str, title: str | None, publish: bool, new_template: bool, **options) -> None:
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            template = role_template_import(
                document=source.read_bytes(),
                filename=source.name,
                title=title,
                publish=publish,
                new_template=new_template,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            f"Imported “{template.title}” v{template.version} ({template.get_status_display().lower()}): "
            f"{template.competencies.count()} competencies, {template.responsibilities.count()} responsibility "
            f"areas, {template.requirements.count()} requirements."
        )
        if template.version > 1:
            self.stdout.write(
                f"Version {template.version} of an existing template; its admin page compares it with the one before."
            )
        if template.skipped_parts:
            self.stdout.write(f"Skipped {len(template.skipped_parts)} part(s) of the document (listed on the draft).")
        self.stdout.write(template.slug)
