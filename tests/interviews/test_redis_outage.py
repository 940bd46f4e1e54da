"""Redis down (issue 14, defect 1): pages and writes keep working on the database alone.

The broker is pointed at a port nothing listens on, the cache at a Redis that is not there;
submit, autosave, the scorecard page and the board must answer as usual, the enqueue
failure is logged, and the summary sweeper picks the work up as soon as the broker is back.
(The services tier repeats this with a real redis-server that the test stops and restarts.)
"""

import logging
import time

import pytest
import redis
from django.urls import reverse

from hiring.background import enqueue
from interviews import tasks
from interviews.models import ApplicationSummary, Scorecard
from interviews.summaries.services import summary_sweep_stale
from tests.faults import celery_broker, free_port
from tests.interviews.conftest import fill
from tests.interviews.factories import FlaggedPhraseFactory

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def broker_down():
    with celery_broker(f"redis://127.0.0.1:{free_port()}/0"):
        yield


@pytest.fixture
def cache_down(settings):
    """The production cache configuration (``REDIS_CACHE``) pointed at a Redis that is not running."""
    settings.CACHES = {"default": {**settings.REDIS_CACHE, "LOCATION": f"redis://127.0.0.1:{free_port()}/0"}}


def submit_post(client, card):
    card.refresh_from_db()
    return client.post(
        reverse("interviews:scorecard-edit", args=[card.pk]), {"version": card.version, "action": "submit"}
    )


def test_submit_with_the_broker_down_says_submitted_and_the_sweeper_catches_up(
    client, people, alice_card, broker_down, django_capture_on_commit_callbacks, caplog
):
    fill(alice_card)
    client.force_login(people["alice"])

    with (
        caplog.at_level(logging.ERROR, logger="hiring.background"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = submit_post(client, alice_card)

    application = alice_card.interview.application
    assert response.status_code == 302
    assert response["Location"] == reverse("interviews:feedback", args=[application.pk])
    alice_card.refresh_from_db()
    assert alice_card.status == Scorecard.Status.SUBMITTED
    assert "Could not enqueue interviews.tasks.summarize_application" in caplog.text
    # No message is queued for it: the very next sweep sends it, without waiting for the lost-message window.
    summary = ApplicationSummary.objects.get(application=application)
    assert summary.status == ApplicationSummary.Status.PENDING
    assert summary.queued_at is None
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Scorecard submitted" in page.content.decode()
    # The summary panel says what is happening, and polls slowly meanwhile.
    panel = client.get(reverse("interviews:application-summary", args=[application.pk]), **HX).content.decode()
    assert "background work cannot be queued right now, so the summary is not being built yet" in panel
    assert "is being built" not in panel
    assert 'hx-trigger="every 15s"' in panel


def test_the_first_sweep_after_the_broker_returns_builds_the_summary(
    client, people, alice_card, django_capture_on_commit_callbacks
):
    fill(alice_card)
    client.force_login(people["alice"])
    with celery_broker(f"redis://127.0.0.1:{free_port()}/0"), django_capture_on_commit_callbacks(execute=True):
        assert submit_post(client, alice_card).status_code == 302
    application = alice_card.interview.application

    # The broker is back (tasks run in the test process again): beat's next sweep finds the summary.
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.summaries_sweep.delay().get() == 1

    summary = ApplicationSummary.objects.get(application=application)
    assert summary.status == ApplicationSummary.Status.READY
    assert summary.build_count == 1
    assert len(summary.content["scorecards"]) == 1
    assert summary_sweep_stale() == []


def test_after_one_failed_send_the_broker_is_not_tried_again_for_a_few_seconds(broker_down, caplog):
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="hiring.background"):
        results = [enqueue("interviews.tasks.summarize_application", pk) for pk in range(1, 21)]
    elapsed = time.monotonic() - started

    assert results == [False] * 20
    assert caplog.text.count("Could not enqueue") == 1  # one connection attempt, not twenty
    assert caplog.text.count("the broker failed moments ago") == 19
    assert elapsed < 5  # twenty attempts would take about 15 s


def test_scorecard_page_and_autosave_work_with_the_cache_down(client, people, alice_card, cache_down, caplog):
    FlaggedPhraseFactory(phrase="culture fit", reason="Vague; name the behaviour instead.")
    rating = alice_card.ratings.first()
    client.force_login(people["alice"])

    with caplog.at_level(logging.WARNING, logger="hiring.cache"):
        page = client.get(reverse("interviews:scorecard-edit", args=[alice_card.pk]))
        saved = client.post(
            reverse("interviews:scorecard-autosave", args=[alice_card.pk]),
            {"field": f"evidence-{rating.pk}", f"evidence-{rating.pk}": "A culture fit.", "version": 1},
            **HX,
        )

    assert page.status_code == 200
    assert "Scorecard:" in page.content.decode()
    assert saved.status_code == 200
    assert "<mark>culture fit</mark>" in saved.content.decode()  # the phrase list came from the database
    rating.refresh_from_db()
    assert rating.evidence == "A culture fit."
    assert "serving from the database" in caplog.text


def test_board_works_with_the_cache_down(client, people, job, cache_down):
    from tests.hiring.factories import ApplicationFactory, CandidateFactory

    ApplicationFactory(job=job, candidate=CandidateFactory(source="Referral"))
    client.force_login(people["recruiter"])

    response = client.get(reverse("hiring:board", args=[job.pk]))

    assert response.status_code == 200
    assert "Referral" in response.content.decode()  # the sources filter, read from the database


def test_fail_soft_cache_reads_miss_writes_do_nothing_and_only_ping_raises(cache_down):
    from django.core.cache import cache

    assert cache.get("key", "fallback") == "fallback"
    assert cache.get_or_set("key", lambda: "computed", 60) == "computed"
    assert cache.add("key", 1) is False
    cache.set("key", 1)
    cache.delete("key")
    assert cache.get_many(["a", "b"]) == {}
    with pytest.raises(ValueError, match="not found"):
        cache.incr("counter")
    with pytest.raises(redis.ConnectionError):
        cache.ping()
