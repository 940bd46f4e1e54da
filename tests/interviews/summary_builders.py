"""Small builders for summary tests: a role, a job with its plan, scorecards with ratings.

They use the models directly (the scorecards engineer's factories replace them once on
main). Ratings are given per competency name: ``{"Architectural design": (3, "evidence")}``;
``None`` as the rating means "not assessed".
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from interviews.models import (
    CompetencyRating,
    Interview,
    InterviewPlan,
    InterviewStep,
    Scorecard,
    StepCompetency,
)
from roles.models import Competency
from tests.hiring.factories import ApplicationFactory, InterviewerFactory, JobFactory
from tests.roles.factories import PublishedTemplateFactory

COMPETENCY_NAMES = [
    ("Architectural design", "technical"),
    ("Model lifecycle management", "technical"),
    ("Technology evaluation", "technical"),
    ("Data management", "technical"),
    ("Cloud and MLOps", "technical"),
    ("Mathematics and statistics", "technical"),
    ("Strategic leadership", "leadership"),
    ("Mentorship", "leadership"),
    ("Cross-functional collaboration", "soft_skill"),
    ("Communication", "soft_skill"),
    ("Ethics and compliance", "domain"),
    ("Industry awareness", "domain"),
]


def role_job(*, competencies: int = 4, weights: list | None = None, steps: list | None = None):
    """A published template with ``competencies`` competencies, a job on it and its interview plan.

    ``steps`` is a list of (step name, [competency indices]); by default one step per two competencies.
    Returns (job, [competency], {step name: step}).
    """
    template = PublishedTemplateFactory()
    comps = []
    for i in range(competencies):
        name, category = COMPETENCY_NAMES[i % len(COMPETENCY_NAMES)]
        if i >= len(COMPETENCY_NAMES):
            name = f"{name} {i // len(COMPETENCY_NAMES) + 1}"
        comps.append(
            Competency.objects.create(
                template=template,
                name=name,
                category=category,
                description=f"What good {name.lower()} looks like.",
                weight=Decimal(str(weights[i])) if weights else Decimal("1"),
                order=i,
            )
        )
    job = JobFactory(template=template)
    plan = InterviewPlan.objects.create(job=job)
    if steps is None:
        steps = [
            (f"Interview {k + 1}", list(range(i, min(i + 2, competencies))))
            for k, i in enumerate(range(0, competencies, 2))
        ]
    by_name = {}
    for order, (name, indices) in enumerate(steps):
        step = InterviewStep.objects.create(plan=plan, name=name, order=order)
        for j, index in enumerate(indices):
            StepCompetency.objects.create(step=step, competency=comps[index], order=j)
        by_name[name] = step
    return job, comps, by_name


def application_for(job, **kwargs):
    return ApplicationFactory(job=job, **kwargs)


def scorecard(
    *,
    application,
    step,
    competencies,
    ratings: dict,
    recommendation: int | None = 3,
    interviewer=None,
    status: str = Scorecard.Status.SUBMITTED,
    submitted_at=None,
    key_takeaways: str = "",
) -> Scorecard:
    """An interview on ``step`` with one scorecard rating ``competencies`` as ``ratings`` says."""
    interviewer = interviewer or InterviewerFactory()
    starts = timezone.now() - timedelta(days=2)
    interview = Interview.objects.create(
        application=application, step=step, starts_at=starts, ends_at=starts + timedelta(minutes=45)
    )
    interview.interviewers.add(interviewer)
    card = Scorecard.objects.create(
        interview=interview,
        interviewer=interviewer,
        status=status,
        overall_recommendation=recommendation,
        key_takeaways=key_takeaways,
        submitted_at=(submitted_at or timezone.now()) if status == Scorecard.Status.SUBMITTED else None,
    )
    by_name = {c.name: c for c in competencies}
    CompetencyRating.objects.bulk_create(
        CompetencyRating(
            scorecard=card,
            competency=by_name[name],
            name=name,
            category=by_name[name].category,
            description=by_name[name].description,
            weight=by_name[name].weight,
            anchors={"1": "Weak", "2": "Some", "3": "Solid", "4": "Outstanding"},
            order=by_name[name].order,
            rating=value[0],
            evidence=value[1],
        )
        for name, value in ratings.items()
    )
    return card
