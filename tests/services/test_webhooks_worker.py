"""Webhooks with a real Celery worker on Redis and PostgreSQL: a local receiver checks every
signature; while it is down the deliveries wait and retry, once it is back each event arrives
exactly once, however many delivery tasks and sweeps run."""

import time

from django.db import transaction

from hiring.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from hiring.services import application_create, application_move, webhooks
from hiring.tasks import webhook_deliver, webhooks_sweep
from tests.hiring.factories import CandidateFactory, RecruiterFactory, job_with_stages
from tests.webhook_receiver import Receiver

EVENTS = 4


def wait_for(condition, timeout: float = 90, message: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(message or "timed out")


def test_deliveries_resume_after_the_receiver_was_down_and_none_is_sent_twice(celery_worker_process, settings):
    worker = celery_worker_process
    worker.stop()
    worker.env["WEBHOOK_RETRY_BASE_SECONDS"] = "1"  # retries one, two, four seconds after a failure
    worker.start(concurrency=2)
    settings.WEBHOOK_RETRY_BASE_SECONDS = 1
    receiver = Receiver()  # not started: the endpoint refuses connections
    try:
        endpoint = webhooks.webhook_endpoint_save(
            endpoint=WebhookEndpoint(url=receiver.url, events=["application.created", "application.moved"])
        )
        receiver.secret = endpoint.secret
        recruiter = RecruiterFactory()
        job = job_with_stages(title="Webhook job")
        screen = job.stages.order_by("order")[1]
        for _ in range(EVENTS // 2):
            with transaction.atomic():  # committed: the delivery tasks go to the worker
                application = application_create(candidate=CandidateFactory(), job=job, actor=recruiter)
            with transaction.atomic():
                application_move(application=application, to_stage=screen, actor=recruiter)

        # The receiver is down: every delivery was tried, failed and waits for its retry.
        wait_for(
            lambda: WebhookAttempt.objects.filter(status_code__isnull=True).count() >= EVENTS,
            message=worker.log_text(),
        )
        assert WebhookDelivery.objects.filter(status="delivered").count() == 0
        assert "Connection refused" in WebhookAttempt.objects.first().error

        receiver.start()
        # Retries come from the sweeper (beat, every minute in production): run it now, several
        # times, and send each delivery task twice more on top; only one claim wins each row.
        ids = list(WebhookDelivery.objects.values_list("pk", flat=True))
        deadline = time.monotonic() + 90
        while WebhookDelivery.objects.filter(status="delivered").count() < EVENTS and time.monotonic() < deadline:
            webhooks_sweep.delay()
            for pk in ids:
                webhook_deliver.delay(pk)
            time.sleep(1)
        assert WebhookDelivery.objects.filter(status="delivered").count() == EVENTS, worker.log_text()
        for _ in range(3):  # late duplicates change nothing
            webhooks_sweep.delay()
            for pk in ids:
                webhook_deliver.delay(pk)
        time.sleep(3)

        assert receiver.rejected == []  # every signature verified
        event_ids = [entry["id"] for entry in receiver.received]
        assert len(event_ids) == EVENTS
        assert len(set(event_ids)) == EVENTS  # nothing sent twice
        assert set(event_ids) == set(WebhookDelivery.objects.values_list("event_id", flat=True))
        assert sorted(entry["body"]["type"] for entry in receiver.received) == sorted(
            ["application.created", "application.moved"] * (EVENTS // 2)
        )
        assert WebhookAttempt.objects.filter(status_code=204).count() == EVENTS
        endpoint.refresh_from_db()
        assert endpoint.active
        assert endpoint.failure_streak == 0
    finally:
        receiver.stop()
