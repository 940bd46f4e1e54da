"""Writes of interview plans: the default plan and inline edits of its steps."""

from django.core.exceptions import ValidationError
from django.db import transaction

from interviews.models import InterviewPlan, InterviewStep, StepCompetency

# The default plan: which categories of competency each step focuses on.
DEFAULT_STEPS = [
    ("Recruiter screen", "Recruiter screen", InterviewStep.Kind.PHONE, 30, ("soft_skill",)),
    ("Technical deep dive", "Technical interview", InterviewStep.Kind.VIDEO, 60, ("technical",)),
    ("System design", "Panel", InterviewStep.Kind.ONSITE, 60, ("domain", "technical")),
    ("Leadership and collaboration", "Panel", InterviewStep.Kind.ONSITE, 45, ("leadership", "soft_skill")),
]


@transaction.atomic
def plan_create_default(*, job) -> InterviewPlan:
    """Create the job's interview plan from its template: every competency in at least one step."""
    plan, created = InterviewPlan.objects.get_or_create(job=job)
    if not created:
        return plan
    competencies = list(job.template.competencies.order_by("order", "id"))
    stages = {stage.name: stage for stage in job.stages.all()}
    covered: set[int] = set()
    for order, (name, stage_name, kind, minutes, categories) in enumerate(DEFAULT_STEPS):
        step = InterviewStep.objects.create(
            plan=plan, name=name, stage=stages.get(stage_name), kind=kind, duration_minutes=minutes, order=order
        )
        focus = [c for c in competencies if c.category in categories]
        StepCompetency.objects.bulk_create(
            StepCompetency(step=step, competency=c, order=i) for i, c in enumerate(focus)
        )
        covered.update(c.pk for c in focus)
    leftover = [c for c in competencies if c.pk not in covered]
    if leftover:
        last_step = plan.steps.order_by("-order").first()
        if last_step is not None:
            StepCompetency.objects.bulk_create(
                StepCompetency(step=last_step, competency=c, order=100 + i) for i, c in enumerate(leftover)
            )
    return plan


def _plan_step(*, step_id: int, plan: InterviewPlan) -> InterviewStep:
    try:
        return plan.steps.select_for_update().get(pk=step_id)
    except InterviewStep.DoesNotExist:
        raise ValidationError("That step is not part of this plan any more.") from None


def _renumber(plan: InterviewPlan, ordered: list[InterviewStep]) -> None:
    for index, step in enumerate(ordered):
        step.order = index
    InterviewStep.objects.bulk_update(ordered, ["order"])
    plan.save(update_fields=["updated_at"])


@transaction.atomic
def plan_step_add(
    *, plan: InterviewPlan, name: str, kind: str = InterviewStep.Kind.VIDEO, duration_minutes: int = 45, stage=None
) -> InterviewStep:
    """Add a step at the end of the plan."""
    last = plan.steps.order_by("-order").values_list("order", flat=True).first()
    step = InterviewStep(
        plan=plan,
        name=name.strip(),
        kind=kind,
        duration_minutes=duration_minutes,
        stage=stage,
        order=0 if last is None else last + 1,
    )
    if stage is not None and stage.job_id != plan.job_id:
        raise ValidationError({"stage": "Pick a stage of this job."})
    step.full_clean()
    step.save()
    plan.save(update_fields=["updated_at"])
    return step


@transaction.atomic
def plan_step_update(
    *, plan: InterviewPlan, step_id: int, name: str, kind: str, duration_minutes: int, stage=None
) -> InterviewStep:
    """Rename a step and change its stage, kind and duration."""
    step = _plan_step(step_id=step_id, plan=plan)
    if stage is not None and stage.job_id != plan.job_id:
        raise ValidationError({"stage": "Pick a stage of this job."})
    step.name = name.strip()
    step.kind = kind
    step.duration_minutes = duration_minutes
    step.stage = stage
    step.full_clean()
    step.save()
    plan.save(update_fields=["updated_at"])
    return step


@transaction.atomic
def plan_step_move(*, plan: InterviewPlan, step_id: int, direction: str) -> InterviewStep:
    """Move a step one place up or down."""
    if direction not in ("up", "down"):
        raise ValidationError("A step moves up or down.")
    ordered = list(plan.steps.select_for_update().order_by("order", "id"))
    index = next((i for i, s in enumerate(ordered) if s.pk == step_id), None)
    if index is None:
        raise ValidationError("That step is not part of this plan any more.")
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    _renumber(plan, ordered)
    return ordered[other] if 0 <= other < len(ordered) else ordered[index]


@transaction.atomic
def plan_step_remove(*, plan: InterviewPlan, step_id: int) -> None:
    """Remove a step that has no interviews yet."""
    step = _plan_step(step_id=step_id, plan=plan)
    if step.interviews.exists():
        raise ValidationError(
            f"“{step.name}” already has interviews scheduled, so it stays; rename it or take its competencies away."
        )
    step.delete()
    _renumber(plan, list(plan.steps.order_by("order", "id")))


@transaction.atomic
def plan_step_competency_toggle(*, plan: InterviewPlan, step_id: int, competency_id: int) -> bool:
    """Add a competency of the job's template to a step's focus, or take it away. Returns the new state."""
    step = _plan_step(step_id=step_id, plan=plan)
    if not plan.job.template.competencies.filter(pk=competency_id).exists():
        raise ValidationError("That competency is not part of this job's role template.")
    focus = StepCompetency.objects.filter(step=step, competency_id=competency_id).first()
    if focus is not None:
        focus.delete()
        plan.save(update_fields=["updated_at"])
        return False
    last = step.focus.order_by("-order").values_list("order", flat=True).first()
    focus = StepCompetency(step=step, competency_id=competency_id, order=0 if last is None else last + 1)
    focus.full_clean()
    focus.save()
    plan.save(update_fields=["updated_at"])
    return True


@transaction.atomic
def plan_step_prompts_update(*, plan: InterviewPlan, step_id: int, competency_id: int, prompts: str) -> StepCompetency:
    """Set the question prompts (one per line) a step uses for one of its focus competencies."""
    step = _plan_step(step_id=step_id, plan=plan)
    focus = StepCompetency.objects.filter(step=step, competency_id=competency_id).first()
    if focus is None:
        raise ValidationError("Add the competency to this step before writing prompts for it.")
    focus.prompts = "\n".join(line.rstrip() for line in prompts.strip().splitlines())
    focus.full_clean()
    focus.save(update_fields=["prompts"])
    plan.save(update_fields=["updated_at"])
    return focus


@transaction.atomic
def plan_step_competency_add(
    *, plan: InterviewPlan, step_id: int, competency_id: int, prompts: str = ""
) -> StepCompetency:
    """Put a competency of the job's template in a step's focus (with its prompts); already there: prompts only."""
    step = _plan_step(step_id=step_id, plan=plan)
    if not plan.job.template.competencies.filter(pk=competency_id).exists():
        raise ValidationError("That competency is not part of this job's role template.")
    if not StepCompetency.objects.filter(step=step, competency_id=competency_id).exists():
        plan_step_competency_toggle(plan=plan, step_id=step_id, competency_id=competency_id)
    return plan_step_prompts_update(plan=plan, step_id=step_id, competency_id=competency_id, prompts=prompts)


@transaction.atomic
def plan_step_competency_remove(*, plan: InterviewPlan, step_id: int, competency_id: int) -> None:
    """Take a competency out of a step's focus (nothing to do when it is not there)."""
    _plan_step(step_id=step_id, plan=plan)
    if StepCompetency.objects.filter(step_id=step_id, competency_id=competency_id).exists():
        plan_step_competency_toggle(plan=plan, step_id=step_id, competency_id=competency_id)
