"""Demo data for roles: the project's own Staff Machine Learning Architect profile, imported and published."""

from pathlib import Path

from .models import RoleTemplate
from .services import role_template_import

DOCUMENT = Path(__file__).resolve().parent / "documents" / "staff-machine-learning-architect.txt"
SLUG = "staff-machine-learning-architect"


def seed(*, rng, candidates: int, users: dict, stdout) -> None:
    """Import and publish the demo role once; a second run finds it and changes nothing."""
    existing = RoleTemplate.objects.filter(slug=SLUG).order_by("-version").first()
    if existing is not None:
        stdout.write(f"  Role template “{existing.title}” already present (v{existing.version}, {existing.status}).")
        return
    template = role_template_import(document=DOCUMENT.read_bytes(), filename=DOCUMENT.name, publish=True)
    stdout.write(
        f"  Role template “{template.title}” v{template.version} published "
        f"({template.competencies.count()} competencies)."
    )
