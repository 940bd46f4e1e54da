"""Reading the nightly snapshots (the task that stores them: ``interviews.services.report_snapshots``)."""

from __future__ import annotations

from django.conf import settings

from interviews.models import ReportSnapshot
from interviews.rules import reports_cover_all_jobs

from . import Report
from .base import ReportFilters

ALL = "all"


def snapshot_scope(job_id: int | None) -> str:
    return f"job:{job_id}" if job_id else ALL


def snapshot_for(*, report: Report, filters: ReportFilters, user) -> ReportSnapshot | None:
    """The latest snapshot a page may show instead of computing, or None (one query when switched on).

    Only with ``REPORTS_FROM_SNAPSHOTS`` and only for a single job (already checked as visible by
    the filter form) or, for users whose figures cover every job, for all jobs.
    """
    if not settings.REPORTS_FROM_SNAPSHOTS or not filters.is_plain:
        return None
    if not filters.job_id and not reports_cover_all_jobs(user=user):
        return None
    scope = snapshot_scope(filters.job_id)
    return ReportSnapshot.objects.filter(name=report.name, scope=scope).order_by("-day").first()
