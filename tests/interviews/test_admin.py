from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.models import FlaggedPhrase, Interview
from interviews.selectors import flagged_phrases
from tests.hiring.factories import ApplicationFactory, StageFactory
from tests.html import field_value, form_data, form_errors, parse
from tests.interviews.conftest import submit
from tests.interviews.factories import competency_with_anchors
from tests.roles.factories import PublishedTemplateFactory


@pytest.mark.parametrize(
    "name",
    [
        "interviews_flaggedphrase",
        "interviews_interviewplan",
        "interviews_interviewstep",
        "interviews_interview",
        "interviews_scorecard",
        "interviews_interviewinvitation",
    ],
)
def test_admin_lists_and_change_pages_open(client, people, alice_card, name, django_assert_max_num_queries):
    submit(alice_card)
    client.force_login(people["admin"])
    with django_assert_max_num_queries(15):
        response = client.get(reverse(f"admin:{name}_changelist"))
    assert response.status_code == 200


def test_scorecards_are_read_only_in_the_admin(client, people, alice_card):
    submit(alice_card, evidence="Evidence as written.")
    client.force_login(people["admin"])
    page = client.get(reverse("admin:interviews_scorecard_change", args=[alice_card.pk]))
    assert page.status_code == 200
    assert "Evidence as written." in page.content.decode()
    assert 'name="key_takeaways"' not in page.content.decode()
    assert client.get(reverse("admin:interviews_scorecard_add")).status_code == 403


# --------------------------------------------------------------------------- writes through services, refusals in place


def _page(client, name, *args):
    response = client.get(reverse(f"admin:interviews_{name}", args=args))
    assert response.status_code == 200
    return parse(response)


def test_a_focus_competency_of_another_role_cannot_be_chosen(client, people, step):
    client.force_login(people["admin"])
    stranger = competency_with_anchors(template=PublishedTemplateFactory(), name="Knitting", category="domain")
    data = form_data(_page(client, "interviewstep_change", step.pk))
    row = data["focus-TOTAL_FORMS"]
    data.update(
        {
            "focus-TOTAL_FORMS": str(int(row) + 1),
            f"focus-{row}-competency": str(stranger.pk),
            f"focus-{row}-prompts": "Typed prompt: tell me about a pattern.",
            "name": "Panel (typed)",
        }
    )

    response = client.post(reverse("admin:interviews_interviewstep_change", args=[step.pk]), data)

    assert response.status_code == 200
    page = parse(response)
    # Only the job's competencies are offered (the plan service refuses any other too).
    assert form_errors(page) == ["Select a valid choice. That choice is not one of the available choices."]
    assert page.xpath(f'//select[@name="focus-0-competency"]/option[@value="{stranger.pk}"]') == []
    assert field_value(page, f"focus-{row}-prompts") == "Typed prompt: tell me about a pattern."
    assert field_value(page, "name") == "Panel (typed)"
    step.refresh_from_db()
    assert step.name == "Panel"
    assert not step.focus.filter(competency=stranger).exists()


def test_focus_prompts_are_saved_through_the_plan_service(client, people, step, competencies):
    client.force_login(people["admin"])
    data = form_data(_page(client, "interviewstep_change", step.pk))
    row = data["focus-TOTAL_FORMS"]
    data.update(
        {
            "focus-TOTAL_FORMS": str(int(row) + 1),
            f"focus-{row}-competency": str(competencies[2].pk),
            f"focus-{row}-prompts": "  Who did you mentor?  \n  What changed for them?  ",
        }
    )

    response = client.post(reverse("admin:interviews_interviewstep_change", args=[step.pk]), data)

    assert response.status_code == 302, form_errors(parse(response))
    focus = step.focus.get(competency=competencies[2])
    assert focus.prompts == "Who did you mentor?\n  What changed for them?"  # the service's clean-up
    assert focus.order == 2  # appended by the service, not typed


def test_a_step_cannot_be_put_in_another_jobs_stage(client, people, step):
    client.force_login(people["admin"])
    elsewhere = StageFactory(name="Elsewhere")
    plan = step.plan
    data = form_data(_page(client, "interviewplan_change", plan.pk))
    index = next(i for i in range(int(data["steps-TOTAL_FORMS"])) if data[f"steps-{i}-id"] == str(step.pk))
    data[f"steps-{index}-stage"] = str(elsewhere.pk)
    data[f"steps-{index}-name"] = "Typed step name"

    response = client.post(reverse("admin:interviews_interviewplan_change", args=[plan.pk]), data)

    assert response.status_code == 200
    page = parse(response)
    assert form_errors(page) == ["Select a valid choice. That choice is not one of the available choices."]
    assert field_value(page, f"steps-{index}-name") == "Typed step name"
    step.refresh_from_db()
    assert (step.name, step.stage_id) == ("Panel", None)


def test_scheduling_in_the_admin_refuses_someone_off_the_team_and_keeps_the_input(client, people, job, step):
    client.force_login(people["admin"])
    application = ApplicationFactory(job=job)
    start = timezone.now() + timedelta(days=1)

    response = client.post(
        reverse("admin:interviews_interview_add"),
        {
            "application": application.pk,
            "step": step.pk,
            "interviewers": [people["nobody"].pk],
            "starts_at_0": start.strftime("%Y-%m-%d"),
            "starts_at_1": "10:00:00",
            "ends_at_0": start.strftime("%Y-%m-%d"),
            "ends_at_1": "11:00:00",
            "location": "Typed room 7",
        },
    )

    assert response.status_code == 200
    page = parse(response)
    assert any("Not on the hiring team or an interviewer" in message for message in form_errors(page))
    assert field_value(page, "location") == "Typed room 7"
    assert not Interview.objects.filter(application=application).exists()


def test_scheduling_in_the_admin_creates_the_scorecards(client, people, job, step, django_capture_on_commit_callbacks):
    client.force_login(people["admin"])
    application = ApplicationFactory(job=job)
    start = timezone.now() + timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("admin:interviews_interview_add"),
            {
                "application": application.pk,
                "step": step.pk,
                "interviewers": [people["alice"].pk, people["bob"].pk],
                "starts_at_0": start.strftime("%Y-%m-%d"),
                "starts_at_1": "10:00:00",
                "ends_at_0": start.strftime("%Y-%m-%d"),
                "ends_at_1": "11:00:00",
            },
        )

    assert response.status_code == 302
    interview = Interview.objects.get(application=application)
    assert interview.scorecards.count() == 2
    assert interview.created_by == people["admin"]


def test_rescheduling_keeps_the_interviewers_whatever_is_posted(client, people, interview):
    client.force_login(people["admin"])
    data = form_data(_page(client, "interview_change", interview.pk))
    data.update(location="Room 9", interviewers=[str(people["outsider"].pk)], application="999")

    response = client.post(reverse("admin:interviews_interview_change", args=[interview.pk]), data)

    assert response.status_code == 302, form_errors(parse(response))
    interview.refresh_from_db()
    assert interview.location == "Room 9"
    assert set(interview.interviewers.all()) == {people["alice"], people["bob"]}


def test_a_forged_post_cannot_change_a_scorecard(client, people, alice_card):
    submit(alice_card, evidence="Evidence as written.")
    client.force_login(people["admin"])

    response = client.post(
        reverse("admin:interviews_scorecard_change", args=[alice_card.pk]),
        {"key_takeaways": "Rewritten", "status": "draft", "overall_recommendation": "1"},
    )

    alice_card.refresh_from_db()
    assert response.status_code == 403
    assert (alice_card.status, alice_card.overall_recommendation) == ("submitted", 3)
    assert alice_card.key_takeaways == "Strong on fundamentals."


def test_editing_a_flagged_phrase_refreshes_the_cached_list(client, people, django_capture_on_commit_callbacks):
    client.force_login(people["admin"])
    phrase = FlaggedPhrase.objects.create(phrase="rockstar vibes", reason="Vague.")
    assert ("rockstar vibes", "Vague.") in flagged_phrases()  # now cached

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:interviews_flaggedphrase_change", args=[phrase.pk]),
            {"phrase": "  rockstar   vibes ", "reason": "Not job-related.", "active": "on"},
        )

    assert response.status_code == 302
    assert ("rockstar vibes", "Not job-related.") in flagged_phrases()
