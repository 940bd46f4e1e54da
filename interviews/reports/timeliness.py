"""Scorecard timeliness: the share of scorecards submitted within 24 hours of the interview's end."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from hiring.models import Job
from interviews.models import Scorecard

from .base import ReportFilters, applications_in_scope, day_after, day_start, share

COLUMNS = ["by", "name", "scorecards", "on_time", "on_time_share"]
WINDOW = timedelta(hours=24)


def _scorecards(*, jobs: QuerySet[Job], filters: ReportFilters, now: datetime) -> QuerySet[Scorecard]:
    """Scorecards owed for interviews that ended in the date range: submitted ones, and drafts whose 24 hours are up.

    Withdrawn scorecards are left out; a draft still inside its 24 hours is not late yet.
    """
    cards = Scorecard.objects.filter(
        interview__application__in=applications_in_scope(jobs=jobs, filters=filters, dates=False).values("pk"),
        withdrawn_at__isnull=True,
    ).filter(Q(submitted_at__isnull=False) | Q(interview__ends_at__lte=now - WINDOW))
    if filters.since:
        cards = cards.filter(interview__ends_at__gte=day_start(filters.since))
    if filters.until:
        cards = cards.filter(interview__ends_at__lt=day_after(filters.until))
    return cards


def timeliness_rows(
    *, jobs: QuerySet[Job], filters: ReportFilters, now: datetime | None = None
) -> list[dict[str, Any]]:
    """Two queries: per interviewer and per job. The date range is the day the interview ended."""
    now = now or timezone.now()
    cards = _scorecards(jobs=jobs, filters=filters, now=now)
    on_time = Q(submitted_at__isnull=False, submitted_at__lte=F("interview__ends_at") + WINDOW)
    figures = {"scorecards": Count("pk"), "on_time": Count("pk", filter=on_time)}
    by_interviewer = (
        cards.values("interviewer_id", "interviewer__first_name", "interviewer__last_name", "interviewer__email")
        .annotate(**figures)
        .order_by("interviewer__last_name", "interviewer__first_name", "interviewer_id")
    )
    by_job = (
        cards.values("interview__application__job_id", "interview__application__job__title")
        .annotate(**figures)
        .order_by("interview__application__job__title", "interview__application__job_id")
    )
    rows: list[dict[str, Any]] = []
    for row in by_interviewer:
        name = f"{row['interviewer__first_name']} {row['interviewer__last_name']}".strip()
        rows.append(_row("interviewer", name or row["interviewer__email"], row))
    for job_row in by_job:
        rows.append(_row("job", job_row["interview__application__job__title"], job_row))
    return rows


def _row(by: str, name: str, row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "by": by,
        "name": name,
        "scorecards": row["scorecards"],
        "on_time": row["on_time"],
        "on_time_share": share(row["on_time"], row["scorecards"]),
    }
