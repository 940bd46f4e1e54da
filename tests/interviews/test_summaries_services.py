"""Requesting, rebuilding and sweeping summaries: one rebuild per burst, no write when nothing changed."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from interviews import tasks
from interviews.models import ApplicationSummary, FlaggedPhrase, Scorecard
from interviews.summaries.build import summary_build
from interviews.summaries.services import summary_rebuild, summary_request, summary_sweep_stale

from .summary_builders import (
    application_for,
    role_job,
    scorecard,
)
from .test_summaries_content import eight_by_twelve, loaded

pytestmark = pytest.mark.django_db


@pytest.fixture
def app_with_card():
    job, comps, steps = role_job(competencies=2)
    app = application_for(job)
    card = scorecard(
        application=app,
        step=steps["Interview 1"],
        competencies=comps,
        ratings={"Architectural design": (3, "Clear design.")},
    )
    return app, card, comps, steps


def test_a_burst_of_requests_enqueues_one_rebuild(app_with_card, django_capture_on_commit_callbacks, monkeypatch):
    app, *_ = app_with_card
    sent = []
    monkeypatch.setattr(tasks.summarize_application, "apply_async", lambda args, **kw: sent.append(args))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        results = [summary_request(application_id=app.pk) for _ in range(5)]

    assert results == [True, False, False, False, False]
    assert len(callbacks) == 1
    assert sent == [(app.pk,)]
    summary = ApplicationSummary.objects.get(application=app)
    assert summary.status == ApplicationSummary.Status.PENDING
    assert summary.queued_at is not None


def test_after_a_build_the_next_request_enqueues_again(app_with_card, django_capture_on_commit_callbacks):
    app, *_ = app_with_card
    with django_capture_on_commit_callbacks(execute=False) as first:
        summary_request(application_id=app.pk)
    summary_rebuild(application_id=app.pk)
    with django_capture_on_commit_callbacks(execute=False) as second:
        summary_request(application_id=app.pk)

    assert len(first) == len(second) == 1


def test_request_runs_the_job_on_commit_and_the_summary_is_ready(app_with_card, django_capture_on_commit_callbacks):
    app, card, *_ = app_with_card

    with django_capture_on_commit_callbacks(execute=True):
        summary_request(application_id=app.pk)

    summary = ApplicationSummary.objects.get(application=app)
    assert summary.status == ApplicationSummary.Status.READY
    assert summary.build_count == 1
    assert summary.queued_at is None
    assert summary.content["scorecards"][0]["id"] == card.pk
    assert summary.backend == "builtin"
    assert f"[S{card.pk}]" in summary.narrative


def test_unchanged_fingerprint_writes_nothing(app_with_card, django_assert_num_queries):
    app, *_ = app_with_card
    first = summary_rebuild(application_id=app.pk)
    built_at = first.built_at

    # The summary with its application, then the scorecards: no transaction, no UPDATE at all.
    with django_assert_num_queries(2) as captured:
        summary_rebuild(application_id=app.pk)

    assert not any(q["sql"].lstrip().upper().startswith("UPDATE") for q in captured.captured_queries)
    summary = ApplicationSummary.objects.get(application=app)
    assert summary.build_count == 1
    assert summary.built_at == built_at


def test_a_changed_scorecard_changes_the_fingerprint_and_rebuilds(app_with_card):
    app, card, _comps, _steps = app_with_card
    first = summary_rebuild(application_id=app.pk)
    Scorecard.objects.filter(pk=card.pk).update(version=2)

    second = summary_rebuild(application_id=app.pk)

    assert second.fingerprint != first.fingerprint
    assert second.build_count == 2


def test_withdrawn_scorecard_leaves_the_summary(app_with_card):
    app, card, *_ = app_with_card
    summary_rebuild(application_id=app.pk)
    Scorecard.objects.filter(pk=card.pk).update(status=Scorecard.Status.DRAFT)

    summary = summary_rebuild(application_id=app.pk)

    assert summary.content["scorecards"] == []


def test_rebuild_of_8_by_12_takes_at_most_10_queries(django_assert_max_num_queries):
    FlaggedPhrase.objects.update_or_create(phrase="culture fit", defaults={"reason": "vague", "active": True})
    app = eight_by_twelve()
    summary_request(application_id=app.pk)  # as a submission does: the summary row exists, pending

    with django_assert_max_num_queries(10):
        summary = summary_rebuild(application_id=app.pk)

    assert summary.build_count == 1
    assert len(summary.content["competencies"]) == 12


def test_rebuild_of_a_missing_application_does_nothing():
    assert summary_rebuild(application_id=987654) is None
    assert not ApplicationSummary.objects.exists()


def test_the_task_is_reliable():
    task = tasks.summarize_application
    assert task.acks_late is True
    assert task.reject_on_worker_lost is True
    assert task.max_retries >= 3
    assert task.retry_jitter is True
    assert task.soft_time_limit < task.time_limit
    names = {cls.__name__ for cls in task.autoretry_for}
    assert names == {"OperationalError", "InterfaceError"}
    assert len(task.autoretry_for) == 3  # Django's two and kombu's OperationalError


def stale_setup(settings):
    settings.SUMMARY_STALE_AFTER_SECONDS = 60
    return timezone.now() - timedelta(minutes=10)


def test_sweeper_re_enqueues_pending_summaries_left_behind(
    app_with_card, settings, django_capture_on_commit_callbacks, monkeypatch
):
    app, *_ = app_with_card
    long_ago = stale_setup(settings)
    summary_request(application_id=app.pk)  # the message got lost
    ApplicationSummary.objects.update(requested_at=long_ago, queued_at=long_ago)
    sent = []
    monkeypatch.setattr(tasks.summarize_application, "apply_async", lambda args, **kw: sent.append(args))

    with django_capture_on_commit_callbacks(execute=True):
        assert summary_sweep_stale() == [app.pk]

    assert sent == [(app.pk,)]
    # Just re-enqueued: the next sweep leaves it alone.
    assert summary_sweep_stale() == []


def test_sweeper_leaves_fresh_requests_and_current_summaries_alone(app_with_card, settings):
    app, *_ = app_with_card
    stale_setup(settings)
    other_job, _comps, _steps = role_job(competencies=1)
    other = application_for(other_job)
    summary_rebuild(application_id=app.pk)
    summary_request(application_id=other.pk)  # fresh: its message is still on its way

    assert summary_sweep_stale() == []


def test_sweeper_finds_outdated_and_missing_summaries_in_constant_queries(
    settings, django_assert_num_queries, django_capture_on_commit_callbacks
):
    long_ago = stale_setup(settings)
    ids = []
    for _ in range(3):
        job, comps, steps = role_job(competencies=1)
        app = application_for(job)
        card = scorecard(
            application=app, step=steps["Interview 1"], competencies=comps, ratings={"Architectural design": (3, "x")}
        )
        Scorecard.objects.filter(pk=card.pk).update(updated_at=long_ago)
        ids.append(app.pk)
    # The first has a summary built before its scorecard changed; the others none at all.
    summary_rebuild(application_id=ids[0])
    ApplicationSummary.objects.filter(application_id=ids[0]).update(built_at=long_ago - timedelta(minutes=1))

    with django_capture_on_commit_callbacks(execute=True), django_assert_num_queries(6):
        found = summary_sweep_stale()

    assert sorted(found) == sorted(ids)
    assert ApplicationSummary.objects.filter(status=ApplicationSummary.Status.READY).count() == 3


def test_summarize_command_prints_the_summary_as_json(app_with_card, capsys):
    app, card, *_ = app_with_card
    import json

    call_command("summarize", str(app.pk))

    data = json.loads(capsys.readouterr().out)
    for key in ("fingerprint", "competencies", "agreements", "disagreements", "coverage_gaps", "recommendations"):
        assert key in data
    assert data["signal"]["citations"][0]["scorecard_id"] == card.pk
    assert data["fingerprint"] == summary_build(application=loaded(app))["fingerprint"]
    assert not ApplicationSummary.objects.exists()  # it writes nothing


def test_summarize_command_refuses_an_unknown_application():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Application 424242 does not exist"):
        call_command("summarize", "424242")


def test_demo_step_builds_summaries_once(app_with_card):
    import io
    import random

    from interviews.demo.summaries import seed

    app, *_ = app_with_card
    out = io.StringIO()
    seed(rng=random.Random(1), candidates=1, users={}, stdout=out)
    seed(rng=random.Random(1), candidates=1, users={}, stdout=out)

    assert ApplicationSummary.objects.get(application=app).build_count == 1


def test_beat_runs_the_sweeper_every_minute_and_the_digest_weekly(settings):
    from config.celery import app as celery_app

    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["interviews-summaries-sweep"]["schedule"] <= 120
    assert schedule["interviews-summaries-sweep"]["task"] in celery_app.tasks
    assert schedule["interviews-job-digests"]["task"] in celery_app.tasks
    assert settings.SUMMARY_STALE_AFTER_SECONDS == 180


def test_sweeper_task_rebuilds_what_it_finds(app_with_card, settings, django_capture_on_commit_callbacks):
    app, *_ = app_with_card
    long_ago = stale_setup(settings)
    summary_request(application_id=app.pk)  # in the test transaction: the job never ran
    ApplicationSummary.objects.update(requested_at=long_ago, queued_at=long_ago)

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.summaries_sweep.delay().get() == 1

    summary = ApplicationSummary.objects.get(application=app)
    assert summary.status == ApplicationSummary.Status.READY
    assert summary.build_count == 1


def test_a_request_long_after_a_lost_message_enqueues_again(
    app_with_card, settings, django_capture_on_commit_callbacks
):
    app, *_ = app_with_card
    long_ago = stale_setup(settings)
    summary_request(application_id=app.pk)
    ApplicationSummary.objects.update(queued_at=long_ago)  # that message never arrived

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert summary_request(application_id=app.pk) is True

    assert len(callbacks) == 1
