import pytest
from django.urls import reverse

from interviews import services
from interviews.models import InterviewPlan, InterviewStep, StepCompetency
from tests.hiring.factories import StageFactory

HX = {"HTTP_HX_REQUEST": "true"}


def url(name, job, *args):
    return reverse(f"interviews:{name}", args=[job.pk, *args])


def test_default_plan_covers_every_competency(job, competencies):
    plan = services.plan_create_default(job=job)
    covered = set(StepCompetency.objects.filter(step__plan=plan).values_list("competency_id", flat=True))
    assert covered == {c.pk for c in competencies}
    assert services.plan_create_default(job=job) == plan  # idempotent


def test_plan_page_shows_steps_and_uncovered_competencies(client, people, job, step, competencies):
    client.force_login(people["recruiter"])
    body = client.get(url("plan", job)).content.decode()
    assert "No step covers:" in body
    assert "Mentoring" in body.split("No step covers:")[1].split("</div>")[0]
    assert 'value="Panel"' in body


def test_recruiter_edits_the_plan_inline(client, people, job, step, competencies):
    client.force_login(people["recruiter"])
    panel = StageFactory(job=job, name="Onsite", order=3)
    response = client.post(
        url("plan-step-add", job), {"name": "Take-home review", "kind": "take_home", "duration_minutes": 30}, **HX
    )
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    new = InterviewStep.objects.get(name="Take-home review")
    client.post(
        url("plan-step-update", job, new.pk),
        {"name": "Code review", "kind": "video", "duration_minutes": 40, "stage": panel.pk},
        **HX,
    )
    new.refresh_from_db()
    assert (new.name, new.kind, new.duration_minutes, new.stage) == ("Code review", "video", 40, panel)
    client.post(url("plan-step-move", job, new.pk), {"direction": "up"}, **HX)
    assert list(InterviewPlan.objects.get(job=job).steps.values_list("name", flat=True)) == ["Code review", "Panel"]
    response = client.post(url("plan-competency-toggle", job, new.pk, competencies[2].pk), **HX)
    assert "Every competency of the role is covered" in response.content.decode()
    client.post(url("plan-prompts", job, new.pk, competencies[2].pk), {"prompts": "Who did you mentor?\nHow?"}, **HX)
    assert StepCompetency.objects.get(step=new, competency=competencies[2]).prompts == "Who did you mentor?\nHow?"
    client.post(url("plan-competency-toggle", job, new.pk, competencies[2].pk), **HX)
    assert not StepCompetency.objects.filter(step=new, competency=competencies[2]).exists()
    client.post(url("plan-step-remove", job, new.pk), **HX)
    assert not InterviewStep.objects.filter(pk=new.pk).exists()


def test_a_step_with_interviews_cannot_be_removed_and_says_why_in_place(client, people, job, interview):
    client.force_login(people["recruiter"])
    response = client.post(url("plan-step-remove", job, interview.step_id), **HX)
    assert response.status_code == 200
    assert "already has interviews scheduled" in response.content.decode()
    assert InterviewStep.objects.filter(pk=interview.step_id).exists()


def test_bad_step_input_is_answered_in_place(client, people, job, step):
    client.force_login(people["recruiter"])
    response = client.post(url("plan-step-update", job, step.pk), {"name": "", "kind": "x", "duration_minutes": 1})
    assert response.status_code == 422
    assert "Minutes: Ensure this value is greater than or equal to 5." in response.content.decode()
    step.refresh_from_db()
    assert step.name == "Panel"


def test_competency_of_another_template_cannot_be_added(client, people, job, step):
    from tests.roles.factories import CompetencyFactory

    foreign = CompetencyFactory()
    client.force_login(people["recruiter"])
    response = client.post(url("plan-competency-toggle", job, step.pk, foreign.pk), **HX)
    assert "not part of this job" in response.content.decode()
    assert not StepCompetency.objects.filter(competency=foreign).exists()


def test_hiring_manager_of_the_job_reads_but_cannot_edit(client, people, job, step):
    client.force_login(people["manager"])
    page = client.get(url("plan", job))
    assert page.status_code == 200
    assert "read only" in page.content.decode()
    assert "<form" not in page.content.decode().split('id="plan"')[1]
    response = client.post(
        url("plan-step-update", job, step.pk), {"name": "Hacked", "kind": "video", "duration_minutes": 30}
    )
    assert response.status_code == 404
    step.refresh_from_db()
    assert step.name == "Panel"


@pytest.mark.parametrize("who", ["alice", "other_manager", "nobody"])
def test_plan_is_404_for_people_outside_the_job(client, people, job, step, who):
    client.force_login(people[who])
    assert client.get(url("plan", job)).status_code == 404
    assert client.post(url("plan-step-remove", job, step.pk)).status_code == 404


def test_admin_creates_a_missing_plan(client, people, job, competencies):
    client.force_login(people["admin"])
    assert "Create the default plan" in client.get(url("plan", job)).content.decode()
    response = client.post(url("plan-create", job))
    assert response.status_code == 302
    assert InterviewPlan.objects.filter(job=job).exists()


def test_plan_page_queries_do_not_grow_with_steps(client, people, job, competencies, django_assert_max_num_queries):
    plan = services.plan_create_default(job=job)
    client.force_login(people["recruiter"])
    with django_assert_max_num_queries(10):
        client.get(url("plan", job))
    for i in range(6):
        services.plan_step_add(plan=plan, name=f"Extra {i}")
    with django_assert_max_num_queries(10):
        client.get(url("plan", job))
