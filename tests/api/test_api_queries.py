"""Every list endpoint costs the same few queries whatever the amount of data (pinned at two sizes)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hiring.services import application_create
from interviews.models import ApplicationSummary, Scorecard
from interviews.services import interview_schedule
from tests.api.conftest import token_client
from tests.hiring.factories import CandidateFactory, TagFactory, job_with_stages
from tests.interviews.factories import scorecard_submitted

pytestmark = pytest.mark.django_db

LIST_ENDPOINTS = [
    "/api/v1/jobs/",
    "/api/v1/candidates/",
    "/api/v1/applications/",
    "/api/v1/interviews/",
    "/api/v1/scorecards/",
    "/api/v1/summaries/",
    "/api/v1/role-templates/",
]
BUDGET = 10  # queries per list page, whatever the number of rows


def add_world(size: int, tag: str, users) -> None:
    """``size`` jobs, each with ``size`` applications interviewed by both interviewers (submitted)."""
    for j in range(size):
        job = job_with_stages(title=f"Job {tag} {j}")
        job.team.create(user=users["manager"], role="hiring_manager")
        step = job.interview_plan.steps.order_by("order").first()
        for _ in range(size):
            candidate = CandidateFactory()
            candidate.tags.add(TagFactory())
            application = application_create(candidate=candidate, job=job, actor=users["recruiter"])
            start = timezone.now() - timedelta(hours=3)
            interview = interview_schedule(
                application=application,
                step=step,
                starts_at=start,
                ends_at=start + timedelta(hours=1),
                interviewers=[users["interviewer"], users["interviewer2"]],
                created_by=users["recruiter"],
            )
            for card in Scorecard.objects.filter(interview=interview):
                scorecard_submitted(card)
            ApplicationSummary.objects.get_or_create(application=application)


def measure(client) -> dict[str, int]:
    counts = {}
    for url in LIST_ENDPOINTS:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"page_size": 50})
        assert response.status_code in (200, 403), (url, response.status_code)
        counts[url] = len(queries.captured_queries)
    return counts


@pytest.mark.parametrize("role", ["admin", "manager", "interviewer"])
def test_list_endpoints_cost_the_same_queries_at_two_sizes(users, role, django_capture_on_commit_callbacks):
    client = token_client(users[role])
    with django_capture_on_commit_callbacks(execute=False):  # no invitation emails, no summary builds
        add_world(2, "small", users)
    client.get("/api/v1/jobs/")  # the token's first use writes its last-used time (once a minute)
    small = measure(client)
    with django_capture_on_commit_callbacks(execute=False):
        add_world(5, "large", users)
    large = measure(client)

    assert {url: (small[url], large[url]) for url in small if small[url] != large[url]} == {}
    assert {url: count for url, count in large.items() if count > BUDGET} == {}
