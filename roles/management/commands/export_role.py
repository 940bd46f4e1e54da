"""python manage.py export_role SLUG [--version N]: the template as JSON (see docs/role-format.md)."""

import json

from django.core.management.base import BaseCommand, CommandError

from roles.models import RoleTemplate
from roles.services import role_template_export


class Command(BaseCommand):
    help = "Print a role template as JSON: the given version, else the published one, else the latest."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # ``--version N`` is this command's option; Django's own --version (print Django's version) gives way.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--version", dest="role_version", type=int, default=None, help="Version number.")

    def handle(self, *args, slug: str, role_version: int | None, **options) -> None:
        versions = RoleTemplate.objects.filter(slug=slug)
        if role_version is not None:
            template = versions.filter(version=role_version).first()
        else:
            template = versions.published().first() or versions.order_by("-version").first()
        if template is None:
            which = f" version {role_version}" if role_version is not None else ""
            raise CommandError(f"No role template “{slug}”{which}.")
        self.stdout.write(json.dumps(role_template_export(template=template), indent=2, ensure_ascii=False))
