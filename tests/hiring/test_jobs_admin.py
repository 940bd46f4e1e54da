"""The admin of the hiring models: lists without N+1, read-only history, jobs opened through the service."""

import pytest
from django.contrib.admin import site as admin_site
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from hiring.admin import JobAdmin
from hiring.models import Application, Candidate, EmailTemplate, Job, StageChange, Tag, User
from hiring.services import application_create, application_move
from tests.hiring.factories import (
    AdminFactory,
    ApplicationFactory,
    CandidateFactory,
    EmailTemplateFactory,
    InterviewerFactory,
    JobFactory,
    RejectionReasonFactory,
    UserFactory,
    job_with_stages,
)
from tests.html import field_value, form_data, form_errors, parse, text, texts
from tests.roles.factories import PublishedTemplateFactory

pytestmark = pytest.mark.django_db


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


# --------------------------------------------------------------------------- writes through services, refusals in place


def change_page(client, model: str, pk: int):
    response = client.get(reverse(f"admin:hiring_{model}_change", args=[pk]))
    assert response.status_code == 200
    return parse(response)


def test_a_duplicate_email_is_refused_on_the_candidate_form_with_the_typed_values_kept(admin_client):
    CandidateFactory(email="ada@example.test")
    grace = CandidateFactory(first_name="Grace", email="grace@example.test")
    data = form_data(change_page(admin_client, "candidate", grace.pk))
    data.update(first_name="Grace typed", email="ADA@example.test")

    response = admin_client.post(reverse("admin:hiring_candidate_change", args=[grace.pk]), data)

    assert response.status_code == 200
    page = parse(response)
    assert texts(page, '//div[contains(@class, "field-email")]//ul[@class="errorlist"]/li') == [
        "Another candidate already has this email address."
    ]
    assert field_value(page, "first_name") == "Grace typed"
    assert field_value(page, "email") == "ADA@example.test"
    grace.refresh_from_db()
    assert (grace.first_name, grace.email) == ("Grace", "grace@example.test")


def test_a_candidate_added_in_the_admin_goes_through_the_service(admin_client):
    response = admin_client.post(
        reverse("admin:hiring_candidate_add"),
        {"first_name": " Ada ", "email": "Ada@Example.TEST", "links": "[]"},
    )

    candidate = Candidate.objects.get()
    assert response.status_code == 302
    assert (candidate.first_name, candidate.email) == ("Ada", "ada@example.test")  # the service's clean-up


def test_removing_every_stage_is_refused_in_place_and_nothing_changes(admin_client):
    job = job_with_stages()
    data = form_data(change_page(admin_client, "job", job.pk))
    total = int(data["stages-TOTAL_FORMS"])
    data.update({f"stages-{i}-DELETE": "on" for i in range(total)})
    data["title"] = "Typed title"

    response = admin_client.post(reverse("admin:hiring_job_change", args=[job.pk]), data)

    assert response.status_code == 200
    page = parse(response)
    assert "A job needs at least one stage." in form_errors(page)
    assert field_value(page, "title") == "Typed title"
    job.refresh_from_db()
    assert job.title != "Typed title"
    assert job.stages.count() == total


def test_job_details_stages_and_team_are_saved_through_the_services(admin_client):
    job = job_with_stages()
    person = InterviewerFactory(email="kim@example.test")
    data = form_data(change_page(admin_client, "job", job.pk))
    stages = {data[f"stages-{i}-name"]: i for i in range(int(data["stages-TOTAL_FORMS"]))}
    data.pop("evidence_required", None)  # unticked
    data[f"stages-{stages['Panel']}-name"] = "  Onsite    panel "
    data[f"stages-{stages['Offer']}-order"] = "0"
    data[f"stages-{stages['Applied']}-order"] = "99"
    data.update(
        {
            "team-TOTAL_FORMS": str(int(data["team-TOTAL_FORMS"]) + 1),
            f"team-{data['team-TOTAL_FORMS']}-user": str(person.pk),
            f"team-{data['team-TOTAL_FORMS']}-role": "interviewer",
        }
    )

    response = admin_client.post(reverse("admin:hiring_job_change", args=[job.pk]), data)

    assert response.status_code == 302, form_errors(parse(response))
    job.refresh_from_db()
    assert job.evidence_required is False
    names = list(job.stages.order_by("order", "id").values_list("name", flat=True))
    assert (names[0], names[-1]) == ("Offer", "Applied")
    assert "Onsite panel" in names  # the stage service's whitespace clean-up
    assert list(job.stages.values_list("order", flat=True).order_by("order")) == list(range(len(names)))
    assert job.team.get(user=person).role == "interviewer"


def test_a_forged_post_cannot_change_a_jobs_template(admin_client):
    job = job_with_stages()
    other = PublishedTemplateFactory()
    data = form_data(change_page(admin_client, "job", job.pk))
    data["template"] = str(other.pk)

    admin_client.post(reverse("admin:hiring_job_change", args=[job.pk]), data)

    job.refresh_from_db()
    assert job.template_id != other.pk


def test_a_job_with_applications_is_not_deleted(admin_client):
    job = job_with_stages()
    ApplicationFactory(job=job, stage=job.stages.first())

    response = admin_client.post(reverse("admin:hiring_job_delete", args=[job.pk]), {"post": "yes"})
    with pytest.raises(ValidationError, match="close the job instead of deleting it"):
        JobAdmin(Job, admin_site).delete_queryset(None, Job.objects.filter(pk=job.pk))

    assert response.status_code == 200  # the admin's own refusal page: applications hold its stages
    assert Job.objects.filter(pk=job.pk).exists()


def test_application_stage_and_status_cannot_be_changed_by_a_forged_post(admin_client):
    job = job_with_stages()
    stages = list(job.stages.all())
    application = ApplicationFactory(job=job, stage=stages[0])
    page = change_page(admin_client, "application", application.pk)
    assert page.xpath('//*[@name="stage" or @name="status"]') == []
    data = form_data(page)
    data.update(stage=str(stages[-1].pk), status="hired", version="99", candidate=str(CandidateFactory().pk))

    response = admin_client.post(reverse("admin:hiring_application_change", args=[application.pk]), data)

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.stage_id, application.status, application.version) == (stages[0].pk, "active", 1)
    assert not StageChange.objects.filter(application=application).exists()


def test_an_application_added_in_the_admin_starts_its_stage_history(admin_client):
    job = job_with_stages()
    candidate = CandidateFactory()

    response = admin_client.post(reverse("admin:hiring_application_add"), {"candidate": candidate.pk, "job": job.pk})

    assert response.status_code == 302
    change = StageChange.objects.get(application__candidate=candidate)
    assert (change.to_stage.name, change.reason) == ("Applied", "Applied (admin)")


def test_an_application_to_a_job_without_stages_is_refused_in_place(admin_client):
    job = JobFactory(title="No stages yet")
    candidate = CandidateFactory()

    response = admin_client.post(reverse("admin:hiring_application_add"), {"candidate": candidate.pk, "job": job.pk})

    assert response.status_code == 200
    page = parse(response)
    assert "No stages yet has no stages yet; add a stage before adding candidates." in form_errors(page)
    assert field_value(page, "job") == str(job.pk)
    assert field_value(page, "candidate") == str(candidate.pk)
    assert not candidate.applications.exists()


def test_an_email_template_with_an_unknown_placeholder_is_refused_in_place(admin_client):
    response = admin_client.post(
        reverse("admin:hiring_emailtemplate_add"),
        {
            "name": "Polite no",
            "kind": "rejection",
            "subject": "Your application for {{ job_title }}",
            "body": "Dear {{ candiate_name }}, thank you.",
            "active": "on",
        },
    )

    assert response.status_code == 200
    page = parse(response)
    assert texts(page, '//div[contains(@class, "field-body")]//ul[@class="errorlist"]/li') == [
        "Unknown placeholder {{ candiate_name }}: use one of {{ candidate_name }}, {{ first_name }}, {{ job_title }}, "
        "{{ interview_time }}, {{ recruiter_name }}."
    ]
    assert field_value(page, "body") == "Dear {{ candiate_name }}, thank you."
    assert not EmailTemplate.objects.exists()


def test_a_tag_differing_only_in_case_is_refused(admin_client):
    Tag.objects.create(name="Referral")

    response = admin_client.post(reverse("admin:hiring_tag_add"), {"name": "referral"})

    assert response.status_code == 200
    assert form_errors(parse(response)) == ["A tag “referral” already exists."]
    assert Tag.objects.count() == 1


def test_an_admin_cannot_deactivate_themselves(client):
    me = AdminFactory(first_name="Ada")
    client.force_login(me)
    data = form_data(change_page(client, "user", me.pk))
    data.pop("is_active")
    data["first_name"] = "Ada typed"

    response = client.post(reverse("admin:hiring_user_change", args=[me.pk]), data)

    assert response.status_code == 200
    page = parse(response)
    assert "You cannot deactivate your own account." in form_errors(page)
    assert field_value(page, "first_name") == "Ada typed"
    me.refresh_from_db()
    assert me.is_active
    assert me.first_name == "Ada"


def test_a_user_added_in_the_admin_gets_a_lower_case_email_and_a_password(admin_client):
    group = Group.objects.get(name="Recruiter")

    response = admin_client.post(
        reverse("admin:hiring_user_add"),
        {
            "email": "New.Person@Example.test",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
            "groups": [group.pk],
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.test")
    assert user.check_password("a-long-pass-phrase-9")
    assert list(user.groups.all()) == [group]


def test_a_password_set_in_the_admin_goes_through_the_service(admin_client):
    user = UserFactory()

    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": "another-long-phrase-7", "password2": "another-long-phrase-7", "usable_password": "true"},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another-long-phrase-7")


def test_an_application_with_interviews_is_not_deleted(admin_client, application_with_interviews):
    application = application_with_interviews
    url = reverse("admin:hiring_application_delete", args=[application.pk])

    page = admin_client.get(url)
    response = admin_client.post(url, {"post": "yes"})

    assert response.status_code == 403  # its scorecards are evidence nobody may delete in the admin
    assert "would result in deleting related objects" in text(parse(page))
    assert application.interviews.count() == 1


def test_an_application_with_a_history_is_refused_by_the_service(admin_client, job, stages):
    application = application_create(candidate=CandidateFactory(), job=job)
    application_move(application=application, to_stage=stages["Panel"], actor=None)

    response = admin_client.post(
        reverse("admin:hiring_application_delete", args=[application.pk]), {"post": "yes"}, follow=True
    )

    assert Application.objects.filter(pk=application.pk).exists()
    assert texts(parse(response), '//ul[@class="messagelist"]/li') == [
        "This application has a history on the board; reject it instead of deleting it."
    ]


def test_an_application_entered_by_mistake_is_deleted_through_the_service(admin_client, job):
    application = application_create(candidate=CandidateFactory(), job=job)

    response = admin_client.post(reverse("admin:hiring_application_delete", args=[application.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Application.objects.filter(pk=application.pk).exists()


def test_an_admin_cannot_delete_their_own_account(admin_client):
    me = admin_client.user

    response = admin_client.post(reverse("admin:hiring_user_delete", args=[me.pk]), {"post": "yes"}, follow=True)

    assert User.objects.filter(pk=me.pk).exists()
    assert texts(parse(response), '//ul[@class="messagelist"]/li') == ["You cannot delete your own account."]


def test_deleting_someone_else_goes_through_the_service(admin_client):
    other = UserFactory()

    response = admin_client.post(reverse("admin:hiring_user_delete", args=[other.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=other.pk).exists()


def test_role_groups_are_read_only_in_the_admin(admin_client):
    group = Group.objects.get(name="Recruiter")
    before = set(group.permissions.values_list("pk", flat=True))

    page = admin_client.get(reverse("admin:auth_group_change", args=[group.pk]))
    response = admin_client.post(reverse("admin:auth_group_change", args=[group.pk]), {"name": "Hacked"})

    assert page.status_code == 200
    assert parse(page).xpath('//input[@name="name"]') == []
    assert response.status_code == 403
    group.refresh_from_db()
    assert (group.name, set(group.permissions.values_list("pk", flat=True))) == ("Recruiter", before)
    assert admin_client.get(reverse("admin:auth_group_add")).status_code == 403


def test_a_bulk_delete_the_service_refuses_deletes_nothing_and_says_why(admin_client, job):
    stage_ids = list(job.stages.values_list("pk", flat=True))

    response = admin_client.post(
        reverse("admin:hiring_stage_changelist"),
        {"action": "delete_selected", "_selected_action": stage_ids, "post": "yes"},
        follow=True,
    )

    assert job.stages.count() == len(stage_ids)  # all or nothing: the last one was refused, so none went
    assert texts(parse(response), '//ul[@class="messagelist"]/li') == ["A job needs at least one stage."]
