"""Fault suite: the database connection of a request is terminated half-way (``pg_terminate_backend``).

A live server on PostgreSQL serves the request; a test hook (monkeypatch, never production code)
wraps a service so that, in the middle of the request's transaction, another connection
terminates the request's backend. The user gets a 503 page that says what happened, the
transaction leaves nothing half-written, and the next request works on a new connection.
"""

import time

import psycopg
import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse

from hiring import selectors as hiring_selectors
from interviews.models import ApplicationSummary, Scorecard
from interviews.services import scorecards as scorecard_services
from tests.faults import LiveSession
from tests.hiring.factories import RecruiterFactory
from tests.interviews.summary_builders import application_for, role_job, scorecard


def terminate_this_connection() -> int:
    """From another connection, end the backend of the calling thread's connection; wait until it is gone."""
    pid = connection.connection.info.backend_pid
    s = connection.settings_dict
    with psycopg.connect(
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        user=s["USER"] or "postgres",
        password=s["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0] is True
        for _ in range(100):
            if admin.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()[0] == 0:
                break
            time.sleep(0.02)
    return pid


@pytest.fixture
def draft(transactional_db):
    # Every content type committed and known first: the audit trail looks one up inside the
    # transaction this test kills, and one created there would be cached yet rolled back.
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(*apps.get_models())
    job, comps, steps = role_job(competencies=2)
    return scorecard(
        application=application_for(job),
        step=steps["Interview 1"],
        competencies=comps,
        ratings={c.name: (3, "Sized the cluster from the traffic numbers.") for c in comps},
        status=Scorecard.Status.DRAFT,
    )


def assert_clear_503(response) -> None:
    assert response.status == 503, response.text[:500]
    assert response.headers["Retry-After"] == "5"
    assert "We lost the connection to the database" in response.text
    assert "nothing is saved half-way" in response.text
    assert "Traceback" not in response.text


def test_connection_dropped_mid_submit_answers_503_and_leaves_no_half_submission(
    live_server, client, draft, monkeypatch
):
    session = LiveSession(live_server.url, client, draft.interviewer)
    real_request = scorecard_services.summary_request
    terminated = []

    def drop_then_continue(**kwargs):
        # Inside scorecard_submit's transaction: the card is already marked submitted, not yet committed.
        terminated.append(terminate_this_connection())
        return real_request(**kwargs)

    monkeypatch.setattr(scorecard_services, "summary_request", drop_then_continue)
    path = reverse("interviews:scorecard-edit", args=[draft.pk])

    response = session.post(path, {"version": 1, "action": "submit"})

    assert terminated
    assert_clear_503(response)
    draft.refresh_from_db()
    assert draft.status == Scorecard.Status.DRAFT  # the submit was rolled back as a whole
    assert draft.submitted_at is None
    assert not ApplicationSummary.objects.filter(application_id=draft.interview.application_id).exists()

    # The next request gets a fresh connection, and the submit goes through.
    monkeypatch.setattr(scorecard_services, "summary_request", real_request)
    draft.refresh_from_db()
    retry = session.post(path, {"version": draft.version, "action": "submit"})
    assert retry.status == 302
    draft.refresh_from_db()
    assert draft.status == Scorecard.Status.SUBMITTED


def test_connection_dropped_while_reading_the_board_answers_503(live_server, client, draft, monkeypatch):
    session = LiveSession(live_server.url, client, RecruiterFactory())
    job_id = draft.interview.application.job_id
    real_board = hiring_selectors.board_get

    def drop_then_read(**kwargs):
        terminate_this_connection()
        return real_board(**kwargs)

    monkeypatch.setattr(hiring_selectors, "board_get", drop_then_read)
    response = session.get(reverse("hiring:board", args=[job_id]))
    assert_clear_503(response)

    monkeypatch.setattr(hiring_selectors, "board_get", real_board)
    assert session.get(reverse("hiring:board", args=[job_id])).status == 200
