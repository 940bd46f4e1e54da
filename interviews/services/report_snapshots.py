"""The nightly report snapshots: every report for all jobs and for each open job, stored per day."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from hiring.models import Job
from interviews.models import ReportSnapshot
from interviews.reports import REPORTS, ReportFilters
from interviews.reports.snapshots import snapshot_scope


def report_snapshots_store(*, day: date) -> int:
    """Compute and store the day's snapshots; running it again for the same day replaces them (idempotent).

    Each report is computed outside any transaction; each snapshot is one short upsert.
    Returns the number of snapshots stored.
    """
    stored = 0
    job_ids: list[int | None] = [None, *Job.objects.filter(status=Job.Status.OPEN).values_list("pk", flat=True)]
    for report in REPORTS.values():
        for job_id in job_ids:
            rows = report.run(jobs=Job.objects.all(), filters=ReportFilters(job_id=job_id))
            with transaction.atomic():
                ReportSnapshot.objects.update_or_create(
                    name=report.name, scope=snapshot_scope(job_id), day=day, defaults={"rows": rows}
                )
            stored += 1
    return stored
