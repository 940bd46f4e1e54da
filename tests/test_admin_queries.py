"""Admin pages cost the same number of queries whatever the amount of data (pinned at two sizes).

Each page is measured on a small world and again after a larger one is added; the counts
must be equal and within the page's budget. A page whose count grows with its rows has an
N+1 (a missing ``list_select_related``, ``select_related`` in a ``get_queryset`` or a
``formfield_for_*``, or a select box listing a whole table instead of a raw-id/autocomplete).
"""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hiring import services as hiring_services
from hiring.models import (
    EmailTemplate,
    OfferApprover,
    OfferLetterTemplate,
    RejectionReason,
    Tag,
    WebhookAttempt,
    WebhookEndpoint,
)
from hiring.services import offers as offer_services
from interviews import services as interview_services
from interviews.models import FlaggedPhrase, InterviewStep
from tests.hiring.factories import CandidateFactory, InterviewerFactory, job_with_stages, offer_terms
from tests.interviews.conftest import submit
from tests.roles.factories import make_published_template

pytestmark = pytest.mark.django_db

SMALL, LARGE = 2, 12


def build_world(size: int, tag: str, *, admin) -> dict[str, int]:
    """``size`` of everything the admin lists, written through the services; the ids of one of each."""
    template = make_published_template(competencies=size, slug=f"role-{tag}", title=f"Role {tag}")
    job = job_with_stages(template=template, title=f"Job {tag}", created_by=admin)
    people = [InterviewerFactory() for _ in range(size)]
    for person in people:
        hiring_services.team_member_add(job=job, user=person, role="interviewer")
    for i in range(size):
        hiring_services.stage_create(job=job, name=f"Extra {tag} {i}")
    stages = list(job.stages.order_by("order", "id"))
    applications = []
    for i in range(size):
        application = hiring_services.application_create(candidate=CandidateFactory(), job=job, actor=admin)
        for stage in stages[1 : 1 + size]:
            application = hiring_services.application_move(application=application, to_stage=stage, actor=admin)
        applications.append(application)
        Tag.objects.create(name=f"tag {tag} {i}")
        RejectionReason.objects.create(name=f"reason {tag} {i}")
        EmailTemplate.objects.create(name=f"template {tag} {i}", subject="Hello", body="Thanks.")
        FlaggedPhrase.objects.create(phrase=f"phrase {tag} {i}", reason="Not job-related.")
    plan = job.interview_plan
    for i in range(size):
        interview_services.plan_step_add(plan=plan, name=f"Step {tag} {i}", stage=stages[-1])
    step = InterviewStep.objects.filter(plan=plan, focus__isnull=False).order_by("order").first()
    for competency in template.competencies.all():
        interview_services.plan_step_competency_add(plan=plan, step_id=step.pk, competency_id=competency.pk)
    interviews = []
    for application in applications:
        start = timezone.now() - timedelta(hours=3)
        interviews.append(
            interview_services.interview_schedule(
                application=application,
                step=step,
                starts_at=start,
                ends_at=start + timedelta(hours=1),
                interviewers=people,
                created_by=admin,
            )
        )
    card = interviews[0].scorecards.order_by("id").first()
    submit(card)
    for _ in range(size):  # revisions of the same card
        interview_services.scorecard_amend(scorecard_id=card.pk, user=card.interviewer)
        submit(card)
    interview_services.interview_invitations_send(interview_id=interviews[0].pk)
    for i, application in enumerate(applications):
        letter = OfferLetterTemplate.objects.create(name=f"letter {tag} {i}", body="Dear {{ first_name }}")
        offer_services.offer_create(
            application=application, actor=admin, **offer_terms(base_salary=100_000 + i, letter_template=letter)
        )
    OfferApprover.objects.create(user=people[0])
    endpoints = [
        hiring_services.webhooks.webhook_endpoint_save(
            endpoint=WebhookEndpoint(url=f"https://hooks.example.test/{tag}/{i}", events=["application.moved"])
        )
        for i in range(size)
    ]
    deliveries = hiring_services.webhooks.webhook_emit_many(
        events=[("application.moved", {"application_id": a.pk}) for a in applications]
    )
    for pk in deliveries:
        for code in range(size):
            WebhookAttempt.objects.create(delivery_id=pk, status_code=500 + code, duration_ms=12)
    for i in range(size):
        hiring_services.api_token_create(user=people[i], name=f"token {tag} {i}")
    return {
        "webhookendpoint": endpoints[0].pk,
        "webhookdelivery": deliveries[0],
        "roletemplate": template.pk,
        "competency": template.competencies.first().pk,
        "user": people[0].pk,
        "job": job.pk,
        "stage": stages[0].pk,
        "candidate": applications[0].candidate_id,
        "application": applications[0].pk,
        "interviewplan": plan.pk,
        "interviewstep": step.pk,
        "interview": interviews[0].pk,
        "scorecard": card.pk,
    }


APPS = {
    "roletemplate": "roles",
    "competency": "roles",
    "user": "hiring",
    "job": "hiring",
    "stage": "hiring",
    "candidate": "hiring",
    "application": "hiring",
    "stagechange": "hiring",
    "tag": "hiring",
    "rejectionreason": "hiring",
    "emailtemplate": "hiring",
    "flaggedphrase": "interviews",
    "interviewplan": "interviews",
    "interviewstep": "interviews",
    "interview": "interviews",
    "scorecard": "interviews",
    "interviewinvitation": "interviews",
    "offer": "hiring",
    "offerlettertemplate": "hiring",
    "offerapprover": "hiring",
    "apitoken": "hiring",
    "webhookendpoint": "hiring",
    "webhookdelivery": "hiring",
}
# Pinned at what the pages cost today (a session, the user, permissions, then the page's own reads).
CHANGELIST_BUDGETS = {
    "roletemplate": 8,
    "competency": 6,
    "user": 7,
    "job": 6,
    "stage": 6,
    "candidate": 8,
    "application": 6,
    "stagechange": 6,
    "tag": 6,
    "rejectionreason": 6,
    "emailtemplate": 6,
    "flaggedphrase": 6,
    "interviewplan": 6,
    "interviewstep": 6,
    "interview": 8,
    "scorecard": 6,
    "interviewinvitation": 6,
    "offer": 6,
    "offerlettertemplate": 6,
    "offerapprover": 6,
    "apitoken": 6,
    "webhookendpoint": 6,
    "webhookdelivery": 9,  # the date hierarchy reads the dates' range
}
CHANGE_PAGE_BUDGETS = {
    "roletemplate": 12,
    "competency": 11,
    "user": 7,
    "job": 15,
    "stage": 6,
    "candidate": 6,
    "application": 9,
    "interviewplan": 9,
    "interviewstep": 11,
    "interview": 11,
    "scorecard": 7,
    "webhookendpoint": 6,
    "webhookdelivery": 7,
}


def count_queries(client, url: str) -> int:
    ContentType.objects.clear_cache()  # the same start for every page (it caches per process)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries)


def measure_pages(client, world: dict[str, int]) -> dict[str, int]:
    counts = {}
    for model, app in APPS.items():
        counts[f"{model} list"] = count_queries(client, reverse(f"admin:{app}_{model}_changelist"))
    for model in CHANGE_PAGE_BUDGETS:
        url = reverse(f"admin:{APPS[model]}_{model}_change", args=[world[model]])
        counts[f"{model} page"] = count_queries(client, url)
    return counts


def test_admin_pages_cost_the_same_queries_at_two_sizes(admin_client):
    """Every list and change page, measured once on a small world and once after a larger one is added.

    One test for all pages: building the worlds is what costs time, so it is done once.
    """
    small = measure_pages(admin_client, build_world(SMALL, "small", admin=admin_client.user))
    large = measure_pages(admin_client, build_world(LARGE, "large", admin=admin_client.user))

    grown = {page: (small[page], large[page]) for page in small if small[page] != large[page]}
    assert grown == {}, f"queries grew with the data (small, large): {grown}"
    over = {
        page: count
        for page, count in large.items()
        if count > (CHANGE_PAGE_BUDGETS if page.endswith(" page") else CHANGELIST_BUDGETS)[page.split()[0]]
    }
    assert over == {}, f"over budget: {over}"
