"""The one bulk-action endpoint: move, reject and tag many applications, all or none."""

import pytest
from django.core import mail
from django.urls import reverse

from hiring.models import Application, HiringTeamMember, StageChange
from tests.hiring.factories import (
    AdminFactory,
    ApplicationFactory,
    EmailTemplateFactory,
    HiringManagerFactory,
    InterviewerFactory,
    RecruiterFactory,
    RejectionReasonFactory,
    UserFactory,
    job_with_stages,
    scorecard_for,
)

pytestmark = pytest.mark.django_db


URL = "/hiring/applications/bulk/"


def make(job, stage, n):
    return [ApplicationFactory(job=job, stage=stage) for _ in range(n)]


def ids(applications):
    return [a.pk for a in applications]


def test_url_name_is_the_agreed_one():
    assert reverse("hiring:bulk-action") == URL


def test_bulk_reject_with_reason_and_email_sends_each_once(
    client, recruiter, job, stages, django_capture_on_commit_callbacks
):
    applications = make(job, stages["Applied"], 3)
    reason = RejectionReasonFactory(name="Not a fit for the level")
    template = EmailTemplateFactory()
    board = reverse("hiring:board", args=[job.pk])
    data = {
        "application_ids": ids(applications),
        "action": "reject",
        "reason": reason.pk,
        "email_template": template.pk,
        "next": board,
    }

    # First one preview of the email, as the first candidate will read it; nothing changes yet.
    preview = client.post(URL, data)
    assert preview.status_code == 200
    first = min(applications, key=lambda a: a.pk).candidate
    assert f"Dear {first.full_name}," in preview.content.decode()
    assert set(Application.objects.values_list("status", flat=True)) == {"active"}

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(URL, {**data, "confirmed": "1"})

    assert response.status_code == 302
    assert response.url == board
    assert len(callbacks) == 1  # one on-commit hook enqueues one task per application
    assert len(mail.outbox) == 3
    assert set(Application.objects.values_list("status", flat=True)) == {"rejected"}
    assert StageChange.objects.filter(to_status="rejected", actor=recruiter).count() == 3
    followed = client.get(board)
    assert "Rejected 3 applications (Not a fit for the level)." in followed.content.decode()


def test_bulk_move_and_tag(client, recruiter, job, stages):
    applications = make(job, stages["Applied"], 2)

    moved = client.post(URL, {"application_ids": ids(applications), "action": "move", "to_stage": stages["Offer"].pk})
    tagged = client.post(URL, {"application_ids": ids(applications), "action": "tag", "tag": "<i>silver</i> medal"})

    assert moved.status_code == 302
    assert moved.url == reverse("hiring:board", args=[job.pk])
    assert set(Application.objects.values_list("stage__name", flat=True)) == {"Offer"}
    assert tagged.status_code == 302
    assert {a.candidate.tags.get().name for a in applications} == {"<i>silver</i> medal"}
    assert "&lt;i&gt;silver" in client.get(reverse("hiring:board", args=[job.pk])).content.decode()


def test_more_than_25_asks_for_confirmation_first(client, recruiter, job, stages):
    applications = make(job, stages["Applied"], 26)
    reason = RejectionReasonFactory()
    data = {"application_ids": ids(applications), "action": "reject", "reason": reason.pk}

    asked = client.post(URL, data)
    confirmed = client.post(URL, {**data, "confirmed": "1"})

    html = asked.content.decode()
    assert asked.status_code == 200
    assert "Apply to 26 applications?" in html
    assert "Yes, apply to all 26" in html
    assert html.count('name="application_ids"') == 26
    assert confirmed.status_code == 302
    assert Application.objects.filter(status="rejected").count() == 26


def test_25_or_fewer_need_no_confirmation(client, recruiter, job, stages):
    applications = make(job, stages["Applied"], 25)

    response = client.post(
        URL, {"application_ids": ids(applications), "action": "move", "to_stage": stages["Panel"].pk}
    )

    assert response.status_code == 302
    assert Application.objects.filter(stage__name="Panel").count() == 25


def test_htmx_confirmation_is_swapped_into_main(client, recruiter, job, stages):
    applications = make(job, stages["Applied"], 30)

    response = client.post(
        URL,
        {"application_ids": ids(applications), "action": "tag", "tag": "later"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#main"
    assert "<html" not in response.content.decode()
    assert "Apply to 30 applications?" in response.content.decode()


def test_htmx_success_redirects_the_client(client, recruiter, job, stages):
    applications = make(job, stages["Applied"], 2)

    response = client.post(
        URL,
        {"application_ids": ids(applications), "action": "tag", "tag": "later", "next": "/hiring/jobs/"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == "/hiring/jobs/"


def test_missing_fields_are_a_clear_400_and_change_nothing(client, recruiter, job, stages):
    applications = make(job, stages["Applied"], 2)

    no_reason = client.post(URL, {"application_ids": ids(applications), "action": "reject"})
    nothing = client.post(URL, {"action": "move", "to_stage": stages["Panel"].pk})
    garbage = client.post(URL, {"application_ids": ["1", "<script>"], "action": "explode"})
    long_tag = client.post(URL, {"application_ids": ids(applications), "action": "tag", "tag": "x" * 10_000})

    assert no_reason.status_code == 400
    assert "Choose a rejection reason." in no_reason.content.decode()
    assert "Select at least one application." in nothing.content.decode()
    assert garbage.status_code == 400
    assert "<script>" not in garbage.content.decode()
    assert long_tag.status_code == 400
    assert "Ensure this value has at most 50 characters" in long_tag.content.decode()
    assert set(Application.objects.values_list("status", flat=True)) == {"active"}


def test_a_refused_bulk_action_answers_htmx_in_place_beside_the_bar(client, recruiter, job, stages):
    applications = make(job, stages["Applied"], 2)

    response = client.post(
        URL, {"application_ids": ids(applications), "action": "reject"}, headers={"HX-Request": "true"}
    )

    body = response.content.decode()
    assert response.status_code == 200  # htmx swaps it in place (the 400 is for a plain form post)
    assert response["HX-Retarget"] == "#bulk-feedback"
    assert response["HX-Reswap"] == "innerHTML"
    assert "<html" not in body
    assert "<h1" not in body  # a message beside the bar, not a page in <main>
    assert "Nothing was changed." in body
    assert "Choose a rejection reason." in body
    assert set(Application.objects.values_list("status", flat=True)) == {"active"}


def test_forged_or_foreign_ids_and_stages_are_404_and_change_nothing(client, recruiter, job, stages):
    applications = make(job, stages["Applied"], 2)
    other_job = job_with_stages()
    foreign_stage = other_job.stages.get(name="Offer")

    forged = client.post(URL, {"application_ids": [*ids(applications), 99999999], "action": "tag", "tag": "x"})
    wrong_stage = client.post(
        URL, {"application_ids": ids(applications), "action": "move", "to_stage": foreign_stage.pk}
    )

    assert forged.status_code == 404
    assert wrong_stage.status_code == 404
    assert not StageChange.objects.exists()
    assert not applications[0].candidate.tags.exists()


def test_selection_across_jobs_cannot_be_moved_to_one_stage(client, recruiter, job, stages):
    mine = make(job, stages["Applied"], 1)
    other = [ApplicationFactory(job=job_with_stages())]

    response = client.post(
        URL, {"application_ids": ids(mine + other), "action": "move", "to_stage": stages["Panel"].pk}
    )

    assert response.status_code == 400
    assert "belong to another job" in response.content.decode()
    assert not StageChange.objects.exists()


@pytest.mark.parametrize("count", [5, 25])
@pytest.mark.parametrize("action", ["move", "reject", "tag"])
def test_bulk_query_count_does_not_grow_with_the_selection(
    client, recruiter, job, stages, count, action, django_assert_max_num_queries
):
    applications = make(job, stages["Applied"], count)
    data = {"application_ids": ids(applications), "action": action, "tag": "batch", "to_stage": stages["Panel"].pk}
    data["reason"] = RejectionReasonFactory().pk

    with django_assert_max_num_queries(15):
        response = client.post(URL, data)

    assert response.status_code == 302
    changed = {
        "move": Application.objects.filter(stage=stages["Panel"]).count(),
        "reject": Application.objects.filter(status="rejected").count(),
        "tag": Application.objects.filter(candidate__tags__name="batch").count(),
    }[action]
    assert changed == count


@pytest.mark.parametrize(
    ("make_user", "allowed"),
    [
        (AdminFactory, True),
        (RecruiterFactory, True),
        ("manager_on_team", True),
        (HiringManagerFactory, False),
        (InterviewerFactory, False),
        (UserFactory, False),
    ],
)
def test_bulk_reject_per_role(client, job, stages, make_user, allowed):
    if make_user == "manager_on_team":
        user = HiringManagerFactory()
        HiringTeamMember.objects.create(job=job, user=user, role=HiringTeamMember.Role.HIRING_MANAGER)
    else:
        user = make_user()
    applications = make(job, stages["Applied"], 2)
    if make_user is InterviewerFactory:
        scorecard_for(application=applications[0], interviewer=user)
    client.force_login(user)

    response = client.post(
        URL, {"application_ids": ids(applications), "action": "reject", "reason": RejectionReasonFactory().pk}
    )

    assert response.status_code == (302 if allowed else 404)
    expected = "rejected" if allowed else "active"
    assert set(Application.objects.values_list("status", flat=True)) == {expected}


def test_manager_on_one_job_cannot_act_on_a_mixed_selection(client, job, stages):
    manager = HiringManagerFactory()
    HiringTeamMember.objects.create(job=job, user=manager, role=HiringTeamMember.Role.HIRING_MANAGER)
    mine = make(job, stages["Applied"], 1)
    theirs = [ApplicationFactory(job=job_with_stages())]
    client.force_login(manager)

    response = client.post(URL, {"application_ids": ids(mine + theirs), "action": "tag", "tag": "x"})

    assert response.status_code == 404
    assert not mine[0].candidate.tags.exists()
