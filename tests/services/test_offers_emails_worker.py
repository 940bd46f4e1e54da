"""Email to candidates and the offer expiry job on a real worker (Redis, PostgreSQL): each sends once."""

import datetime
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone

from hiring.models import CandidateEmail, Offer, OutboxMessage
from hiring.services import application_create
from hiring.services import emails as email_services
from hiring.services import offers as offer_services
from hiring.services.outbox import outbox_claim
from hiring.tasks import offers_expire, outbox_deliver, outbox_sweep
from tests.fakes import FakeSMTPServer
from tests.hiring.factories import CandidateFactory, RecruiterFactory, band_for, job_with_stages, offer_terms


def _wait_sent(pk: int, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    status = ""
    while time.monotonic() < deadline:
        status = OutboxMessage.objects.get(pk=pk).status
        if status == "sent":
            break
        time.sleep(0.2)
    return status


def test_undo_then_send_through_a_real_worker_sends_once(celery_worker_process):
    smtp = FakeSMTPServer()
    try:
        celery_worker_process.stop()
        celery_worker_process.env["TEST_SMTP_PORT"] = str(smtp.port)
        celery_worker_process.start()
        job = job_with_stages(title="Data Engineer")
        recruiter = RecruiterFactory()
        application = application_create(
            candidate=CandidateFactory(first_name="Ada", email="ada@example.test"), job=job, actor=recruiter
        )
        undone = email_services.candidate_email_send(
            application=application, sender=recruiter, subject="Undone", body="Never sent", undo_seconds=2
        )
        email_services.candidate_email_undo(email=undone, actor=recruiter)
        kept = email_services.candidate_email_send(
            application=application, sender=recruiter, subject="Hello {{ first_name }}", body="Hi", undo_seconds=2
        )
        assert _wait_sent(kept.outbox_message_id) == "sent", celery_worker_process.log_text()
        # Repeats (a redelivered task, the sweeper) send nothing more.
        assert celery_worker_process.outcome(outbox_deliver.delay(kept.outbox_message_id)) is False
        assert celery_worker_process.outcome(outbox_sweep.delay()) == 0
        assert smtp.subjects() == ["Hello Ada"]
        assert CandidateEmail.objects.get(pk=undone.pk).status == "undone"
    finally:
        smtp.close()


def test_the_offer_expiry_job_run_twice_expires_and_notifies_once(celery_worker_process):
    smtp = FakeSMTPServer()
    try:
        celery_worker_process.stop()
        celery_worker_process.env["TEST_SMTP_PORT"] = str(smtp.port)
        celery_worker_process.start()
        job = job_with_stages(title="Data Engineer")
        band_for(job)
        recruiter = RecruiterFactory(email="rosa@example.test")
        application = application_create(candidate=CandidateFactory(), job=job, actor=recruiter)
        offer = offer_services.offer_create(application=application, actor=recruiter, **offer_terms())
        offer = offer_services.offer_submit(offer=offer, actor=recruiter)
        offer = offer_services.offer_mark_sent(offer=offer, actor=recruiter)
        Offer.objects.filter(pk=offer.pk).update(expires_on=timezone.localdate() - datetime.timedelta(days=1))

        results = [offers_expire.delay() for _ in range(2)]
        expired = sum(celery_worker_process.outcome(result) for result in results)
        assert expired == 1
        message = OutboxMessage.objects.get(purpose="offer-expired")
        assert _wait_sent(message.pk) == "sent", celery_worker_process.log_text()
        assert smtp.subjects() == [message.subject]
        assert Offer.objects.get(pk=offer.pk).status == "expired"
    finally:
        smtp.close()


@pytest.mark.django_db(transaction=True)
def test_undo_racing_the_outbox_claim_on_postgresql_has_one_winner():
    """The undo's DELETE and the claim's UPDATE both re-check "pending": never both, never neither."""
    job = job_with_stages(title="Data Engineer")
    recruiter = RecruiterFactory()
    application = application_create(candidate=CandidateFactory(email="ada@example.test"), job=job, actor=recruiter)
    for _ in range(10):
        email = email_services.candidate_email_send(
            application=application, sender=recruiter, subject="Race", body="Hi", undo_seconds=60
        )  # the delivery task runs at once in this process and finds nothing due yet
        OutboxMessage.objects.filter(pk=email.outbox_message_id).update(next_attempt_at=timezone.now())
        barrier = threading.Barrier(2)
        outcome: dict[str, object] = {}

        def undo(email=email, barrier=barrier, outcome=outcome):
            try:
                barrier.wait(timeout=10)
                email_services.candidate_email_undo(email=email, actor=recruiter)
                outcome["undo"] = True
            except ValidationError:
                outcome["undo"] = False
            finally:
                connections.close_all()

        def claim(email=email, barrier=barrier, outcome=outcome):
            try:
                barrier.wait(timeout=10)
                outcome["claim"] = bool(outbox_claim(ids=[email.outbox_message_id], limit=1))
            finally:
                connections.close_all()

        threads = [threading.Thread(target=undo), threading.Thread(target=claim)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert sorted([outcome["undo"], outcome["claim"]]) == [False, True], outcome
        undone = CandidateEmail.objects.get(pk=email.pk).status == "undone"
        assert undone == outcome["undo"]
        assert OutboxMessage.objects.filter(pk=email.outbox_message_id).exists() == outcome["claim"]
