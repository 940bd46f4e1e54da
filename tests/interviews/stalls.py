"""A slow mail server and a slow language model must not slow anyone else down.

Shared by the SQLite test (tests/interviews/test_no_io_in_transactions.py) and the
PostgreSQL one (tests/services/test_no_io_in_transactions.py): an invitation email is being
delivered to a mail server that holds it, and the application's summary is being built by
a language model that holds its answer (both for up to ``STALL`` seconds, in threads of
this process). Meanwhile an interviewer autosaves a scorecard of the same application and a
recruiter moves it on the board: each request must answer within ``BUDGET`` seconds. Were
either delivery holding a transaction or a row lock around its network call, these
requests would wait for it (or, on SQLite, fail on the database lock).
"""

from __future__ import annotations

import threading
import time

from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from hiring.models import Application, OutboxMessage
from hiring.services.outbox import outbox_deliver, outbox_enqueue
from interviews.models import ApplicationSummary, CompetencyRating
from interviews.summaries.services import summary_rebuild
from tests.fakes import FakeLanguageModel, FakeSMTPServer
from tests.hiring.factories import (
    ApplicationFactory,
    InterviewerFactory,
    RecruiterFactory,
    job_with_stages,
    scorecard_for,
)
from tests.interviews.factories import CompetencyRatingFactory

STALL = 10.0
BUDGET = 1.0


def _configure(settings, smtp: FakeSMTPServer, model: FakeLanguageModel) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = STALL * 2
    settings.SUMMARY_BACKEND = "llm"
    settings.SUMMARY_LLM_URL = model.url
    settings.SUMMARY_LLM_MODEL = "stalling-test-model"
    settings.SUMMARY_LLM_TIMEOUT = STALL * 2
    settings.SUMMARY_LLM_RETRIES = 0


def _in_thread(target, errors: list) -> threading.Thread:
    def run():
        try:
            target()
        except Exception as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _timed(call) -> tuple[float, object]:
    start = time.monotonic()
    result = call()
    return time.monotonic() - start, result


def run_scenario(settings) -> dict[str, float]:
    """Run the scenario and check everything a user would notice; returns the measured seconds."""
    job = job_with_stages()
    stages = list(job.stages.order_by("order"))
    application = ApplicationFactory(job=job, stage=stages[0], candidate__first_name="Ada")
    interviewer, recruiter = InterviewerFactory(), RecruiterFactory()
    # Two submitted scorecards to summarise, and the interviewer's draft to autosave.
    for _ in range(2):
        scorecard_for(application=application, interviewer=InterviewerFactory(), status="submitted")
    draft = scorecard_for(application=application, interviewer=interviewer)
    rating = draft.ratings.first() or CompetencyRatingFactory(scorecard=draft)
    # The submissions built a summary already (eager tasks); a new build is what stalls below.
    ApplicationSummary.objects.filter(application=application).delete()
    with transaction.atomic():
        message_id = outbox_enqueue(
            purpose="interview-invitation",
            reference=f"interview:{draft.interview_id}",
            recipient=interviewer.email,
            subject="Interview: Ada",
            body_text="You are interviewing Ada.",
            deliver_on_commit=False,  # delivered below, from a thread, as a worker would
        )

    interviewer_client, recruiter_client = Client(), Client()
    interviewer_client.force_login(interviewer)
    recruiter_client.force_login(recruiter)
    autosave_url = reverse("interviews:scorecard-autosave", args=[draft.pk])
    board_url = reverse("hiring:board", args=[job.pk])
    field = f"evidence-{rating.pk}"

    def autosave(text: str, version: int):
        return interviewer_client.post(
            autosave_url, {"field": field, field: text, "version": version}, headers={"HX-Request": "true"}
        )

    def move(stage, version: int):
        return recruiter_client.post(
            reverse("hiring:application-move", args=[application.pk]),
            {"to_stage": stage.pk, "version": version},
            headers={"HX-Request": "true", "HX-Current-URL": "http://testserver" + board_url},
        )

    # Warm up both paths (templates, URL resolvers) so the timing below measures waiting only.
    assert autosave("Warming up.", 1).status_code == 200
    assert move(stages[1], 1).status_code == 200

    smtp, model = FakeSMTPServer(stall=STALL), FakeLanguageModel(stall=STALL)
    try:
        _configure(settings, smtp, model)
        errors: list[Exception] = []
        # One after the other: their short claiming transactions must not overlap each other
        # here (the test suite's in-memory SQLite reports a lock conflict at once where the
        # file database waits its busy timeout); what is measured is the time both are stalled.
        threads = [_in_thread(lambda: outbox_deliver(message_id=message_id), errors)]
        assert smtp.stalled.wait(STALL), f"the email never reached the mail server: {errors}"
        threads.append(_in_thread(lambda: summary_rebuild(application_id=application.pk), errors))
        assert model.stalled.wait(STALL), f"the summary never reached the language model: {errors}"

        autosave_seconds, saved = _timed(lambda: autosave("Named the bottleneck under load.", 2))
        move_seconds, moved = _timed(lambda: move(stages[2], 2))
        assert all(thread.is_alive() for thread in threads), "both deliveries were still stalled while measured"

        assert saved.status_code == 200, saved.content[:500]
        assert moved.status_code == 200, moved.content[:500]
        assert autosave_seconds < BUDGET, f"autosave took {autosave_seconds:.2f}s beside a stalled send"
        assert move_seconds < BUDGET, f"the board move took {move_seconds:.2f}s beside a stalled send"
        assert CompetencyRating.objects.get(pk=rating.pk).evidence == "Named the bottleneck under load."
        assert Application.objects.get(pk=application.pk).stage_id == stages[2].pk

        for fake, thread in zip((smtp, model), threads, strict=True):
            fake.release()
            thread.join(STALL * 3)
        assert not errors, errors
    finally:
        smtp.close()
        model.close()

    # And both deliveries finished: the email once, the summary with the model's narrative.
    assert smtp.subjects() == ["Interview: Ada"]
    assert OutboxMessage.objects.get(pk=message_id).status == OutboxMessage.Status.SENT
    summary = ApplicationSummary.objects.get(application=application)
    assert summary.status == ApplicationSummary.Status.READY
    assert summary.backend == "llm"
    assert summary.build_count == 1
    assert "The panel agrees" in summary.narrative
    return {"autosave": autosave_seconds, "move": move_seconds}
