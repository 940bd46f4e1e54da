"""Fault suite: the broker/cache Redis stops while people submit, autosave and look at the board.

The test starts its own ``redis-server`` (never the machine's), a real Celery worker with beat
inside it (the periodic summary sweeper), and points this process's broker and cache at that
Redis. It then stops Redis, works through the web tier, starts Redis again (empty, as after
a crash without persistence) and waits for the sweeper to bring every summary up to date.
"""

import os
import time

import pytest
from django.urls import reverse

from interviews.models import ApplicationSummary, CompetencyRating, Scorecard
from interviews.selectors import summary_fingerprint_now
from tests.faults import RedisServer, celery_broker
from tests.hiring.factories import RecruiterFactory
from tests.interviews.summary_builders import application_for, role_job, scorecard
from tests.services.conftest import WorkerProcess, database_url_for_worker

HX = {"HTTP_HX_REQUEST": "true"}
# Beat sends the sweep every 60 s; the rebuild waits SUMMARY_DEBOUNCE_SECONDS and takes a moment.
CATCH_UP_SECONDS = 65


@pytest.fixture
def own_redis(tmp_path):
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def stack(transactional_db, own_redis, tmp_path, settings):
    """This process and a worker (with beat) on our own Redis: db 0 the broker, db 1 the cache."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CACHES = {"default": {**settings.REDIS_CACHE, "LOCATION": own_redis.url(1)}}
    with celery_broker(own_redis.url(0)):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url_for_worker(),
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "CELERY_BROKER_URL": own_redis.url(0),
            "REDIS_URL": own_redis.url(1),
        }
        worker = WorkerProcess(env, tmp_path, extra_args=("--beat",))
        worker.start()
        try:
            yield worker
        finally:
            worker.stop()


def drafts(count: int):
    """``count`` applications, each with two complete draft scorecards by different interviewers."""
    cards = []
    for _ in range(count):
        job, comps, steps = role_job(competencies=2)
        app = application_for(job)
        for i in range(2):
            cards.append(
                scorecard(
                    application=app,
                    step=steps["Interview 1"],
                    competencies=comps,
                    ratings={c.name: (2 + i, f"evidence {i}") for c in comps},
                    status=Scorecard.Status.DRAFT,
                )
            )
    return cards


def wait_for(condition, timeout: float, interval: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False


def current(application_id: int) -> bool:
    summary = ApplicationSummary.objects.filter(application_id=application_id).first()
    return (
        summary is not None
        and summary.status == ApplicationSummary.Status.READY
        and summary.fingerprint == summary_fingerprint_now(application=summary.application)
    )


def test_redis_stopped_during_submits_autosaves_and_board_views(client, stack, own_redis):
    worker = stack
    cards = drafts(3)
    recruiter = RecruiterFactory()
    application_ids = sorted({card.interview.application_id for card in cards})
    statuses: list[tuple[str, int]] = []

    # Redis up: a submission is summarised through the worker, as usual.
    first = cards[0]
    client.force_login(first.interviewer)
    response = client.post(reverse("interviews:scorecard-edit", args=[first.pk]), {"version": 1, "action": "submit"})
    assert response.status_code == 302
    assert wait_for(lambda: current(first.interview.application_id), timeout=60), worker.log_text()

    own_redis.stop()
    stopped_at = time.monotonic()

    for card in cards[1:]:
        client.force_login(card.interviewer)
        rating = card.ratings.first()
        page = client.get(reverse("interviews:scorecard-edit", args=[card.pk]))
        saved = client.post(
            reverse("interviews:scorecard-autosave", args=[card.pk]),
            {"field": f"evidence-{rating.pk}", f"evidence-{rating.pk}": f"Typed while Redis was down {card.pk}."}
            | {"version": 1},
            **HX,
        )
        submitted = client.post(
            reverse("interviews:scorecard-edit", args=[card.pk]), {"version": 2, "action": "submit"}
        )
        statuses += [("scorecard page", page.status_code), ("autosave", saved.status_code)]
        statuses += [("submit", submitted.status_code)]
        assert submitted["Location"] == reverse("interviews:feedback", args=[card.interview.application_id])
    client.force_login(recruiter)
    for card in cards[::2]:
        board = client.get(reverse("hiring:board", args=[card.interview.application.job_id]))
        statuses.append(("board", board.status_code))
    outage = time.monotonic() - stopped_at

    assert [s for s in statuses if s[1] >= 500] == []
    assert {code for _, code in statuses} <= {200, 302}
    # Nothing lost: every autosave and every submission is in the database.
    for card in cards[1:]:
        card.refresh_from_db()
        assert card.status == Scorecard.Status.SUBMITTED
        assert CompetencyRating.objects.filter(
            scorecard=card, evidence=f"Typed while Redis was down {card.pk}."
        ).exists()
    assert not any(current(pk) for pk in application_ids)  # every summary now waits for the sweeper

    own_redis.start()  # empty: whatever was queued before the stop is gone
    back_at = time.monotonic()

    caught_up = wait_for(lambda: all(current(pk) for pk in application_ids), timeout=CATCH_UP_SECONDS + 15)
    elapsed = time.monotonic() - back_at
    print(f"Redis down {outage:.1f} s; summaries current {elapsed:.1f} s after it came back")
    assert caught_up, worker.log_text()
    assert elapsed <= CATCH_UP_SECONDS
    for pk in application_ids:
        summary = ApplicationSummary.objects.get(application_id=pk)
        assert (
            len(summary.content["scorecards"])
            == Scorecard.objects.filter(interview__application_id=pk, status=Scorecard.Status.SUBMITTED).count()
        )


def test_readyz_follows_redis_down_and_back(client, transactional_db, own_redis, settings):
    settings.CACHES = {"default": {**settings.REDIS_CACHE, "LOCATION": own_redis.url(1)}}
    with celery_broker(own_redis.url(0)):
        up = client.get(reverse("readyz"))
        own_redis.stop()
        down = client.get(reverse("readyz"))
        own_redis.start()
        back = client.get(reverse("readyz"))

    assert up.status_code == 200
    assert down.status_code == 503
    checks = down.json()["checks"]
    assert (checks["database"]["ok"], checks["cache"]["ok"], checks["broker"]["ok"]) == (True, False, False)
    assert back.status_code == 200, back.json()
