"""Two real Celery worker processes on Redis racing for the same outbox rows: each email once."""

from django.db import transaction

from hiring.models import OutboxMessage
from hiring.services.outbox import outbox_enqueue
from hiring.tasks import outbox_deliver, outbox_sweep
from tests.fakes import FakeSMTPServer
from tests.services.conftest import WorkerProcess

MESSAGES = 30


def test_two_workers_racing_on_the_same_rows_send_each_email_once(celery_worker_process, tmp_path):
    smtp = FakeSMTPServer()
    first = celery_worker_process
    second = None
    try:
        first.stop()
        first.env["TEST_SMTP_PORT"] = str(smtp.port)
        first.start(concurrency=2)
        second = WorkerProcess(dict(first.env), tmp_path, name="second").start(concurrency=2)
        with transaction.atomic():
            ids = [
                outbox_enqueue(
                    purpose="race",
                    reference=f"row:{i}",
                    recipient=f"person{i}@example.test",
                    subject=f"Message {i}",
                    body_text="Hello",
                    deliver_on_commit=False,  # sent below, several times over
                )
                for i in range(MESSAGES)
            ]

        # Every row is wanted three ways at once: two delivery tasks each, plus sweepers,
        # spread over four pool processes in two workers.
        results = [outbox_deliver.delay(pk) for pk in ids for _ in range(2)]
        results += [outbox_sweep.delay() for _ in range(4)]
        sent = sum(int(first.outcome(result, timeout=120)) for result in results)  # from either worker's log

        assert sent == MESSAGES  # the tasks' own reports: each row sent by exactly one of them
        assert sorted(smtp.subjects()) == sorted(f"Message {i}" for i in range(MESSAGES))
        assert set(OutboxMessage.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"sent"}
        assert set(OutboxMessage.objects.filter(pk__in=ids).values_list("attempts", flat=True)) == {1}
        # Both workers took part in the race.
        for worker in (first, second):
            assert "hiring.tasks.outbox_deliver" in worker.log_text(), worker.log_text()
    finally:
        if second is not None:
            second.stop()
        smtp.close()
