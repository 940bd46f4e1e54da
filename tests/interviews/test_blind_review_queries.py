"""Blind review costs no query per row: the lists of a blind job keep fixed query counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hiring.blind import candidate_label
from hiring.services import application_create
from interviews.services import interview_schedule
from tests.hiring.factories import CandidateFactory, job_with_stages


def _world(users, count, django_capture_on_commit_callbacks):
    job = job_with_stages(title="Data Platform Lead", blind_review=True, team=[(users["manager"], "hiring_manager")])
    step = job.interview_plan.steps.order_by("order").first()
    applications = []
    for _ in range(count):
        application = application_create(candidate=CandidateFactory(), job=job, actor=users["recruiter"])
        start = timezone.now() + timedelta(days=1)
        with django_capture_on_commit_callbacks(execute=False):
            interview_schedule(
                application=application,
                step=step,
                starts_at=start,
                ends_at=start + timedelta(hours=1),
                interviewers=[users["interviewer"]],
                created_by=users["recruiter"],
            )
        applications.append(application)
    return job, applications


@pytest.mark.parametrize("count", [1, 10])
def test_blind_lists_keep_their_query_counts(
    client, users, count, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    job, applications = _world(users, count, django_capture_on_commit_callbacks)
    pages = {
        "board": ("manager", reverse("hiring:board", args=[job.pk]), 14),
        "candidates": ("manager", reverse("hiring:candidate-list"), 10),
        "my interviews": ("interviewer", reverse("interviews:my-interviews"), 5),
        "digest": ("manager", reverse("interviews:job-digest", args=[job.pk]), 8),
    }
    for name, (role, url, budget) in pages.items():
        client.force_login(users[role])
        with django_assert_max_num_queries(budget):
            body = client.get(url).content.decode()
        assert candidate_label(applications[-1].pk) in body, name
        assert applications[-1].candidate.last_name not in body, name
