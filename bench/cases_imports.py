"""CSV import: a generated 10,000-row file imported in batches, in rows per second.

Each run imports the whole file (every batch, one after the other, as the worker would)
and applies everyone to a job, inside a transaction that is rolled back at the end, so
the database the other cases measure is left as it was and every run creates the same
10,000 new candidates. Printed beside the usual figures: ``rows``, ``batches``,
``queries_per_batch``, ``rows_per_s`` (wall clock, of the median timed run) and
``rows_per_cpu_s`` (per second of the process's CPU time: what an idle machine would do,
when other work shares the cores).
"""

import statistics
import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction

from bench.main import Case, Context

ROWS = 10_000


class Rollback(Exception):
    """Leaves the bench database unchanged after a run."""


def generated_csv(rows: int) -> bytes:
    lines = ["First name,Last name,Email,Phone,City,Source,Tags"]
    for i in range(rows):
        lines.append(
            f"Imported{i},Person{i % 97},imported{i}@bench.test,+44 20 {7000 + i % 3000} {i:05d},"
            f"City {i % 40},Job fair,import;batch-{i % 12}"
        )
    return ("\n".join(lines) + "\n").encode()


def cases(ctx: Context) -> list[Case]:
    from django.conf import settings

    from hiring.demo import BIG_JOB
    from hiring.models import CandidateImport, Job, User
    from hiring.services.imports import candidate_import_create, candidate_import_run

    recruiter = User.objects.get(email="recruiter@demo.test")
    job = Job.objects.filter(title=BIG_JOB).order_by("pk").first()
    upload = SimpleUploadedFile("bench.csv", generated_csv(ROWS), content_type="text/csv")
    candidate_import = candidate_import_create(file=upload, actor=recruiter)
    rates: list[float] = []
    cpu_rates: list[float] = []  # per second of this process's CPU time (SQLite runs in-process)
    extra: dict = {"rows": ROWS, "batches": -(-ROWS // settings.IMPORT_BATCH_ROWS)}

    def run() -> None:
        queries: list[str] = []

        def count(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        started, cpu_started = time.perf_counter(), time.process_time()
        try:
            with transaction.atomic(), connection.execute_wrapper(count):
                CandidateImport.objects.filter(pk=candidate_import.pk).update(
                    status=CandidateImport.Status.QUEUED, job=job, mapping=candidate_import.mapping
                )
                result = candidate_import_run(import_id=candidate_import.pk)
                assert result.status == CandidateImport.Status.DONE, result.errors[:3]
                assert result.created_count == ROWS, (result.created_count, result.errors[:3])
                raise Rollback
        except Rollback:
            pass
        rates.append(ROWS / (time.perf_counter() - started))
        cpu_rates.append(ROWS / max(1e-9, time.process_time() - cpu_started))
        extra["queries_per_batch"] = round(len(queries) / extra["batches"], 1)
        timed = rates[2:] or rates  # bench.main's warm-up and query-count runs come first
        extra["rows_per_s"] = round(statistics.median(timed))
        extra["rows_per_cpu_s"] = round(statistics.median(cpu_rates[2:] or cpu_rates))

    case = Case("candidate_import_10k_rows", run, repeat=2, extra=extra)
    return [case]
