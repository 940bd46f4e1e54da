"""CSV imports through a real Celery worker on Redis and PostgreSQL: batches survive a killed worker.

``IMPORT_TEST_DELAY_SECONDS`` (test-only setting, read by the worker from its environment) makes
each batch sleep inside its transaction, so the test can kill the worker in the middle of one.
"""

import re
import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction

from hiring import tasks
from hiring.models import Application, Candidate, CandidateImport, StageChange
from hiring.services.imports import candidate_import_create, candidate_import_start
from tests.hiring.factories import RecruiterFactory, job_with_stages

ROWS = 1_000
BATCH = 100


def restart(worker, **env: str) -> None:
    worker.stop()
    worker.env.update(env)
    worker.start()


def wait_for(condition, timeout: float = 90, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("timed out waiting")


def batch_in_progress(import_id: int) -> bool:
    """True while a worker holds the import's row lock, that is, in the middle of a batch."""
    try:
        with transaction.atomic():
            CandidateImport.objects.select_for_update(nowait=True).filter(pk=import_id).first()
    except DatabaseError:
        return True
    return False


def start_import(job) -> CandidateImport:
    text = "first_name,last_name,email,tags\n" + "".join(
        f"P{i},Person,p{i}@example.test,imported;b{i % 5}\n" for i in range(ROWS)
    )
    recruiter = RecruiterFactory()
    upload = SimpleUploadedFile("people.csv", text.encode(), content_type="text/csv")
    candidate_import = candidate_import_create(file=upload, actor=recruiter)
    # Commits, then sends the first batch to the real broker.
    return candidate_import_start(candidate_import=candidate_import, mapping=candidate_import.mapping, job=job)


def test_worker_killed_mid_import_then_swept_imports_every_row_exactly_once(celery_worker_process):
    worker = celery_worker_process
    restart(worker, IMPORT_BATCH_ROWS=str(BATCH), IMPORT_TEST_DELAY_SECONDS="1.5", IMPORT_STALE_AFTER_SECONDS="2")
    job = job_with_stages()
    candidate_import = start_import(job)

    # Two batches committed, the third in the middle of its transaction: kill the whole worker.
    wait_for(lambda: CandidateImport.objects.get(pk=candidate_import.pk).processed_rows >= 2 * BATCH)
    wait_for(lambda: batch_in_progress(candidate_import.pk))
    worker.kill()

    killed = CandidateImport.objects.get(pk=candidate_import.pk)
    assert killed.status == CandidateImport.Status.RUNNING
    assert killed.processed_rows % BATCH == 0
    assert killed.processed_rows < ROWS
    # The batch that was running left nothing behind: every candidate belongs to a committed batch.
    assert Candidate.objects.count() == killed.processed_rows == killed.created_count
    cursor_at_kill = killed.processed_rows

    restart(worker, IMPORT_TEST_DELAY_SECONDS="0", IMPORT_STALE_AFTER_SECONDS="2")
    time.sleep(2.5)  # no heartbeat for longer than the stale threshold
    # The periodic sweeper (beat runs it every minute) sends the stalled batch again.
    assert worker.outcome(tasks.candidate_imports_sweep.delay()) == 1

    done = wait_for(
        lambda: (i := CandidateImport.objects.get(pk=candidate_import.pk)).status == CandidateImport.Status.DONE and i
    )
    assert (done.processed_rows, done.created_count, done.reused_count, done.failed_count) == (ROWS, ROWS, 0, 0)
    assert Candidate.objects.count() == ROWS
    assert Candidate.objects.values("email").distinct().count() == ROWS
    assert Application.objects.filter(job=job).count() == ROWS
    assert StageChange.objects.filter(application__job=job).count() == ROWS
    assert Candidate.objects.filter(tags__name="imported").count() == ROWS

    # The killed batch's own message, delivered late, finds its batch done and changes nothing.
    assert worker.outcome(tasks.run_candidate_import.delay(candidate_import.pk, cursor_at_kill)) == "done"
    assert Candidate.objects.count() == ROWS
    assert worker.outcome(tasks.candidate_imports_sweep.delay()) == 0


def test_an_import_runs_as_one_task_per_batch_through_the_worker(celery_worker_process):
    restart(celery_worker_process, IMPORT_BATCH_ROWS=str(BATCH), IMPORT_TEST_DELAY_SECONDS="0")
    job = job_with_stages()
    candidate_import = start_import(job)

    done = wait_for(
        lambda: (i := CandidateImport.objects.get(pk=candidate_import.pk)).status == CandidateImport.Status.DONE and i
    )
    assert done.created_count == ROWS
    assert Application.objects.filter(job=job).count() == ROWS
    logs = "".join(path.read_text() for path in celery_worker_process.log_dir.glob("worker-*.log"))
    runs = re.findall(r"Task hiring\.tasks\.run_candidate_import\[[\w-]+\] succeeded in ([\d.]+)s", logs)
    assert len(runs) == ROWS // BATCH  # one task run per batch...
    assert max(float(seconds) for seconds in runs) < 30  # ...each far from the time limit
