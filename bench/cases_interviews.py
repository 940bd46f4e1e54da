"""Interviews: the scorecard autosave request (budget: 5 queries) and My interviews."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench.main import Case, Context


def _draft_scorecard():
    """A draft scorecard of a demo interviewer, from the demo data or built here when there is none."""
    from hiring.models import Application, Candidate, Job, Stage, User
    from interviews.models import Scorecard
    from interviews.services import interview_schedule, plan_create_default
    from roles.models import Competency, RatingAnchor, RoleTemplate

    interviewer = User.objects.get(email="interviewer@demo.test")
    card = Scorecard.objects.filter(interviewer=interviewer, status="draft", ratings__isnull=False).first()
    if card is not None:
        return card
    template = RoleTemplate.objects.filter(status="published", competencies__isnull=False).first()
    if template is None:
        template = RoleTemplate.objects.create(
            title="Bench role", slug="bench-role", status="published", published_at=timezone.now()
        )
        for i, category in enumerate(["technical", "soft_skill", "leadership", "domain"]):
            competency = Competency.objects.create(template=template, category=category, name=f"Skill {i}", order=i)
            RatingAnchor.objects.bulk_create(
                RatingAnchor(competency=competency, level=level, description=f"Level {level}") for level in range(1, 5)
            )
    job = Job.objects.create(template=template, title=template.title)
    stage = Stage.objects.create(job=job, name="Panel")
    plan = plan_create_default(job=job)
    candidate = Candidate.objects.create(first_name="Bench", last_name="Candidate")
    application = Application.objects.create(candidate=candidate, job=job, stage=stage)
    step = plan.steps.filter(focus__isnull=False).first()
    # A busy interviewer: 60 more interviews over the past and the coming weeks.
    for i in range(61):
        if i:
            candidate = Candidate.objects.create(first_name="Bench", last_name=f"Candidate {i}")
            application = Application.objects.create(candidate=candidate, job=job, stage=stage)
        end = timezone.now() + timedelta(hours=(i - 30) * 12 - 1)
        interview = interview_schedule(
            application=application,
            step=step,
            starts_at=end - timedelta(hours=1),
            ends_at=end,
            interviewers=[interviewer],
            location="Bench room",
        )
        if i == 0:
            first = interview
    return first.scorecards.get(interviewer=interviewer)


def _queries(run) -> int:
    """Queries of one request; the harness's own count misses them (request_started resets the log)."""
    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    request_started.disconnect(reset_queries)
    try:
        with CaptureQueriesContext(connection) as captured:
            run()
    finally:
        request_started.connect(reset_queries)
    return len(captured)


def cases(ctx: Context) -> list[Case]:
    card = _draft_scorecard()
    rating = card.ratings.first()
    client = Client()
    client.force_login(card.interviewer)
    url = reverse("interviews:scorecard-autosave", args=[card.pk])
    client.get(reverse("interviews:scorecard-edit", args=[card.pk]))  # loads the flagged phrases into the cache
    state = {"version": card.version, "n": 0}
    field = f"evidence-{rating.pk}"

    def autosave():
        state["n"] += 1
        response = client.post(
            url,
            {
                "field": field,
                field: f"Explained the trade-offs clearly (edit {state['n']}).",
                "version": state["version"],
            },
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200, response.content
        state["version"] = int(response["X-Scorecard-Version"])
        return response

    my_interviews = reverse("interviews:my-interviews")
    from interviews.models import Scorecard

    count = Scorecard.objects.filter(interviewer=card.interviewer).count()

    def my_page():
        return client.get(my_interviews)

    return [
        Case("scorecard_autosave", autosave, extra={"queries_per_request": _queries(autosave)}),
        Case("my_interviews", my_page, extra={"scorecards": count, "queries_per_request": _queries(my_page)}),
    ]
