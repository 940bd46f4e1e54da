"""Every write of the interviews app."""

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
        step = plan.steps.order_by("-order").first()
        StepCompetency.objects.bulk_create(
            StepCompetency(step=step, competency=c, order=100 + i) for i, c in enumerate(leftover)
        )
    return plan
