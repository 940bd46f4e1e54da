"""Role templates: reading a role document, and the admin pages an admin curates it on."""

from django.test import Client
from django.urls import reverse

from bench.main import Case, Context


def cases(ctx: Context) -> list[Case]:
    from hiring.models import User
    from roles.demo import DOCUMENT, SLUG
    from roles.importer import parse_role_document
    from roles.models import RoleTemplate
    from roles.services import role_template_export

    document = DOCUMENT.read_bytes()
    template = RoleTemplate.objects.filter(slug=SLUG).order_by("-version").first()
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    if template is None or admin is None:
        return [Case("roles_parse_document", lambda: parse_role_document(document), repeat=20)]
    client = Client()
    client.force_login(admin)
    return [
        Case("roles_parse_document", lambda: parse_role_document(document), repeat=20),
        Case("roles_admin_changelist", lambda: client.get(reverse("admin:roles_roletemplate_changelist"))),
        Case(
            "roles_admin_change_page",
            lambda: client.get(reverse("admin:roles_roletemplate_change", args=[template.pk])),
            repeat=10,
        ),
        Case(
            "roles_scorecard_preview",
            lambda: client.get(reverse("admin:roles_roletemplate_preview", args=[template.pk])),
        ),
        Case("roles_export_json", lambda: role_template_export(template=template)),
    ]
