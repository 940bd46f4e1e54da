"""Summaries through a real Celery worker on Redis and PostgreSQL: written once, never left stale.

Slow builds come from a fake language model on 127.0.0.1 that holds its answer (the
worker is pointed at it through its environment), so a test can kill the worker while a
build waits for the model - the moment no transaction or lock is open.
"""

import os
import signal
import time

import pytest

from hiring.models import Application
from interviews import tasks
from interviews.models import ApplicationSummary
from interviews.selectors import summary_fingerprint_now
from interviews.summaries.services import summary_request
from tests.fakes import FakeLanguageModel
from tests.interviews.summary_builders import application_for, role_job, scorecard


@pytest.fixture
def model():
    fake = FakeLanguageModel()
    yield fake
    fake.close()


def llm_env(model: FakeLanguageModel, **extra: str) -> dict[str, str]:
    return {
        "SUMMARY_BACKEND": "llm",
        "SUMMARY_LLM_URL": model.url,
        "SUMMARY_LLM_MODEL": "test-model",
        "SUMMARY_LLM_TIMEOUT": "60",
        "SUMMARY_LLM_RETRIES": "0",
        **extra,
    }


def application_with_feedback(cards: int = 3):
    job, comps, steps = role_job(competencies=4)
    app = application_for(job)
    for i in range(cards):
        scorecard(
            application=app,
            step=steps["Interview 1"],
            competencies=comps,
            ratings={c.name: (1 + (i + j) % 4, f"evidence {i}-{j}") for j, c in enumerate(comps)},
        )
    return Application.objects.get(pk=app.pk)


def restart(worker, concurrency: int = 1, **env: str):
    worker.stop()
    worker.env.update(env)
    worker.start(concurrency=concurrency)


def wait_for(condition, timeout: float = 60, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("timed out waiting")


def summary_of(app) -> ApplicationSummary | None:
    return ApplicationSummary.objects.filter(application=app).first()


def test_the_task_run_twice_through_the_worker_writes_once(celery_worker_process):
    app = application_with_feedback()

    celery_worker_process.outcome(tasks.summarize_application.delay(app.pk))
    first = summary_of(app)
    celery_worker_process.outcome(tasks.summarize_application.delay(app.pk))
    second = summary_of(app)

    assert first.build_count == second.build_count == 1
    assert second.built_at == first.built_at
    assert second.fingerprint == summary_fingerprint_now(application=app)


def test_two_workers_building_at_once_write_once(celery_worker_process, model):
    model.set_stall(1)  # each answer takes a second: the two builds overlap
    restart(celery_worker_process, concurrency=2, **llm_env(model))
    app = application_with_feedback()

    results = [tasks.summarize_application.delay(app.pk) for _ in range(2)]
    for result in results:
        celery_worker_process.outcome(result)

    summary = summary_of(app)
    assert summary.build_count == 1
    assert summary.status == ApplicationSummary.Status.READY
    assert summary.backend == "llm"
    assert model.requests == 1  # the second found the row claimed (or built) and asked nobody


def test_a_burst_of_requests_through_the_worker_builds_once(celery_worker_process):
    app = application_with_feedback()

    for _ in range(5):
        summary_request(application_id=app.pk)  # each commits and enqueues on commit, unless one is queued

    summary = wait_for(lambda: (s := summary_of(app)) and s.status == ApplicationSummary.Status.READY and s)
    assert summary.build_count == 1
    assert summary.fingerprint == summary_fingerprint_now(application=app)


def test_worker_killed_mid_summary_then_a_new_worker_leaves_it_current_and_written_once(celery_worker_process, model):
    worker = celery_worker_process
    model.set_stall(20)
    restart(worker, **llm_env(model, SUMMARY_STALE_AFTER_SECONDS="1"))
    app = application_with_feedback()

    summary_request(application_id=app.pk)  # as a submission does: enqueued on commit
    assert model.stalled.wait(60), worker.log_text()  # the build is waiting for the model
    worker.kill()

    summary = summary_of(app)
    assert summary.build_count == 0  # the killed build wrote nothing
    assert summary.status == ApplicationSummary.Status.PENDING
    assert summary.claimed_by  # its claim is left behind, and times out

    model.release()
    model.set_stall(0.5)
    restart(worker, **llm_env(model, SUMMARY_STALE_AFTER_SECONDS="1"))
    time.sleep(1.2)  # the pending summary is now older than the stale threshold
    # The periodic sweeper (beat runs it every minute) finds it and enqueues it again.
    assert celery_worker_process.outcome(tasks.summaries_sweep.delay()) == 1

    summary = wait_for(lambda: (s := summary_of(app)) and s.status == ApplicationSummary.Status.READY and s)
    assert summary.build_count == 1
    assert summary.fingerprint == summary_fingerprint_now(application=app)
    assert len(summary.content["scorecards"]) == 3
    # And a later sweep finds nothing more to do.
    assert celery_worker_process.outcome(tasks.summaries_sweep.delay()) == 0


@pytest.mark.parametrize("cards", [0, 8])
def test_summaries_of_any_size_build_through_the_worker(celery_worker_process, cards):
    app = application_with_feedback(cards)
    celery_worker_process.outcome(tasks.summarize_application.delay(app.pk))
    assert len(summary_of(app).content["scorecards"]) == cards


def pool_children(pid: int) -> list[int]:
    path = f"/proc/{pid}/task/{pid}/children"
    with open(path) as f:
        return [int(p) for p in f.read().split()]


def test_pool_process_killed_mid_summary_is_redelivered_at_once(celery_worker_process, model):
    """Only the pool child dies: acks_late + reject_on_worker_lost requeue the message, no sweeper needed.

    The redelivered message carries the same task id, which names the dead build's claim, so
    it takes the claim over at once instead of waiting for it to time out (180 s here).
    """
    worker = celery_worker_process
    model.set_stall(4)
    restart(worker, **llm_env(model))
    app = application_with_feedback()

    summary_request(application_id=app.pk)  # as a submission does: enqueued on commit
    assert model.stalled.wait(60), worker.log_text()
    [child] = pool_children(worker.process.pid)
    os.kill(child, signal.SIGKILL)

    summary = wait_for(lambda: (s := summary_of(app)) and s.status == ApplicationSummary.Status.READY and s, timeout=90)
    assert summary.build_count == 1
    assert summary.backend == "llm"
    assert summary.fingerprint == summary_fingerprint_now(application=app)
    assert "WorkerLostError" in worker.log_text()  # the first delivery died with its process
