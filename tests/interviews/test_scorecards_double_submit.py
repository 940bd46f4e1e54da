"""Double submit (issue 14, defect 4): the second of two submits sees the submitted scorecard, never a 500.

A double click or a second tab sends the same submit twice. Sequentially, the second request
finds the card submitted before it starts; in a race (the services tier runs two threads on
PostgreSQL) it loads a draft and the service then says ``ScorecardLocked``. Here the race is
replayed deterministically: the other tab's submit runs just before this request's save or submit.
"""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from interviews import services
from interviews.models import Scorecard
from tests.interviews.conftest import fill

HX = {"HTTP_HX_REQUEST": "true"}


def post_submit(client, card, version, **extra):
    return client.post(
        reverse("interviews:scorecard-edit", args=[card.pk]), {"version": version, "action": "submit"}, **extra
    )


def test_a_second_submit_after_the_first_shows_the_submitted_scorecard(client, people, alice_card):
    fill(alice_card)
    alice_card.refresh_from_db()
    version = alice_card.version
    client.force_login(people["alice"])

    first = post_submit(client, alice_card, version)
    alice_card.refresh_from_db()
    submitted_version = alice_card.version
    second = post_submit(client, alice_card, version)  # the same form, sent again

    assert first.status_code == 302
    assert first["Location"] == reverse("interviews:feedback", args=[alice_card.interview.application_id])
    assert second.status_code == 302
    assert second["Location"] == reverse("interviews:scorecard-edit", args=[alice_card.pk])
    page = client.get(second["Location"])
    body = page.content.decode()
    assert "This scorecard was already submitted; nothing else was changed." in body
    assert "The scorecard is locked." in body
    alice_card.refresh_from_db()
    assert alice_card.status == Scorecard.Status.SUBMITTED
    assert alice_card.version == submitted_version  # the second changed nothing
    assert alice_card.revisions.count() == 0


def test_a_second_htmx_submit_answers_the_locked_view(client, people, alice_card):
    fill(alice_card)
    alice_card.refresh_from_db()
    version = alice_card.version
    client.force_login(people["alice"])
    post_submit(client, alice_card, version, **HX)

    second = post_submit(client, alice_card, version, **HX)

    assert second.status_code == 200
    body = second.content.decode()
    assert "<html" not in body
    assert "data-locked" in body
    assert "The scorecard is locked." in body


def other_tab_submits_first(monkeypatch, name: str, card):
    """Run the other tab's submit (the real service) just before this request calls ``services.<name>``."""
    real = getattr(services, name)
    real_submit = services.scorecard_submit

    def racing(**kwargs):
        if Scorecard.objects.get(pk=card.pk).status == Scorecard.Status.DRAFT:
            real_submit(scorecard_id=card.pk, user=card.interviewer)
        return real(**kwargs)

    monkeypatch.setattr(services, name, racing)


@pytest.mark.parametrize("service", ["scorecard_save", "scorecard_submit"])
def test_two_submits_racing_give_one_submission_and_no_error(client, people, alice_card, monkeypatch, service):
    fill(alice_card)
    alice_card.refresh_from_db()
    version = alice_card.version
    client.force_login(people["alice"])
    other_tab_submits_first(monkeypatch, service, alice_card)

    response = post_submit(client, alice_card, version)

    assert response.status_code == 302
    assert response["Location"] == reverse("interviews:scorecard-edit", args=[alice_card.pk])
    assert [m.message for m in get_messages(response.wsgi_request)] == [
        "This scorecard was already submitted; nothing else was changed."
    ]
    alice_card.refresh_from_db()
    assert alice_card.status == Scorecard.Status.SUBMITTED
    # The other tab's submit, plus this request's save of the same values when it got that far.
    assert alice_card.version == version + (1 if service == "scorecard_save" else 2)
    assert alice_card.revisions.count() == 0


def test_a_save_racing_a_submit_is_refused_and_changes_nothing(client, people, alice_card, monkeypatch):
    fill(alice_card)
    alice_card.refresh_from_db()
    version = alice_card.version
    client.force_login(people["alice"])
    other_tab_submits_first(monkeypatch, "scorecard_save", alice_card)

    response = client.post(
        reverse("interviews:scorecard-edit", args=[alice_card.pk]),
        {"version": version, "action": "save", "key_takeaways": "Changed after all."},
    )

    assert response.status_code == 409
    assert "This scorecard is submitted. Amend it to change it; nothing was changed." in response.content.decode()
    alice_card.refresh_from_db()
    assert alice_card.key_takeaways == "Strong on fundamentals."
