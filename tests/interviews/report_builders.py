"""Small, hand-countable data for the reports' tests: applications with a stage history and scorecards.

Rows are written directly (with the times a test needs) rather than through the services:
the reports only read them, and their figures are checked against counts made by hand.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from hiring.models import Application, Candidate, Job, SelfIdentification, Stage, StageChange
from interviews.models import CompetencyRating, Interview, InterviewPlan, InterviewStep, Scorecard
from tests.hiring.factories import InterviewerFactory, JobFactory

STAGES = ("Applied", "Screen", "Interview", "Offer", "Hired")
T0 = timezone.make_aware(datetime(2026, 3, 2, 9, 0))


def report_job(*, title: str = "Report job", family: str = "Engineering", created_at: datetime = T0) -> Job:
    job = JobFactory(title=title, template__family=family)
    Job.objects.filter(pk=job.pk).update(created_at=created_at)
    job.refresh_from_db()
    for order, name in enumerate(STAGES):
        Stage.objects.create(job=job, name=name, order=order)
    return job


def stage(job: Job, name: str) -> Stage:
    return job.stages.get(name=name)


def applicant(
    job: Job,
    *,
    path: list[tuple[str, float]],
    status: str = Application.Status.ACTIVE,
    source: str = "Referral",
    applied_at: datetime = T0,
    self_id: dict[str, str] | None = None,
) -> Application:
    """An application that moved through ``path``: (stage name, days after applying) for each move.

    The first entry is the stage it applied into (its day is normally 0). A hired or rejected
    status is recorded as a last change at the time of its last move.
    """
    candidate = Candidate.objects.create(
        first_name="Ada", last_name=f"Applicant {Candidate.objects.count()}", source=source
    )
    last_name, last_day = path[-1]
    application = Application.objects.create(
        candidate=candidate,
        job=job,
        stage=stage(job, last_name),
        status=status,
        applied_at=applied_at,
        stage_entered_at=applied_at + timedelta(days=last_day),
    )
    previous = None
    for name, day in path:
        to = stage(job, name)
        StageChange.objects.create(
            application=application, from_stage=previous, to_stage=to, created_at=applied_at + timedelta(days=day)
        )
        previous = to
    if status != Application.Status.ACTIVE:
        StageChange.objects.create(
            application=application,
            from_stage=previous,
            to_stage=previous,
            from_status=Application.Status.ACTIVE,
            to_status=status,
            created_at=applied_at + timedelta(days=last_day),
        )
    if self_id is not None:
        SelfIdentification.objects.create(application=application, answers=self_id)
    return application


def interview_of(application: Application, *, ends_at: datetime) -> Interview:
    plan, _ = InterviewPlan.objects.get_or_create(job=application.job)
    step = plan.steps.first() or InterviewStep.objects.create(plan=plan, name="Panel")
    return Interview.objects.create(
        application=application, step=step, starts_at=ends_at - timedelta(hours=1), ends_at=ends_at
    )


def card(
    interview: Interview,
    interviewer,
    *,
    recommendation: int | None = 3,
    submitted_after_hours: float | None = 2,
    ratings: dict[str, int | None] | None = None,
) -> Scorecard:
    """A scorecard submitted that many hours after the interview ended (None: still a draft)."""
    submitted = submitted_after_hours is not None
    scorecard = Scorecard.objects.create(
        interview=interview,
        interviewer=interviewer,
        status=Scorecard.Status.SUBMITTED if submitted else Scorecard.Status.DRAFT,
        overall_recommendation=recommendation,
        submitted_at=interview.ends_at + timedelta(hours=submitted_after_hours) if submitted else None,
    )
    interview.interviewers.add(interviewer)
    for order, (name, value) in enumerate((ratings or {}).items()):
        CompetencyRating.objects.create(scorecard=scorecard, name=name, order=order, rating=value)
    return scorecard


def interviewers(count: int, prefix: str = "Rater") -> list:
    return [InterviewerFactory(first_name=prefix, last_name=f"{chr(65 + i)}") for i in range(count)]


FULL = [("Applied", 0), ("Screen", 1), ("Interview", 3), ("Offer", 8), ("Hired", 10)]


def populate(job, *, size: int, raters):
    """``size`` applications per pattern: hired, rejected at screen, waiting; each with scorecards."""
    for i in range(size):
        genders = ("female", "male")
        hired = applicant(
            job, path=FULL, status=Application.Status.HIRED, self_id={"gender": genders[i % 2]}, source="Referral"
        )
        rejected = applicant(
            job,
            path=[("Applied", 0), ("Screen", 2)],
            status=Application.Status.REJECTED,
            self_id={"gender": genders[(i + 1) % 2]},
        )
        waiting = applicant(job, path=[("Applied", 0)], source="LinkedIn")
        for application in (hired, rejected, waiting):
            interview = interview_of(application, ends_at=T0 + timedelta(days=2))
            for j, rater in enumerate(raters):
                card(
                    interview,
                    rater,
                    recommendation=3 if application is hired else 2,
                    submitted_after_hours=5 + 20 * j,
                    ratings={"System design": 3 if application is hired else 2, "Communication": 1 + (i + j) % 4},
                )
