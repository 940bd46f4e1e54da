from datetime import timedelta

import pytest
from django.utils import timezone

from interviews import services
from tests.hiring.factories import (
    AdminFactory,
    ApplicationFactory,
    HiringManagerFactory,
    HiringTeamMemberFactory,
    InterviewerFactory,
    JobFactory,
    RecruiterFactory,
    StageFactory,
    UserFactory,
)
from tests.interviews.factories import InterviewPlanFactory, InterviewStepFactory, competency_with_anchors


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    from tests.conftest import no_webhook_endpoints

    cache.clear()
    no_webhook_endpoints()
    yield
    cache.clear()


@pytest.fixture
def job(db):
    job = JobFactory()
    StageFactory(job=job, name="Applied", order=0)
    StageFactory(job=job, name="Panel", order=1)
    return job


@pytest.fixture
def competencies(job):
    return [
        competency_with_anchors(template=job.template, name="System design", category="technical", order=0),
        competency_with_anchors(template=job.template, name="Communication", category="soft_skill", order=1),
        competency_with_anchors(template=job.template, name="Mentoring", category="leadership", order=2),
    ]


@pytest.fixture
def step(job, competencies):
    return InterviewStepFactory(plan=InterviewPlanFactory(job=job), name="Panel", competencies=competencies[:2])


@pytest.fixture
def people(job):
    """One user per role; the hiring manager is on the job's team."""
    manager = HiringManagerFactory()
    HiringTeamMemberFactory(job=job, user=manager, role="hiring_manager")
    return {
        "admin": AdminFactory(),
        "recruiter": RecruiterFactory(),
        "manager": manager,
        "other_manager": HiringManagerFactory(),
        "alice": InterviewerFactory(first_name="Alice"),
        "bob": InterviewerFactory(first_name="Bob"),
        "outsider": InterviewerFactory(first_name="Olga"),
        "nobody": UserFactory(),
    }


@pytest.fixture
def interview(job, step, people, django_capture_on_commit_callbacks):
    application = ApplicationFactory(job=job)
    with django_capture_on_commit_callbacks(execute=False):
        return services.interview_schedule(
            application=application,
            step=step,
            starts_at=timezone.now() - timedelta(hours=4),
            ends_at=timezone.now() - timedelta(hours=3),
            interviewers=[people["alice"], people["bob"]],
            location="Room 4",
            created_by=people["recruiter"],
        )


@pytest.fixture
def alice_card(interview, people):
    return interview.scorecards.get(interviewer=people["alice"])


@pytest.fixture
def bob_card(interview, people):
    return interview.scorecards.get(interviewer=people["bob"])


def fill(card, *, rating=3, evidence="Explained the sharding trade-offs with numbers.", overall=3):
    """Complete a draft through the whole-form service."""
    data = {"overall_recommendation": str(overall), "key_takeaways": "Strong on fundamentals."}
    for r in card.ratings.all():
        data[f"rating-{r.pk}"] = str(rating)
        data[f"evidence-{r.pk}"] = evidence
    card.refresh_from_db()
    return services.scorecard_save(scorecard_id=card.pk, user=card.interviewer, data=data, version=card.version)


def submit(card, **kwargs):
    fill(card, **kwargs)
    return services.scorecard_submit(scorecard_id=card.pk, user=card.interviewer)
