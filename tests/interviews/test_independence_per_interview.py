"""Independence per interview: an interviewer who sits on two interviews of one application sees
colleagues' feedback only once both of their own scorecards are submitted."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from interviews import rules, selectors, services
from tests.interviews.conftest import submit
from tests.interviews.factories import InterviewStepFactory

BOB_TEXT = "Bob evidence: asked sharp questions about the failure modes."


@pytest.fixture
def second_interview(interview, step, competencies, people, django_capture_on_commit_callbacks):
    """Alice also sits on a second interview of the same application (under way: she may submit
    it once it has started, and has not yet)."""
    later = InterviewStepFactory(plan=step.plan, name="Deep dive", order=1, competencies=competencies[2:])
    with django_capture_on_commit_callbacks(execute=False):
        return services.interview_schedule(
            application=interview.application,
            step=later,
            starts_at=timezone.now() - timedelta(minutes=30),
            ends_at=timezone.now() + timedelta(minutes=30),
            interviewers=[people["alice"]],
            location="Room 9",
            created_by=people["recruiter"],
        )


@pytest.fixture
def alice_second_card(second_interview, people):
    return second_interview.scorecards.get(interviewer=people["alice"])


def feedback_page(client, user, application_id):
    client.force_login(user)
    return client.get(reverse("interviews:feedback", args=[application_id])).content.decode()


def panel(user, application):
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load interview_panels %}{% application_feedback application %}").render(
        Context({"request": request, "application": application})
    )


def test_one_submitted_scorecard_of_two_keeps_colleagues_hidden(
    client, people, alice_card, bob_card, alice_second_card
):
    application = alice_card.interview.application
    submit(bob_card, evidence=BOB_TEXT)
    submit(alice_card)

    assert not rules.can_see_all_feedback(user=people["alice"], application_id=application.pk)
    body = feedback_page(client, people["alice"], application.pk)
    assert BOB_TEXT not in body
    assert "every one, if you sit on more than one interview" in body
    assert BOB_TEXT not in panel(people["alice"], application)
    assert selectors.application_summary(user=people["alice"], application=application)["summary_hidden"]
    client.force_login(people["alice"])
    export = client.get(reverse("interviews:feedback-export", args=[application.pk])).content.decode()
    assert BOB_TEXT not in export
    assert client.get(reverse("interviews:application-summary", args=[application.pk])).status_code == 404


def test_submitting_the_last_own_scorecard_opens_colleagues_feedback(
    client, people, alice_card, bob_card, alice_second_card
):
    application = alice_card.interview.application
    submit(bob_card, evidence=BOB_TEXT)
    submit(alice_card)
    submit(alice_second_card)

    assert rules.can_see_all_feedback(user=people["alice"], application_id=application.pk)
    assert BOB_TEXT in feedback_page(client, people["alice"], application.pk)
    assert BOB_TEXT in panel(people["alice"], application)
    assert not selectors.application_summary(user=people["alice"], application=application)["summary_hidden"]


def test_a_colleague_with_a_single_interview_is_unlocked_by_their_one_scorecard(
    client, people, alice_card, bob_card, alice_second_card
):
    application = bob_card.interview.application
    submit(alice_card, evidence="Alice evidence from the first round.")
    submit(bob_card, evidence=BOB_TEXT)
    assert rules.can_see_all_feedback(user=people["bob"], application_id=application.pk)
    assert "Alice evidence from the first round." in feedback_page(client, people["bob"], application.pk)


def test_withdrawing_one_of_them_hides_colleagues_again(client, people, alice_card, bob_card, alice_second_card):
    application = alice_card.interview.application
    submit(bob_card, evidence=BOB_TEXT)
    submit(alice_card)
    submit(alice_second_card)
    services.scorecard_withdraw(scorecard_id=alice_second_card.pk, user=people["alice"])
    assert not rules.can_see_all_feedback(user=people["alice"], application_id=application.pk)
    assert BOB_TEXT not in feedback_page(client, people["alice"], application.pk)


def test_amending_a_submitted_scorecard_keeps_the_view_open(client, people, alice_card, bob_card, alice_second_card):
    application = alice_card.interview.application
    submit(bob_card, evidence=BOB_TEXT)
    submit(alice_card)
    submit(alice_second_card)
    services.scorecard_amend(scorecard_id=alice_card.pk, user=people["alice"])
    assert rules.can_see_all_feedback(user=people["alice"], application_id=application.pk)


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("admin", True),
        ("recruiter", True),
        ("manager", True),
        ("alice", False),
        ("bob", True),
        ("outsider", False),
        ("other_manager", False),
        ("nobody", False),
    ],
)
def test_who_sees_colleagues_feedback_while_a_second_interview_is_ahead(
    client, people, alice_card, bob_card, alice_second_card, who, sees
):
    """Per role, with Alice's first scorecard and Bob's submitted and Alice's second one still owed."""
    application = alice_card.interview.application
    submit(alice_card, evidence="Alice evidence from the first round.")
    submit(bob_card, evidence=BOB_TEXT)
    assert rules.can_see_all_feedback(user=people[who], application_id=application.pk) is sees
    client.force_login(people[who])
    response = client.get(reverse("interviews:feedback", args=[application.pk]))
    if who in ("outsider", "other_manager", "nobody"):
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert (BOB_TEXT in response.content.decode()) is (sees or who == "bob")


def test_the_rule_is_one_query(people, alice_card, alice_second_card, django_assert_num_queries):
    with django_assert_num_queries(1):
        rules.has_submitted_for(user=people["alice"], application_id=alice_card.interview.application_id)
