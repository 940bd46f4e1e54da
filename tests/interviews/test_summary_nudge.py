"""The feedback summary says in plain words that its automated text is a nudge, never a decision."""

import pytest
from django.urls import reverse

from tests.interviews.conftest import submit

NUDGE = "a nudge for the team's discussion, never a decision"


@pytest.mark.parametrize("role", ["recruiter", "admin", "manager", "alice"])
def test_the_summary_panel_states_it_is_a_nudge(
    client, people, interview, alice_card, bob_card, role, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(alice_card)
        submit(bob_card)
    client.force_login(people[role])
    for url in (
        reverse("hiring:application-detail", args=[interview.application_id]),
        reverse("interviews:application-summary", args=[interview.application_id]),
        reverse("interviews:debrief", args=[interview.application_id]),
    ):
        if role == "alice" and "debrief" in url:
            continue
        assert NUDGE in client.get(url).content.decode(), url


def test_no_nudge_line_while_the_summary_is_hidden(client, people, interview, alice_card):
    client.force_login(people["alice"])  # has not submitted: the summary stays hidden
    page = client.get(reverse("hiring:application-detail", args=[interview.application_id])).content.decode()
    assert "Submit your own scorecard to see the summary" in page
    assert NUDGE not in page
