"""The admin of the hiring models: lists without N+1, read-only history, jobs opened through the service."""

import pytest
from django.urls import reverse

from hiring.models import Job, StageChange
from hiring.services import application_move
from tests.hiring.factories import (
    AdminFactory,
    ApplicationFactory,
    EmailTemplateFactory,
    RejectionReasonFactory,
    job_with_stages,
)
from tests.roles.factories import PublishedTemplateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(AdminFactory())
    return client


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize(
    "model", ["job", "stage", "candidate", "application", "stagechange", "rejectionreason", "emailtemplate", "tag"]
)
def test_changelists_load_in_bounded_queries(admin_client, model, count, django_assert_max_num_queries):
    job = job_with_stages()
    stages = list(job.stages.all())
    for _ in range(count):
        application = ApplicationFactory(job=job, stage=stages[0])
        application_move(application=application, to_stage=stages[1], actor=None)
    RejectionReasonFactory()
    EmailTemplateFactory()

    with django_assert_max_num_queries(15):
        response = admin_client.get(reverse(f"admin:hiring_{model}_changelist"))

    assert response.status_code == 200


def test_search_and_detail_pages(admin_client):
    application = ApplicationFactory(job=job_with_stages(), candidate__last_name="Okafor")

    found = admin_client.get(reverse("admin:hiring_application_changelist") + "?q=Okafor")
    detail = admin_client.get(reverse("admin:hiring_application_change", args=[application.pk]))
    job_page = admin_client.get(reverse("admin:hiring_job_change", args=[application.job_id]))

    assert "Okafor" in found.content.decode()
    assert detail.status_code == 200
    assert job_page.status_code == 200
    assert "Technical interview" in job_page.content.decode()


def test_stage_history_is_read_only(admin_client):
    job = job_with_stages()
    application = ApplicationFactory(job=job, stage=job.stages.first())
    application_move(application=application, to_stage=job.stages.last(), actor=None)
    change = StageChange.objects.get()

    assert admin_client.get(reverse("admin:hiring_stagechange_add")).status_code == 403
    response = admin_client.post(reverse("admin:hiring_stagechange_delete", args=[change.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert StageChange.objects.filter(pk=change.pk).exists()


def test_adding_a_job_in_the_admin_goes_through_the_service(admin_client):
    template = PublishedTemplateFactory()

    response = admin_client.post(
        reverse("admin:hiring_job_add"),
        {
            "template": template.pk,
            "title": "Staff ML Architect",
            "employment_type": "full_time",
            "headcount": 1,
            "status": "open",
            "evidence_required": "on",
        },
    )

    job = Job.objects.get()
    assert response.status_code == 302
    assert job.stages.count() == 6
    assert hasattr(job, "interview_plan")


def test_a_draft_template_is_refused_in_the_admin_form(admin_client):
    from tests.roles.factories import RoleTemplateFactory

    draft = RoleTemplateFactory()

    response = admin_client.post(
        reverse("admin:hiring_job_add"),
        {"template": draft.pk, "title": "Draft job", "employment_type": "full_time", "headcount": 1, "status": "open"},
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Job.objects.exists()
