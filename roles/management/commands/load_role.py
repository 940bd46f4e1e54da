"""python manage.py load_role FILE.json: a draft from an exported role template (see docs/role-format.md)."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from roles.services import role_template_load


class Command(BaseCommand):
    help = "Create a draft role template from a JSON document made by export_role; prints its slug last."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")

    def handle(self, *args, file: str, **options) -> None:
        source = Path(file)
        if not source.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            data = json.loads(source.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{file} is not valid JSON: {error}") from None
        try:
            template = role_template_load(data=data)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Loaded “{template.title}” as draft version {template.version}.")
        self.stdout.write(template.slug)
