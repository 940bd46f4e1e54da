"""Factories for interview plans, interviews, scorecards and ratings.

Scorecards are made, filled and submitted by the scorecard services, as an interviewer's
would be (``scorecards_create_for``, ``scorecard_save``, ``scorecard_submit``): their
status, version and submission time are never written here.

``application_with_scorecards(interviewers=N, competencies=M)`` builds a whole
application with N interviewers' submitted scorecards over M competencies, which is
what summaries, the feedback panel and the board need most often.
"""

from dataclasses import dataclass, field
from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from interviews.models import (
    CompetencyRating,
    FlaggedPhrase,
    Interview,
    InterviewPlan,
    InterviewStep,
    Scorecard,
    StepCompetency,
)
from interviews.services import scorecard_save, scorecard_submit, scorecards_create_for
from interviews.services.scorecards import NOT_ASSESSED
from roles.models import Competency, RatingAnchor
from tests.hiring.factories import ApplicationFactory, InterviewerFactory, JobFactory, StageFactory
from tests.roles.factories import CompetencyFactory

ANCHOR_TEXT = {
    1: "Could not show this even with help.",
    2: "Showed parts of it, with gaps that matter for the role.",
    3: "Showed it clearly on the problems we discussed.",
    4: "Showed it at a level that would raise the team's bar.",
}


def competency_with_anchors(*, template, **kwargs) -> Competency:
    """A competency of ``template`` with an anchor for each of the four levels."""
    competency = CompetencyFactory(template=template, **kwargs)
    RatingAnchor.objects.bulk_create(
        RatingAnchor(competency=competency, level=level, description=f"{competency.name}: {text}")
        for level, text in ANCHOR_TEXT.items()
    )
    return competency


class InterviewPlanFactory(DjangoModelFactory):
    class Meta:
        model = InterviewPlan
        django_get_or_create = ("job",)

    job = factory.SubFactory(JobFactory)


class InterviewStepFactory(DjangoModelFactory):
    """A plan step; ``competencies=[...]`` (post-generation) sets its focus competencies."""

    class Meta:
        model = InterviewStep
        skip_postgeneration_save = True

    plan = factory.SubFactory(InterviewPlanFactory)
    name = factory.Sequence(lambda n: f"Interview step {n}")
    stage = None
    kind = InterviewStep.Kind.VIDEO
    duration_minutes = 45
    order = factory.Sequence(lambda n: n)

    @factory.post_generation
    def competencies(self, create, extracted, **kwargs):
        if create and extracted:
            StepCompetency.objects.bulk_create(
                StepCompetency(step=self, competency=c, order=i, prompts=f"Tell me about a time you used {c.name}.")
                for i, c in enumerate(extracted)
            )


class InterviewFactory(DjangoModelFactory):
    """An interview of an application; ``interviewers=[...]`` (post-generation) adds them."""

    class Meta:
        model = Interview
        skip_postgeneration_save = True

    application = factory.SubFactory(ApplicationFactory)
    step = factory.LazyAttribute(lambda o: InterviewStepFactory(plan=InterviewPlanFactory(job=o.application.job)))
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(minutes=45))
    location = "Room 4"
    video_url = ""

    @factory.post_generation
    def interviewers(self, create, extracted, **kwargs):
        if create and extracted:
            self.interviewers.add(*extracted)


EVIDENCE = "Walked through a concrete example and explained the trade-offs they made."


def scorecard_fill(
    card: Scorecard,
    *,
    ratings: list[int | None] | None = None,
    evidence: str = EVIDENCE,
    recommendation: int | None = None,
    key_takeaways: str = "",
) -> Scorecard:
    """Fill a draft through ``scorecard_save``: ``ratings[j]`` for its j-th competency (None: not assessed)."""
    data = {"key_takeaways": key_takeaways}
    if recommendation is not None:
        data["overall_recommendation"] = str(recommendation)
    for j, row in enumerate(card.ratings.order_by("order", "id")):
        value = ratings[j] if ratings is not None else 3
        data[f"rating-{row.pk}"] = NOT_ASSESSED if value is None else str(value)
        data[f"evidence-{row.pk}"] = evidence if value is not None else ""
    return scorecard_save(scorecard_id=card.pk, user=card.interviewer, data=data, version=card.version)


def scorecard_submitted(card: Scorecard, *, recommendation: int = 3, **fill) -> Scorecard:
    """Fill a draft and submit it through the services (the summary is requested as on a real submit)."""
    scorecard_fill(card, recommendation=recommendation, **fill)
    return scorecard_submit(scorecard_id=card.pk, user=card.interviewer)


class ScorecardFactory(DjangoModelFactory):
    """A draft, made by the service that creates an interview's scorecards (ratings copy the step's focus)."""

    class Meta:
        model = Scorecard

    interview = factory.SubFactory(InterviewFactory)
    interviewer = factory.SubFactory(InterviewerFactory)

    @classmethod
    def _create(cls, model_class, *, interview, interviewer, **fields):
        if fields:
            raise TypeError(f"Set {', '.join(sorted(fields))} through the scorecard services, not the factory.")
        interview.interviewers.add(interviewer)
        return scorecards_create_for(interview=interview, interviewers=[interviewer])[0]


class SubmittedScorecardFactory(ScorecardFactory):
    """A scorecard filled and submitted through ``scorecard_save`` and ``scorecard_submit``."""

    overall_recommendation = 3
    key_takeaways = "Clear thinker; solid on the fundamentals we probed."

    @classmethod
    def _create(cls, model_class, *, overall_recommendation, key_takeaways, **fields):
        card = super()._create(model_class, **fields)
        return scorecard_submitted(card, recommendation=overall_recommendation, key_takeaways=key_takeaways)


class CompetencyRatingFactory(DjangoModelFactory):
    class Meta:
        model = CompetencyRating

    scorecard = factory.SubFactory(ScorecardFactory)
    competency = None
    name = factory.Sequence(lambda n: f"Competency snapshot {n}")
    category = Competency.Category.TECHNICAL
    description = "Builds things that work."
    weight = 1
    anchors = factory.LazyFunction(lambda: {str(level): text for level, text in ANCHOR_TEXT.items()})
    order = factory.Sequence(lambda n: n)
    rating = None
    evidence = ""


class FlaggedPhraseFactory(DjangoModelFactory):
    class Meta:
        model = FlaggedPhrase
        django_get_or_create = ("phrase",)

    phrase = factory.Sequence(lambda n: f"flagged phrase {n}")
    reason = "Not about the work the role needs."


@dataclass
class ScoredApplication:
    """What ``application_with_scorecards`` built, for assertions."""

    application: object
    job: object
    competencies: list = field(default_factory=list)
    interviewers: list = field(default_factory=list)
    interview: object = None
    scorecards: list = field(default_factory=list)


def application_with_scorecards(
    *,
    interviewers: int = 3,
    competencies: int = 4,
    ratings: list[list[int | None]] | None = None,
    recommendations: list[int] | None = None,
    status: str = Scorecard.Status.SUBMITTED,
    job=None,
    evidence: str = EVIDENCE,
) -> ScoredApplication:
    """An application with one interview, ``interviewers`` scorecards over ``competencies``.

    ``ratings[i][j]`` is interviewer i's rating of competency j (default: varied 1..4 with
    some disagreement); ``recommendations[i]`` their overall recommendation.
    """
    job = job or JobFactory()
    if not job.stages.exists():
        StageFactory(job=job, name="Applied", order=0)
        StageFactory(job=job, name="Panel", order=1)
    comps = [
        competency_with_anchors(
            template=job.template,
            name=f"Competency {i + 1} of {job.pk}",
            category=[c for c, _ in Competency.Category.choices][i % 4],
            weight=1 + (i % 3) * 0.5,
            order=i,
        )
        for i in range(competencies)
    ]
    step = InterviewStepFactory(plan=InterviewPlanFactory(job=job), name="Panel interview", competencies=comps)
    application = ApplicationFactory(job=job)
    people = InterviewerFactory.create_batch(interviewers)
    interview = InterviewFactory(application=application, step=step, interviewers=people)
    submitted = status == Scorecard.Status.SUBMITTED
    cards = []
    for i, card in enumerate(scorecards_create_for(interview=interview, interviewers=people)):
        fill = {
            "ratings": ratings[i] if ratings else [((i + j) % 4) + 1 for j in range(len(comps))],
            "evidence": evidence,
            "key_takeaways": f"Takeaways from interviewer {i + 1}." if submitted else "",
        }
        if submitted:
            recommendation = recommendations[i] if recommendations else (4 if i % 2 == 0 else 2)
            card = scorecard_submitted(card, recommendation=recommendation, **fill)
        else:
            card = scorecard_fill(card, **fill)
        cards.append(card)
    return ScoredApplication(
        application=application,
        job=job,
        competencies=comps,
        interviewers=people,
        interview=interview,
        scorecards=cards,
    )
