"""The weekly job digest: its content, sent once per job and week, and the same digest as a page."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from hiring.models import Job, StageChange
from interviews import tasks
from interviews.models import Interview, JobDigest, Scorecard
from interviews.summaries.digest import digest_send, digest_week_start, job_digest
from tests.hiring.factories import (
    AdminFactory,
    HiringManagerFactory,
    HiringTeamMemberFactory,
    InterviewerFactory,
    RecruiterFactory,
    StageFactory,
    UserFactory,
)

from .summary_builders import (
    application_for,
    role_job,
    scorecard,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def week_of_job():
    """A job with: a new applicant, a stage move, an outstanding scorecard, one candidate ready to decide."""
    job, comps, steps = role_job(competencies=2)
    applied = StageFactory(job=job, name="Applied", order=0)
    onsite = StageFactory(job=job, name="Onsite", order=1)
    step = steps["Interview 1"]
    step.stage = onsite
    step.save()
    week = digest_week_start()
    in_week = timezone.now()

    newcomer = application_for(job, stage=applied, applied_at=in_week)
    ready = application_for(job, stage=onsite, applied_at=in_week - timedelta(days=30))
    waiting = application_for(job, stage=onsite, applied_at=in_week - timedelta(days=30))
    StageChange.objects.create(application=ready, from_stage=applied, to_stage=onsite, created_at=in_week)
    scorecard(application=ready, step=step, competencies=comps, ratings={"Architectural design": (3, "ok")})
    late = InterviewerFactory(first_name="Lou", last_name="Late")
    scorecard(
        application=waiting,
        step=step,
        competencies=comps,
        interviewer=late,
        status=Scorecard.Status.DRAFT,
        ratings={"Architectural design": (None, "")},
    )
    recruiter = RecruiterFactory(email="rec@example.test")
    manager = HiringManagerFactory(email="hm@example.test")
    HiringTeamMemberFactory(job=job, user=recruiter, role="recruiter")
    HiringTeamMemberFactory(job=job, user=manager, role="hiring_manager")
    HiringTeamMemberFactory(job=job, user=late, role="interviewer")
    return {"job": job, "week": week, "newcomer": newcomer, "ready": ready, "waiting": waiting, "manager": manager}


def test_digest_lists_the_weeks_applicants_moves_outstanding_scorecards_and_decisions(
    week_of_job, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):
        data = job_digest(job=week_of_job["job"], week=week_of_job["week"])

    assert [a.pk for a in data["new_applicants"]] == [week_of_job["newcomer"].pk]
    assert [m.application_id for m in data["moves"]] == [week_of_job["ready"].pk]
    assert [o["interviewer"] for o in data["outstanding"]] == ["Lou Late"]
    assert [a.pk for a in data["ready"]] == [week_of_job["ready"].pk]


def test_digest_of_another_week_is_empty(week_of_job):
    data = job_digest(job=week_of_job["job"], week=week_of_job["week"] - timedelta(days=14))
    assert data["new_applicants"] == []
    assert data["moves"] == []


def test_digest_is_emailed_to_the_hiring_team_once_per_week(week_of_job, django_capture_on_commit_callbacks):
    job, week = week_of_job["job"], week_of_job["week"]

    with django_capture_on_commit_callbacks(execute=True):  # the outbox delivers after the commit
        assert digest_send(job_id=job.pk, week=week) is True
        assert digest_send(job_id=job.pk, week=week) is False

    # One email per person (nobody sees who else got it), each sent once.
    assert sorted(m.to[0] for m in mail.outbox) == ["hm@example.test", "rec@example.test"]
    for message in mail.outbox:
        assert len(message.to) == 1
        assert "Ready for a decision (1)" in message.body
        assert "Lou Late" in message.body
        assert "Lou Late" in message.alternatives[0].content
    assert JobDigest.objects.get(job=job, week=week).recipients == 2


def test_weekly_job_sends_each_open_job_its_digest_and_is_safe_to_run_twice(
    week_of_job, django_capture_on_commit_callbacks
):
    closed, _, _ = role_job(competencies=1)
    Job.objects.filter(pk=closed.pk).update(status=Job.Status.CLOSED)

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.job_digests_send.delay().get() == 1
        assert tasks.job_digests_send.delay().get() == 0

    assert sorted(m.to[0] for m in mail.outbox) == ["hm@example.test", "rec@example.test"]
    assert JobDigest.objects.get().week == digest_week_start(previous=True)


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 200), ("recruiter", 200), ("manager", 200), ("other_manager", 404), ("interviewer", 404), ("none", 404)],
)
def test_digest_page_for_the_jobs_recruiters_admins_and_hiring_managers(week_of_job, client, who, status):
    user = {
        "admin": AdminFactory,
        "recruiter": RecruiterFactory,
        "manager": lambda: week_of_job["manager"],
        "other_manager": HiringManagerFactory,
        "interviewer": InterviewerFactory,
        "none": UserFactory,
    }[who]()
    client.force_login(user)

    response = client.get(reverse("interviews:job-digest", args=[week_of_job["job"].pk]))

    assert response.status_code == status
    if status == 200:
        assert "Lou Late" in response.content.decode()
        assert "Ready for a decision" in response.content.decode()


def test_digest_page_refuses_a_bad_week_in_place(week_of_job, client):
    client.force_login(RecruiterFactory())
    response = client.get(reverse("interviews:job-digest", args=[week_of_job["job"].pk]), {"week": "next tuesday"})
    assert response.status_code == 400
    assert "Enter a valid date" in response.content.decode()


def test_digest_page_shows_any_week(week_of_job, client, django_assert_max_num_queries):
    client.force_login(RecruiterFactory())
    old_week = week_of_job["week"] - timedelta(days=7)
    with django_assert_max_num_queries(10):
        response = client.get(
            reverse("interviews:job-digest", args=[week_of_job["job"].pk]), {"week": old_week.isoformat()}
        )
    assert response.status_code == 200
    assert "No new applicants this week." in response.content.decode()
    assert Interview.objects.exists()


def test_ready_candidates_carry_their_summary_headline_in_the_digest(week_of_job, django_assert_max_num_queries):
    from interviews.summaries.digest import digest_text
    from interviews.summaries.services import summary_rebuild

    summary_rebuild(application_id=week_of_job["ready"].pk)

    with django_assert_max_num_queries(5):
        data = job_digest(job=week_of_job["job"], week=week_of_job["week"])

    [ready] = data["ready"]
    assert ready.headline["signal"] == "leaning hire"
    assert ready.headline["counts"][0] == "1 scorecard from 1 interviewer"
    assert "leaning hire, low confidence (1 scorecard from 1 interviewer;" in digest_text(data)
