"""The demo step of the pipeline: jobs, candidates spread over stages, history; idempotent."""

import io
import random

import pytest
from django.core.management import call_command

from hiring import demo
from hiring.models import Application, Candidate, Job, Note, StageChange

pytestmark = pytest.mark.django_db


def run_seed(candidates: int) -> str:
    out = io.StringIO()
    demo.pipeline.seed(rng=random.Random(3), candidates=candidates, users=demo.seed_users(), stdout=out)
    return out.getvalue()


def test_seed_creates_jobs_candidates_and_history_and_is_idempotent():
    run_seed(400)
    counts = (Job.objects.count(), Candidate.objects.count(), Application.objects.count(), StageChange.objects.count())

    second = run_seed(400)

    assert counts[:2] == (3, 400)
    assert (Job.objects.count(), Candidate.objects.count(), Application.objects.count()) == counts[:3]
    assert StageChange.objects.count() == counts[3]
    assert "nothing to do" in second
    big = Job.objects.get(title=demo.BIG_JOB)
    assert big.stages.count() == 6
    assert {m.user.email for m in big.team.select_related("user")} >= {"recruiter@demo.test", "manager@demo.test"}
    assert Application.objects.filter(job=big, status="active").values("stage").distinct().count() >= 4
    assert Application.objects.filter(status="rejected", rejection_reason__isnull=True).count() == 0
    assert Note.objects.exists()


def test_the_big_job_gets_a_tenth_of_the_candidates_as_active_applications():
    run_seed(3000)

    big = Job.objects.get(title=demo.BIG_JOB)
    assert Application.objects.filter(job=big, status="active").count() == 300


def test_history_leads_to_each_application_stage():
    run_seed(200)

    for application in Application.objects.filter(status="active").prefetch_related("stage_changes")[:50]:
        changes = sorted(application.stage_changes.all(), key=lambda c: (c.created_at, c.id))
        if changes:
            assert changes[-1].to_stage_id == application.stage_id
        else:
            assert application.stage.order == 0


def test_seed_demo_command_runs_the_step():
    out = io.StringIO()

    call_command("seed_demo", candidates=50, stdout=out)

    assert "hiring.demo.seed" in out.getvalue()
    assert Candidate.objects.count() == 50
