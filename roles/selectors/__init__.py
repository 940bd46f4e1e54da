"""Reads of role templates that other screens rely on, already tuned."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from roles.models import CompensationBand, Competency, RoleTemplate
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


# --------------------------------------------------------------------------- comparing two versions


@dataclass
class Change:
    """One difference between two versions: ``kind`` is "added", "removed" or "changed"."""

    kind: str
    name: str
    details: list[str]


@dataclass
class TemplateDiff:
    old: RoleTemplate
    new: RoleTemplate
    summary: list[Change]
    competencies: list[Change]
    requirements: list[Change]
    pay_band: list[Change]

    @property
    def is_empty(self) -> bool:
        return not (self.summary or self.competencies or self.requirements or self.pay_band)


BAND_LABELS = {"currency": "Currency", "p10": "10th percentile", "min": "Minimum", "median": "Median"}
BAND_LABELS |= {"max": "Maximum", "p90": "90th percentile"}


def _shown(value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _was(label: str, old: object, new: object) -> str:
    return f"{label}: {_shown(old)} → {_shown(new)}"


def _competency_facts(template: RoleTemplate) -> dict[str, dict]:
    facts = {}
    for competency in template.competencies.prefetch_related("anchors").order_by("order", "id"):
        facts[competency.name] = {
            "category": competency.get_category_display(),
            "weight": competency.weight.normalize(),
            "description": competency.description,
            "anchors": {anchor.level: anchor.description for anchor in competency.anchors.all()},
        }
    return facts


def _competency_changes(old: RoleTemplate, new: RoleTemplate) -> list[Change]:
    before, after = _competency_facts(old), _competency_facts(new)
    changes = [Change("removed", name, []) for name in before if name not in after]
    for name, facts in after.items():
        if name not in before:
            changes.append(Change("added", name, [f"{facts['category']}, weight {facts['weight']}"]))
            continue
        was = before[name]
        details = [
            _was(label, was[key], facts[key])
            for key, label in (("category", "Category"), ("weight", "Weight"))
            if was[key] != facts[key]
        ]
        if was["description"] != facts["description"]:
            details.append(f"Description: “{was['description']}” → “{facts['description']}”")
        for level in LEVELS:
            old_text, new_text = was["anchors"].get(level, ""), facts["anchors"].get(level, "")
            if old_text != new_text:
                details.append(f"Anchor {level} · {LABELS[level]}: “{old_text or '—'}” → “{new_text or '—'}”")
        if details:
            changes.append(Change("changed", name, details))
    return changes


def _requirement_changes(old: RoleTemplate, new: RoleTemplate) -> list[Change]:
    def facts(template: RoleTemplate) -> dict[str, tuple[str, bool, int | None]]:
        return {r.text: (r.get_kind_display(), r.required, r.min_years) for r in template.requirements.all()}

    before, after = facts(old), facts(new)
    changes = [Change("removed", text, [kind]) for text, (kind, _r, _y) in before.items() if text not in after]
    for text, (kind, required, years) in after.items():
        if text not in before:
            changes.append(Change("added", text, [kind + ("" if required else ", preferred")]))
            continue
        old_kind, old_required, old_years = before[text]
        details = []
        if old_kind != kind:
            details.append(_was("Kind", old_kind, kind))
        if old_required != required:
            details.append(_was("Required", "yes" if old_required else "no", "yes" if required else "no"))
        if old_years != years:
            details.append(_was("Minimum years", old_years, years))
        if details:
            changes.append(Change("changed", text, details))
    return changes


def _band_changes(old: RoleTemplate, new: RoleTemplate) -> list[Change]:
    before = CompensationBand.objects.filter(template=old).first()
    after = CompensationBand.objects.filter(template=new).first()
    if before is None and after is None:
        return []
    if before is None:
        return [Change("added", "Pay band", [str(after)])]
    if after is None:
        return [Change("removed", "Pay band", [str(before)])]
    details = [
        _was(label, getattr(before, name), getattr(after, name))
        for name, label in BAND_LABELS.items()
        if getattr(before, name) != getattr(after, name)
    ]
    return [Change("changed", "Pay band", details)] if details else []


def role_template_diff(*, old: RoleTemplate, new: RoleTemplate) -> TemplateDiff:
    """What changed from one version of a role to another: its own fields, competencies and their anchors,
    requirements and pay band (added, removed, changed)."""
    summary = [
        _was(label, getattr(old, name), getattr(new, name))
        for name, label in (("title", "Title"), ("level", "Level"), ("family", "Family"), ("summary", "Summary"))
        if getattr(old, name) != getattr(new, name)
    ]
    return TemplateDiff(
        old=old,
        new=new,
        summary=[Change("changed", "Role", summary)] if summary else [],
        competencies=_competency_changes(old, new),
        requirements=_requirement_changes(old, new),
        pay_band=_band_changes(old, new),
    )
