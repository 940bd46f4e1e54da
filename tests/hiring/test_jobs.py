"""Jobs: opening one from a template, editing it, its team and stages, the list and the job page."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hiring import services
from hiring.models import Application, HiringTeamMember, Job, Stage
from interviews.models import InterviewPlan
from tests.hiring.factories import (
    AdminFactory,
    ApplicationFactory,
    HiringManagerFactory,
    InterviewerFactory,
    RecruiterFactory,
    UserFactory,
    job_with_stages,
    scorecard_for,
)
from tests.html import parse, text, texts
from tests.roles.factories import CompetencyFactory, PublishedTemplateFactory, RoleTemplateFactory

pytestmark = pytest.mark.django_db


def stage_names(job):
    return list(job.stages.order_by("order").values_list("name", flat=True))


# Services


def test_job_create_makes_default_stages_team_and_interview_plan():
    template = PublishedTemplateFactory()
    CompetencyFactory(template=template, category="technical")
    manager, interviewer = HiringManagerFactory(), InterviewerFactory()

    job = services.job_create(
        template=template,
        title="Staff Machine Learning Architect",
        created_by=None,
        team=[(manager, HiringTeamMember.Role.HIRING_MANAGER), (interviewer, HiringTeamMember.Role.INTERVIEWER)],
    )

    assert stage_names(job) == list(services.DEFAULT_STAGES)
    assert set(job.team.values_list("user", "role")) == {
        (manager.pk, "hiring_manager"),
        (interviewer.pk, "interviewer"),
    }
    assert InterviewPlan.objects.get(job=job).steps.count() == 4


def test_job_create_refuses_a_draft_template():
    with pytest.raises(ValidationError):
        services.job_create(template=RoleTemplateFactory(), title="Draft", created_by=None)
    assert not Job.objects.exists()


def test_stage_rename_reorder_add_remove():
    job = job_with_stages()
    stages = {s.name: s for s in job.stages.all()}

    services.stage_rename(stage=stages["Panel"], name="  Onsite   panel ")
    services.stage_move(stage=stages["Offer"], direction=-1)
    services.stage_create(job=job, name="Reference check")
    services.stage_delete(stage=stages["Recruiter screen"])

    assert stage_names(job) == ["Applied", "Technical interview", "Offer", "Onsite panel", "Hired", "Reference check"]
    assert list(job.stages.order_by("order").values_list("order", flat=True)) == [0, 1, 2, 3, 4, 5]


def test_removing_a_stage_that_holds_applications_is_refused():
    job = job_with_stages()
    applied = job.stages.get(name="Applied")
    ApplicationFactory(job=job, stage=applied, status=Application.Status.REJECTED)

    with pytest.raises(ValidationError, match="still holds 1 application"):
        services.stage_delete(stage=applied)
    assert job.stages.filter(pk=applied.pk).exists()


def test_duplicate_stage_name_is_refused():
    job = job_with_stages()

    with pytest.raises(ValidationError):
        services.stage_create(job=job, name="Panel")
    assert job.stages.count() == 6


# Views


def test_recruiter_opens_a_job_from_a_template(client, recruiter):
    template = PublishedTemplateFactory(title="Staff Machine Learning Architect")
    manager = HiringManagerFactory()

    page = client.get(reverse("hiring:job-create"))
    response = client.post(
        reverse("hiring:job-create"),
        {
            "template": template.pk,
            "title": "",
            "department": "ML Platform",
            "location": "Berlin",
            "employment_type": "full_time",
            "headcount": 2,
            "status": "open",
            "hiring_managers": [manager.pk],
        },
    )

    assert page.status_code == 200
    assert "Staff Machine Learning Architect (version 1)" in page.content.decode()
    job = Job.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("hiring:job-detail", args=[job.pk])
    assert job.title == "Staff Machine Learning Architect"
    assert job.created_by == recruiter
    assert job.team.get().user == manager
    assert job.stages.count() == 6


def test_draft_templates_are_not_offered(client, recruiter):
    draft = RoleTemplateFactory(title="Unpublished role")

    response = client.post(reverse("hiring:job-create"), {"template": draft.pk, "headcount": 1, "status": "open"})

    assert response.status_code == 400
    assert "Unpublished role" not in response.content.decode()
    assert "Select a valid choice" in response.content.decode()
    assert not Job.objects.exists()


def test_overlong_title_and_bad_headcount_are_form_errors(client, recruiter):
    template = PublishedTemplateFactory()

    response = client.post(
        reverse("hiring:job-create"),
        {"template": template.pk, "title": "x" * 10_000, "headcount": 0, "status": "open", "employment_type": "x"},
    )

    page = parse(response)
    assert response.status_code == 400
    title_error = texts(page, '//*[@id="id_title"]/following-sibling::*[contains(@class, "invalid-feedback")]')
    headcount_error = texts(page, '//*[@id="id_headcount"]/following-sibling::*[contains(@class, "invalid-feedback")]')
    assert title_error == ["Ensure this value has at most 200 characters (it has 10000)."]
    assert headcount_error == ["Ensure this value is greater than or equal to 1."]
    assert not Job.objects.exists()


def test_markup_in_job_fields_is_escaped(client, recruiter):
    job = job_with_stages(title="<script>alert('t')</script>", department="<img src=x onerror=alert(1)>")
    services.stage_rename(stage=job.stages.first(), name="<b>Applied</b>")

    for url in (reverse("hiring:job-list"), reverse("hiring:job-detail", args=[job.pk])):
        page = parse(client.get(url))
        assert page.xpath('//script[contains(., "alert")]') == []  # shown as text, never run
        assert "<script>alert('t')</script>" in text(page.xpath("//body")[0])
    detail = parse(client.get(reverse("hiring:job-detail", args=[job.pk])))
    assert detail.xpath('//img[@src="x"]') == []
    assert detail.xpath('//b[. = "Applied"]') == []
    assert "<b>Applied</b>" in texts(detail, '//section[@id="stages"]/div/ol/li/div/span[2]')


def test_edit_job_details(client, recruiter):
    job = job_with_stages()

    response = client.post(
        reverse("hiring:job-edit", args=[job.pk]),
        {"title": "Principal ML Architect", "employment_type": "contract", "headcount": 3, "status": "on_hold"},
    )

    job.refresh_from_db()
    assert response.status_code == 302
    assert (job.title, job.headcount, job.status) == ("Principal ML Architect", 3, "on_hold")


@pytest.mark.parametrize("count", [2, 12])
def test_job_list_shows_counts_per_stage_in_constant_queries(client, recruiter, count, django_assert_max_num_queries):
    jobs = [job_with_stages(title=f"Job {i}") for i in range(count)]
    for job in jobs:
        for stage in job.stages.all()[:3]:
            ApplicationFactory(job=job, stage=stage)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("hiring:job-list"))

    assert response.status_code == 200
    listed = list(response.context["jobs"])
    assert len(listed) == count
    assert [s.active_count for s in listed[0].stage_list] == [1, 1, 1, 0, 0, 0]


def test_job_list_filters_by_status_with_htmx_fragment(client, recruiter):
    job_with_stages(title="Open one")
    job_with_stages(title="Closed one", status="closed")

    response = client.get(reverse("hiring:job-list") + "?status=closed", headers={"HX-Request": "true"})

    fragment = parse(response)
    assert fragment.get("id") == "job-table"  # the table alone, no page around it
    assert texts(fragment, "//tbody/tr/td[1]/a") == ["Closed one"]


def test_job_page_shows_stages_team_counts_and_overdue_scorecards(client, recruiter, django_assert_max_num_queries):
    manager = HiringManagerFactory(first_name="Hugo", last_name="Manager")
    job = job_with_stages(team=[(manager, HiringTeamMember.Role.HIRING_MANAGER)])
    panel = job.stages.get(name="Panel")
    application = ApplicationFactory(job=job, stage=panel)
    scorecard_for(application=application, interviewer=InterviewerFactory(), ended_hours_ago=5)
    scorecard_for(application=application, interviewer=InterviewerFactory(), ended_hours_ago=0.5)

    with django_assert_max_num_queries(14):
        response = client.get(reverse("hiring:job-detail", args=[job.pk]))

    page = parse(response)
    assert response.status_code == 200
    assert response.context["job"].overdue_scorecards == 1
    assert texts(page, '//section[@id="team"]//li/span[1]') == ["Hugo Manager · Hiring manager"]
    stages = dict(
        zip(
            texts(page, '//section[@id="stages"]/div/ol/li/div/span[2]'),
            texts(page, '//section[@id="stages"]/div/ol/li/div/span[contains(@class, "badge")]'),
            strict=True,
        )
    )
    assert stages["Panel"] == "1 active applications"
    assert stages["Applied"] == "0 active applications"


def test_stage_editing_through_the_page(client, recruiter):
    job = job_with_stages()
    panel = job.stages.get(name="Panel")

    client.post(reverse("hiring:stage-rename", args=[job.pk, panel.pk]), {"name": "Onsite"})
    client.post(reverse("hiring:stage-move", args=[job.pk, panel.pk]), {"direction": "-1"})
    added = client.post(
        reverse("hiring:stage-add", args=[job.pk]), {"name": "Reference check"}, headers={"HX-Request": "true"}
    )

    assert stage_names(job) == [
        "Applied",
        "Recruiter screen",
        "Onsite",
        "Technical interview",
        "Offer",
        "Hired",
        "Reference check",
    ]
    assert added.status_code == 200
    fragment = parse(added)
    assert (fragment.tag, fragment.get("id")) == ("section", "stages")
    assert texts(fragment, "./div/ol/li/div/span[2]") == stage_names(job)


def test_removing_a_busy_stage_shows_the_reason_in_place(client, recruiter):
    job = job_with_stages()
    applied = job.stages.get(name="Applied")
    ApplicationFactory(job=job, stage=applied)
    url = reverse("hiring:stage-delete", args=[job.pk, applied.pk])

    htmx = client.post(url, headers={"HX-Request": "true"})
    plain = client.post(url)

    assert htmx.status_code == 200
    row = parse(htmx).xpath('./div/ol/li[.//span[2] = "Applied"]')[0]
    assert texts(row, './/*[@role="alert"]') == [
        "“Applied” still holds 1 application; move them to another stage first."
    ]
    assert row.xpath(".//details")[0].get("open") is not None  # the rename/remove controls stay open beside it
    assert plain.status_code == 400
    assert Stage.objects.filter(pk=applied.pk).exists()


def test_empty_or_overlong_stage_name_is_an_error_in_place(client, recruiter):
    job = job_with_stages()

    empty = client.post(reverse("hiring:stage-add", args=[job.pk]), {"name": "   "}, headers={"HX-Request": "true"})
    long = client.post(reverse("hiring:stage-add", args=[job.pk]), {"name": "x" * 10_000})

    new_stage = parse(empty).xpath('//input[@id="new-stage"]')[0]
    assert "is-invalid" in new_stage.get("class")
    assert texts(parse(empty), '//*[@id="new-stage-error"]') in (
        ["This field is required."],
        ["Give the stage a name."],
    )
    assert long.status_code == 400
    assert job.stages.count() == 6


def test_stage_of_another_job_is_404(client, recruiter):
    job, other = job_with_stages(), job_with_stages()

    response = client.post(reverse("hiring:stage-delete", args=[job.pk, other.stages.first().pk]))

    assert response.status_code == 404
    assert other.stages.count() == 6


def test_team_add_and_remove(client, recruiter):
    job = job_with_stages()
    interviewer = InterviewerFactory()

    client.post(reverse("hiring:team-add", args=[job.pk]), {"user": interviewer.pk, "role": "interviewer"})
    member = job.team.get()
    client.post(reverse("hiring:team-remove", args=[job.pk, member.pk]))

    assert member.user == interviewer
    assert not job.team.exists()


@pytest.mark.parametrize(
    ("make_user", "list_status", "detail_status", "create_status"),
    [
        (AdminFactory, 200, 200, 200),
        (RecruiterFactory, 200, 200, 200),
        ("manager_on_team", 200, 200, 404),
        (HiringManagerFactory, 200, 404, 404),
        (InterviewerFactory, 404, 404, 404),
        (UserFactory, 404, 404, 404),
    ],
)
def test_job_pages_per_role(client, make_user, list_status, detail_status, create_status):
    job = job_with_stages(title="Visible only to its team")
    if make_user == "manager_on_team":
        user = HiringManagerFactory()
        HiringTeamMember.objects.create(job=job, user=user, role=HiringTeamMember.Role.HIRING_MANAGER)
    else:
        user = make_user()
    client.force_login(user)

    listed = client.get(reverse("hiring:job-list"))
    assert listed.status_code == list_status
    assert client.get(reverse("hiring:job-detail", args=[job.pk])).status_code == detail_status
    assert client.get(reverse("hiring:job-create")).status_code == create_status
    if list_status == 200:
        assert ("Visible only to its team" in listed.content.decode()) == (detail_status == 200)


def test_hiring_manager_cannot_edit_stages_or_team(client):
    manager = HiringManagerFactory()
    job = job_with_stages(team=[(manager, HiringTeamMember.Role.HIRING_MANAGER)])
    client.force_login(manager)

    assert client.post(reverse("hiring:stage-add", args=[job.pk]), {"name": "Extra"}).status_code == 404
    assert client.post(reverse("hiring:job-edit", args=[job.pk]), {"title": "Mine"}).status_code == 404
    assert job.stages.count() == 6


def test_the_job_form_never_offers_two_identical_template_choices(client, recruiter):
    PublishedTemplateFactory(title="Data Architect", slug="data-architect", level="Staff")
    PublishedTemplateFactory(title="Data Architect", slug="data-architect-2", level="Principal")
    PublishedTemplateFactory(title="Platform Engineer", slug="platform-engineer")

    page = parse(client.get(reverse("hiring:job-create")))

    labels = [text(option) for option in page.xpath("//select[@name='template']/option[@value!='']")]
    assert len(labels) == len(set(labels)) == 3
    assert "Data Architect (version 1) · Principal, data-architect-2" in labels
    assert "Platform Engineer (version 1)" in labels  # a title of its own needs nothing more
