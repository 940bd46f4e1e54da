"""Feedback summaries: build and rebuild of an application with 8 scorecards x 12 competencies.

Budget (DESIGN.md): at most 10 queries for such a summary. ``bench/summaries_worker``
measures the same build through a real Celery worker on Redis.
"""

import uuid
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from bench.main import Case, Context

SCORECARDS = 8
COMPETENCIES = 12


def new_tag() -> str:
    return uuid.uuid4().hex[:10]


def make_job(tag: str):
    """A published template with 12 competencies, an open job on it and a 4-step plan."""
    from hiring.models import Job, Stage
    from interviews.models import InterviewPlan, InterviewStep, StepCompetency
    from roles.models import Competency, RoleTemplate

    template = RoleTemplate.objects.create(
        title="Bench architect",
        slug=f"bench-summaries-{tag}",
        status=RoleTemplate.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    competencies = Competency.objects.bulk_create(
        Competency(
            template=template,
            category="technical" if i < 6 else "leadership",
            name=f"Competency {i + 1}",
            weight=Decimal(1 + i % 3),
            order=i,
        )
        for i in range(COMPETENCIES)
    )
    job = Job.objects.create(template=template, title=f"Bench architect {tag}")
    stage = Stage.objects.create(job=job, name="Onsite", order=0)
    plan = InterviewPlan.objects.create(job=job)
    steps = [InterviewStep.objects.create(plan=plan, name=f"Step {n + 1}", stage=stage, order=n) for n in range(4)]
    StepCompetency.objects.bulk_create(
        StepCompetency(step=steps[i % 4], competency=c, order=i) for i, c in enumerate(competencies)
    )
    return job, stage, steps, competencies


def make_interviewers(tag: str, count: int = SCORECARDS):
    from hiring.models import User

    return User.objects.bulk_create(
        User(email=f"bench-summaries-{tag}-{i}@example.test", first_name="Bench", last_name=f"Interviewer {i}")
        for i in range(count)
    )


def make_application(job, stage, steps, competencies, interviewers, index: int):
    """An application with one submitted scorecard per interviewer, rating all 12 competencies."""
    from hiring.models import Application, Candidate
    from interviews.models import CompetencyRating, Interview, Scorecard

    candidate = Candidate.objects.create(first_name="Bench", last_name=f"Candidate {index}")
    application = Application.objects.create(candidate=candidate, job=job, stage=stage)
    starts = timezone.now() - timedelta(days=1)
    interviews = Interview.objects.bulk_create(
        Interview(application=application, step=steps[i % 4], starts_at=starts, ends_at=starts + timedelta(hours=1))
        for i in range(len(interviewers))
    )
    Interview.interviewers.through.objects.bulk_create(
        Interview.interviewers.through(interview=interview, user=user)
        for interview, user in zip(interviews, interviewers, strict=True)
    )
    cards = Scorecard.objects.bulk_create(
        Scorecard(
            interview=interview,
            interviewer=user,
            status=Scorecard.Status.SUBMITTED,
            overall_recommendation=1 + (i + index) % 4,
            submitted_at=timezone.now(),
        )
        for i, (interview, user) in enumerate(zip(interviews, interviewers, strict=True))
    )
    CompetencyRating.objects.bulk_create(
        CompetencyRating(
            scorecard=card,
            competency=c,
            name=c.name,
            category=c.category,
            weight=c.weight,
            order=c.order,
            rating=1 + (i + j + index) % 4,
            evidence=f"Evidence {i}-{j}: " + "a concrete example of the work, with the trade-offs named. " * 3,
        )
        for i, card in enumerate(cards)
        for j, c in enumerate(competencies)
    )
    return application


def make_applications(count: int, tag: str | None = None):
    tag = tag or new_tag()
    job, stage, steps, competencies = make_job(tag)
    interviewers = make_interviewers(tag)
    return [make_application(job, stage, steps, competencies, interviewers, i) for i in range(count)]


def cases(ctx: Context) -> list[Case]:
    from django.core.signals import request_started
    from django.db import reset_queries
    from django.test import Client

    from hiring.models import Application
    from interviews.models import ApplicationSummary
    from interviews.summaries.build import summary_build
    from interviews.summaries.services import summary_rebuild
    from tests.hiring.factories import RecruiterFactory

    [application] = make_applications(1)
    application = Application.objects.select_related("job__template", "candidate").get(pk=application.pk)
    summary_rebuild(application_id=application.pk)

    def rebuild_changed():
        ApplicationSummary.objects.filter(application=application).update(fingerprint="")
        summary_rebuild(application_id=application.pk)

    def get_fragment():
        # Django resets the query log when a request starts, which would hide this request's
        # queries from bench.main's counter; keep the log for the duration of the request.
        request_started.disconnect(reset_queries)
        try:
            return client.get(fragment)
        finally:
            request_started.connect(reset_queries)

    client = Client()
    client.force_login(RecruiterFactory(email=f"bench-summaries-recruiter-{new_tag()}@example.test"))
    fragment = f"/interviews/applications/{application.pk}/summary/"
    return [
        Case("summary_build_8x12", lambda: summary_build(application=application), extra={"budget_queries": 10}),
        Case("summary_rebuild_8x12_unchanged", lambda: summary_rebuild(application_id=application.pk)),
        Case("summary_rebuild_8x12_changed", rebuild_changed, extra={"note": "includes 1 UPDATE to force a rebuild"}),
        Case("summary_panel_fragment_8x12", get_fragment),
    ]
