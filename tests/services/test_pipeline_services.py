"""The pipeline on the real stack: row locks on PostgreSQL and the rejection email through a real worker."""

import threading
import time

import pytest

from hiring import services
from hiring.models import Application, OutboxMessage, StageChange
from hiring.tasks import outbox_deliver
from tests.fakes import FakeSMTPServer
from tests.hiring.factories import (
    ApplicationFactory,
    EmailTemplateFactory,
    RecruiterFactory,
    RejectionReasonFactory,
    job_with_stages,
)


@pytest.mark.django_db(transaction=True)
def test_two_recruiters_moving_one_card_at_once_on_postgresql():
    """Both loaded version 1; the row lock makes the second wait, then it sees version 2 and loses."""
    job = job_with_stages()
    stages = {stage.name: stage for stage in job.stages.all()}
    application = ApplicationFactory(job=job, stage=stages["Applied"])
    first, second = RecruiterFactory(), RecruiterFactory()
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def move(actor, stage, name):
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            services.application_move(application=application, to_stage=stage, actor=actor, expected_version=1)
            outcomes[name] = "moved"
        except services.MoveConflict as conflict:
            outcomes[name] = conflict.message
        except Exception as error:
            outcomes[name] = repr(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=move, args=(first, stages["Panel"], "first")),
        threading.Thread(target=move, args=(second, stages["Offer"], "second")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    application.refresh_from_db()
    winner = StageChange.objects.get(application=application)
    assert len(outcomes) == 2, outcomes
    assert list(outcomes.values()).count("moved") == 1
    loser_message = next(v for v in outcomes.values() if v != "moved")
    assert f"moved by {winner.actor.display_name} to {winner.to_stage.name}" in loser_message
    assert application.version == 2
    assert application.stage == winner.to_stage


def test_rejection_email_goes_through_a_real_worker_once(celery_worker_process):
    smtp = FakeSMTPServer()
    try:
        celery_worker_process.stop()
        celery_worker_process.env["TEST_SMTP_PORT"] = str(smtp.port)
        celery_worker_process.start()
        job = job_with_stages(title="Staff ML Architect")
        application = ApplicationFactory(job=job, candidate__email="ana@example.test")

        services.application_reject(
            application=application, reason=RejectionReasonFactory(), actor=None, email_template=EmailTemplateFactory()
        )  # commits; the delivery task goes to the worker on commit
        message = OutboxMessage.objects.get(reference=f"application:{application.pk}")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and OutboxMessage.objects.get(pk=message.pk).status != "sent":
            time.sleep(0.2)

        application.refresh_from_db()
        assert application.status == Application.Status.REJECTED
        assert OutboxMessage.objects.get(pk=message.pk).status == "sent", celery_worker_process.log_text()
        # A duplicate message (a retry, a redelivery) finds the email sent and sends nothing.
        assert celery_worker_process.outcome(outbox_deliver.delay(message.pk)) is False
        assert smtp.subjects() == ["Your application for Staff ML Architect"]
        assert [m["To"] for m in smtp.messages] == ["ana@example.test"]
    finally:
        smtp.close()
