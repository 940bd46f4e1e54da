"""The demo step that gives demo candidates a résumé: searchable, idempotent, bounded."""

import io
import random

import pytest
from django.core.management import call_command

from hiring.demo import resumes as demo_candidates
from hiring.models import Candidate, Resume
from hiring.selectors import candidate_list
from tests.hiring.factories import CandidateFactory, RecruiterFactory

pytestmark = pytest.mark.django_db


def run(candidates: int = 60) -> None:
    demo_candidates.seed(rng=random.Random(1), candidates=candidates, users={}, stdout=io.StringIO())


def test_gives_some_candidates_a_searchable_resume_and_is_idempotent():
    CandidateFactory.create_batch(12)
    run()
    assert Resume.objects.count() == 6  # one in ten of 60, at least five, only existing candidates
    first = list(Resume.objects.order_by("id").values_list("candidate_id", "text"))
    run()
    assert list(Resume.objects.order_by("id").values_list("candidate_id", "text")) == first
    skill = first[0][1].splitlines()[-1].split(", ")[0]
    found = candidate_list(user=RecruiterFactory(), q=skill).page.object_list
    assert first[0][0] in [candidate.pk for candidate in found]
    assert Candidate.objects.filter(resume_text__contains=skill).exists()


def test_seed_demo_command_runs_the_step():
    out = io.StringIO()
    call_command("seed_demo", candidates=10, stdout=out)
    assert "hiring.demo.resumes.seed" in out.getvalue()
