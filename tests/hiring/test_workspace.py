"""The application page's actions: move, reject, reopen and tag, with and without htmx, and its query budget."""

import pytest
from django.urls import reverse

from hiring.models import Application, OutboxMessage, StageChange, Tag
from tests.hiring.factories import (
    ApplicationFactory,
    EmailTemplateFactory,
    HiringManagerFactory,
    HiringTeamMemberFactory,
    InterviewerFactory,
    NoteFactory,
    RecruiterFactory,
    RejectionReasonFactory,
    StageFactory,
    job_with_stages,
)
from tests.interviews.factories import application_with_scorecards

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def application():
    job = job_with_stages()
    return ApplicationFactory(job=job, stage=job.stages.order_by("order").first())


@pytest.fixture
def recruiter(client):
    user = RecruiterFactory()
    client.force_login(user)
    return user


def url(name, application):
    return reverse(f"hiring:{name}", args=[application.pk])


def test_a_recruiter_moves_rejects_and_reopens_without_javascript(client, recruiter, application):
    second = application.job.stages.order_by("order")[1]
    reason = RejectionReasonFactory(name="Not enough experience")
    response = client.post(url("application-stage", application), {"to_stage": second.pk, "version": 1})
    assert response.status_code == 302
    assert response["Location"] == url("application-detail", application)
    page = client.get(response["Location"]).content.decode()
    assert f"moved to {second.name}" in page

    response = client.post(url("application-reject", application), {"reason": reason.pk, "version": 2})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "rejected"
    assert application.rejection_reason == reason

    response = client.post(url("application-reopen", application), {"reason": "Second look", "version": 3})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "active"
    assert application.rejection_reason is None
    assert application.stage == second
    history = list(application.stage_changes.order_by("created_at", "id").values_list("from_status", "to_status"))
    assert history[-2:] == [("active", "rejected"), ("rejected", "active")]
    page = client.get(url("application-detail", application)).content.decode()
    assert "(reopened)" in page
    assert "Reopened for" in page
    assert "Not enough experience" in page


def test_htmx_answers_the_workspace_with_badges_and_timeline_out_of_band(client, recruiter, application):
    second = application.job.stages.order_by("order")[1]
    response = client.post(url("application-stage", application), {"to_stage": second.pk}, headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="workspace"' in body
    assert 'id="application-status" hx-swap-oob="true"' in body
    assert 'id="timeline"' in body
    assert "Moved from" in body
    assert "<html" not in body


def test_rejecting_with_an_email_queues_it_once(client, recruiter, application):
    template = EmailTemplateFactory()
    reason = RejectionReasonFactory()
    client.post(url("application-reject", application), {"reason": reason.pk, "email_template": template.pk})
    assert OutboxMessage.objects.filter(purpose="rejection", reference=f"application:{application.pk}").count() == 1


def test_tagging_from_the_page(client, recruiter, application):
    response = client.post(url("application-tag", application), {"tag": "  strong   referral "}, headers=HTMX)
    assert "strong referral" in response.content.decode()
    assert list(application.candidate.tags.values_list("name", flat=True)) == ["strong referral"]


def test_a_stage_of_another_job_is_refused_and_nothing_moves(client, recruiter, application):
    other = StageFactory(name="Elsewhere")
    response = client.post(url("application-stage", application), {"to_stage": other.pk, "version": 1})
    assert response.status_code == 400
    assert "Pick one of this job" in response.content.decode()
    application.refresh_from_db()
    assert application.version == 1
    assert not StageChange.objects.filter(application=application, to_stage=other).exists()


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("application-reject", {"reason": "999999"}),
        ("application-reject", {"reason": "abc"}),
        ("application-tag", {"tag": "   "}),
        ("application-stage", {"to_stage": ""}),
    ],
)
def test_bad_input_is_a_form_error_and_writes_nothing(client, recruiter, application, action, data):
    RejectionReasonFactory()
    response = client.post(url(action, application), data)
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.status == "active"
    assert application.version == 1
    assert not Tag.objects.exists()


def test_a_stale_version_is_a_conflict(client, recruiter, application):
    second = application.job.stages.order_by("order")[1]
    Application.objects.filter(pk=application.pk).update(version=5)
    response = client.post(url("application-stage", application), {"to_stage": second.pk, "version": 1})
    assert response.status_code == 409
    application.refresh_from_db()
    assert application.stage != second


def test_reopening_an_active_application_is_refused(client, recruiter, application):
    response = client.post(url("application-reopen", application), {})
    assert response.status_code == 400
    assert "not reopened" in response.content.decode()


def test_who_may_act(client, application):
    stranger_manager = HiringManagerFactory()
    team_manager = HiringManagerFactory()
    HiringTeamMemberFactory(job=application.job, user=team_manager, role="hiring_manager")
    second = application.job.stages.order_by("order")[1]
    for user, status in ((InterviewerFactory(), 404), (stranger_manager, 404), (team_manager, 302)):
        client.force_login(user)
        assert client.post(url("application-stage", application), {"to_stage": second.pk}).status_code == status
    page = client.get(url("application-detail", application)).content.decode()
    assert 'id="move-form"' in page


def full_application(scorecards: int, events: int):
    scored = application_with_scorecards(interviewers=scorecards, competencies=3)
    application = scored.application
    stages = list(application.job.stages.all())
    for _index in range(events // 2):
        StageChange.objects.create(
            application=application, from_stage=stages[0], to_stage=stages[1], from_status="active", to_status="active"
        )
    for _ in range(events - events // 2):
        NoteFactory(candidate=application.candidate, application=application)
    return application


@pytest.mark.parametrize("role", ["recruiter", "manager"])
@pytest.mark.parametrize(("scorecards", "events"), [(2, 5), (20, 50)])
def test_the_application_page_costs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, scorecards, events, role
):
    application = full_application(scorecards, events)
    RejectionReasonFactory()
    user = RecruiterFactory()
    if role == "manager":
        user = HiringManagerFactory()
        HiringTeamMemberFactory(job=application.job, user=user, role="hiring_manager")
    client.force_login(user)
    with django_assert_max_num_queries(15):
        response = client.get(url("application-detail", application))
    assert response.status_code == 200
    assert 'id="move-form"' in response.content.decode()


def test_a_plan_step_link_pre_fills_the_schedule_form(client, recruiter):
    scored = application_with_scorecards(interviewers=1, competencies=1)
    step = scored.interview.step
    page = client.get(url("application-detail", scored.application)).content.decode()
    link = reverse("interviews:schedule", args=[scored.application.pk]) + f"?step={step.pk}"
    assert link in page
    form = client.get(link).content.decode()
    assert f'<option value="{step.pk}" selected>' in form
    assert f'value="{step.duration_minutes}"' in form
    other_job_step = application_with_scorecards(interviewers=1, competencies=1).interview.step
    forged = client.get(reverse("interviews:schedule", args=[scored.application.pk]) + f"?step={other_job_step.pk}")
    assert forged.status_code == 200
    assert f'<option value="{other_job_step.pk}"' not in forged.content.decode()
