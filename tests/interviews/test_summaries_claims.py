"""The summary build holds no transaction or lock while it computes and waits for the model:
it claims its row, and its write-back is guarded by the claim and the inputs' fingerprint."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from interviews.models import ApplicationSummary, Scorecard
from interviews.summaries import services
from interviews.summaries.services import summary_rebuild, summary_request

from .summary_builders import application_for, role_job, scorecard


@pytest.fixture
def app_with_card(db):
    job, comps, steps = role_job(competencies=2)
    app = application_for(job)
    card = scorecard(
        application=app, step=steps["Interview 1"], competencies=comps, ratings={"Architectural design": (3, "Clear.")}
    )
    return app, card


@pytest.fixture
def during_narrative(monkeypatch):
    """Run ``action`` once while the backend writes the narrative (the slow, unlocked part)."""
    real = services.summary_backends.narrative_for
    calls = []

    def install(action=None):
        def narrative_for(content, *, people):
            calls.append(connection.in_atomic_block)
            if action is not None and len(calls) == 1:
                action()
            return real(content, people=people)

        monkeypatch.setattr(services.summary_backends, "narrative_for", narrative_for)
        return calls

    return install


def summary_of(app) -> ApplicationSummary:
    return ApplicationSummary.objects.get(application=app)


def test_inputs_changed_during_the_build_are_not_overwritten_with_stale_content(
    app_with_card, during_narrative, django_capture_on_commit_callbacks
):
    app, card = app_with_card
    first = summary_rebuild(application_id=app.pk)
    Scorecard.objects.filter(pk=card.pk).update(version=2)  # an amend: the summary is outdated
    calls = during_narrative(lambda: Scorecard.objects.filter(pk=card.pk).update(version=3))  # and another, mid-build

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        summary_rebuild(application_id=app.pk)

    stale = summary_of(app)
    assert stale.fingerprint == first.fingerprint  # the content built from version 2 was dropped
    assert stale.build_count == 1
    assert stale.status == ApplicationSummary.Status.PENDING  # shown as being rebuilt
    assert stale.queued_at is not None
    assert stale.claimed_by == ""
    assert len(callbacks) == 1  # ...and the rebuild is requested again

    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()
    current = summary_of(app)
    assert current.status == ApplicationSummary.Status.READY
    assert current.build_count == 2
    assert current.fingerprint == services.summaries.load_head(app).fingerprint
    assert len(calls) == 2


def test_a_request_during_the_build_gets_its_own_rebuild(
    app_with_card, during_narrative, django_capture_on_commit_callbacks
):
    app, _card = app_with_card
    summary_request(application_id=app.pk)  # queued; the task starts building
    during_narrative(lambda: summary_request(application_id=app.pk))  # a submission lands meanwhile

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        summary_rebuild(application_id=app.pk)

    assert summary_of(app).build_count == 0  # not marked ready over the newer request
    assert summary_of(app).status == ApplicationSummary.Status.PENDING
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()
    assert summary_of(app).status == ApplicationSummary.Status.READY
    assert summary_of(app).build_count == 1


def test_a_build_claimed_by_another_worker_is_left_to_it_until_the_claim_times_out(
    app_with_card, during_narrative, settings
):
    app, _card = app_with_card
    summary_request(application_id=app.pk)
    ApplicationSummary.objects.filter(application=app).update(claimed_by="task:other", claimed_at=timezone.now())
    calls = during_narrative()

    summary_rebuild(application_id=app.pk)
    assert calls == []  # nothing built, the model not asked
    assert summary_of(app).build_count == 0

    long_ago = timezone.now() - timedelta(seconds=settings.SUMMARY_STALE_AFTER_SECONDS + 1)
    ApplicationSummary.objects.filter(application=app).update(claimed_at=long_ago)  # its worker died
    summary_rebuild(application_id=app.pk)

    summary = summary_of(app)
    assert summary.build_count == 1
    assert summary.status == ApplicationSummary.Status.READY
    assert (summary.claimed_by, summary.claimed_at) == ("", None)


def test_a_redelivered_task_takes_its_own_claim_over_at_once(app_with_card):
    app, _card = app_with_card
    summary_request(application_id=app.pk)
    ApplicationSummary.objects.filter(application=app).update(claimed_by="task:abc", claimed_at=timezone.now())

    summary_rebuild(application_id=app.pk, claimant="task:abc")  # the same message, after its process died

    assert summary_of(app).build_count == 1


def test_the_language_model_is_asked_outside_any_transaction(transactional_db, during_narrative):
    job, comps, steps = role_job(competencies=2)
    app = application_for(job)
    scorecard(
        application=app, step=steps["Interview 1"], competencies=comps, ratings={"Architectural design": (3, "x")}
    )
    calls = during_narrative()

    summary_rebuild(application_id=app.pk)

    assert calls == [False]
    assert summary_of(app).build_count == 1
