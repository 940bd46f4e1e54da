"""Reads of role templates that other screens rely on, already tuned."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from roles.models import Competency, RoleTemplate
from roles.scale import LABELS, LEVELS


def role_templates_for_new_jobs() -> QuerySet[RoleTemplate]:
    """Published versions a recruiter may open a job from (archived ones are hidden)."""
    return RoleTemplate.objects.published().order_by("title")


def role_template_list() -> QuerySet[RoleTemplate]:
    return RoleTemplate.objects.annotate(competency_count=Count("competencies", distinct=True))


@dataclass
class PreviewLevel:
    level: int
    label: str
    anchor: str


@dataclass
class PreviewCompetency:
    competency: Competency
    levels: list[PreviewLevel]


def role_template_scorecard_preview(*, template: RoleTemplate) -> list[PreviewCompetency]:
    """The interviewer form a template produces: each competency with the 4-level scale and its anchors."""
    competencies = template.competencies.prefetch_related("anchors").order_by("order", "id")
    preview = []
    for competency in competencies:
        anchors = {anchor.level: anchor.description for anchor in competency.anchors.all()}
        preview.append(
            PreviewCompetency(
                competency=competency,
                levels=[PreviewLevel(level, LABELS[level], anchors.get(level, "")) for level in LEVELS],
            )
        )
    return preview
