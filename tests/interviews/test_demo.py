import io
import random

from hiring import demo as hiring_demo
from interviews import demo
from interviews.models import CompetencyRating, Interview, Scorecard
from tests.hiring.factories import ApplicationFactory, JobFactory, StageFactory
from tests.interviews.factories import competency_with_anchors


def test_demo_without_jobs_does_nothing(db):
    # The step itself: ``seed_demo`` now runs the hiring step first, which opens jobs.
    out = io.StringIO()
    demo.interviews.seed(rng=random.Random(1), candidates=3, users=hiring_demo.seed_users(), stdout=out)
    assert "no jobs yet" in out.getvalue()
    assert not Interview.objects.exists()


def test_demo_adds_interviews_and_scorecards_once(db):
    job = JobFactory()
    StageFactory(job=job, name="Applied", order=0)
    for i, category in enumerate(["technical", "technical", "soft_skill", "leadership", "domain"]):
        competency_with_anchors(template=job.template, name=f"Skill {i}", category=category, order=i)
    ApplicationFactory.create_batch(30, job=job)
    users = hiring_demo.seed_users()

    demo.interviews.seed(rng=random.Random(7), candidates=30, users=users, stdout=io.StringIO())
    counts = (Interview.objects.count(), Scorecard.objects.count(), CompetencyRating.objects.count())
    demo.interviews.seed(rng=random.Random(8), candidates=30, users=users, stdout=io.StringIO())

    assert (Interview.objects.count(), Scorecard.objects.count(), CompetencyRating.objects.count()) == counts
    assert Interview.objects.values("application").distinct().count() == 30
    statuses = set(Scorecard.objects.values_list("status", flat=True))
    assert statuses == {"draft", "submitted"}
    submitted = CompetencyRating.objects.filter(scorecard__status="submitted", rating__isnull=False)
    assert submitted.exclude(evidence="").count() == submitted.count()
    assert len(set(submitted.values_list("rating", flat=True))) == 4
    # Some interviewers disagree by two points or more on the same competency of the same interview.
    by_key: dict = {}
    for interview_id, name, rating in submitted.values_list("scorecard__interview_id", "name", "rating"):
        by_key.setdefault((interview_id, name), []).append(rating)
    assert any(max(r) - min(r) >= 2 for r in by_key.values())
