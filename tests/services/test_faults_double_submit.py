"""Fault suite: two submits of the same scorecard at the same moment, through a live server on PostgreSQL.

A double click or two tabs: both requests load the draft, both save, one submits first. The
other must land on the submitted scorecard (a redirect with a note), never a 500, and the
scorecard is submitted once.
"""

import threading

import pytest
from django.urls import reverse

from interviews import services
from interviews.models import ApplicationSummary, Scorecard
from tests.faults import LiveSession
from tests.interviews.summary_builders import application_for, role_job, scorecard

TRIES = 10


@pytest.fixture
def complete_draft(transactional_db):
    def make():
        job, comps, steps = role_job(competencies=2)
        return scorecard(
            application=application_for(job),
            step=steps["Interview 1"],
            competencies=comps,
            ratings={c.name: (3, "Walked through the failure modes.") for c in comps},
            status=Scorecard.Status.DRAFT,
        )

    return make


def submit_twice_at_once(session: LiveSession, card) -> list:
    barrier = threading.Barrier(2)
    responses = [None, None]
    path = reverse("interviews:scorecard-edit", args=[card.pk])

    def send(index: int) -> None:
        barrier.wait(timeout=10)
        responses[index] = session.post(path, {"version": card.version, "action": "submit"})

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


def assert_one_submission(card, responses) -> None:
    feedback = reverse("interviews:feedback", args=[card.interview.application_id])
    own_page = reverse("interviews:scorecard-edit", args=[card.pk])
    assert sorted(r.status for r in responses) == [302, 302], [(r.status, r.text[:300]) for r in responses]
    # One request submitted it (to colleagues' feedback); the other, if it lost the race, sees the scorecard.
    assert feedback in {r.headers["Location"] for r in responses}
    assert {r.headers["Location"] for r in responses} <= {feedback, own_page}
    card.refresh_from_db()
    assert card.status == Scorecard.Status.SUBMITTED
    assert card.revisions.count() == 0
    assert ApplicationSummary.objects.filter(application_id=card.interview.application_id).count() == 1


def test_two_submits_at_once_give_one_submission_and_no_error(live_server, client, complete_draft):
    for _ in range(TRIES):
        card = complete_draft()
        session = LiveSession(live_server.url, client, card.interviewer)

        responses = submit_twice_at_once(session, card)

        assert_one_submission(card, responses)


def test_both_requests_past_the_draft_check_before_either_saves(live_server, client, complete_draft, monkeypatch):
    """The worst interleaving, forced: both requests have loaded the draft when the first save starts."""
    card = complete_draft()
    session = LiveSession(live_server.url, client, card.interviewer)
    both_loaded = threading.Barrier(2)
    real_save = services.scorecard_save

    def save_when_both_loaded(**kwargs):
        both_loaded.wait(timeout=10)
        return real_save(**kwargs)

    monkeypatch.setattr(services, "scorecard_save", save_when_both_loaded)

    responses = submit_twice_at_once(session, card)

    assert_one_submission(card, responses)
    own_page = reverse("interviews:scorecard-edit", args=[card.pk])
    assert own_page in {r.headers["Location"] for r in responses}  # the loser was told, not failed
    follow = session.get(own_page)
    assert follow.status == 200
    assert "The scorecard is locked." in follow.text  # (its note may be lost: both requests wrote the session)
