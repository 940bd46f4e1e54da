"""The recruiter's dashboard: a small funnel per open job, overdue scorecards, decisions pending."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count
from django.utils import timezone

from hiring.models import Application, Job
from interviews.models import Scorecard
from interviews.reports.base import reach_order, reached_per_stage, stages_of
from interviews.rules import report_jobs_visible_to

JOBS_SHOWN = 12
ITEMS_SHOWN = 20


def decisions_pending(*, jobs) -> Any:
    """Active applications whose scorecards are all in (at least one submitted, no draft owed).

    Seam: once a decision model exists, also leave out applications that have a decision.
    """
    cards = Scorecard.objects.filter(withdrawn_at__isnull=True, interview__application__job__in=jobs)
    submitted = cards.filter(status=Scorecard.Status.SUBMITTED).values("interview__application_id")
    owed = cards.filter(status=Scorecard.Status.DRAFT).values("interview__application_id")
    return (
        Application.objects.active()
        .filter(pk__in=submitted)
        .exclude(pk__in=owed)
        .select_related("candidate", "job", "stage")
        .order_by("stage_entered_at", "pk")
    )


def recruiter_dashboard(*, user, now: datetime | None = None) -> dict[str, Any]:
    """Five queries: the open jobs, their stages, applications per job and furthest stage, overdue, pending."""
    now = now or timezone.now()
    visible = report_jobs_visible_to(user=user)
    jobs = list(visible.filter(status=Job.Status.OPEN).order_by("-created_at", "-pk")[:JOBS_SHOWN])
    job_ids = [job.pk for job in jobs]
    chosen = Job.objects.filter(pk__in=job_ids)
    stages = stages_of(chosen)
    counts = list(
        Application.objects.filter(job_id__in=job_ids)
        .annotate(reach=reach_order())
        .values("job_id", "reach")
        .annotate(n=Count("pk"))
        .order_by()
    )
    funnels = []
    for job in jobs:
        mine = [stage for stage in stages if stage["job_id"] == job.pk]
        reached = reached_per_stage(mine, counts)
        funnels.append(
            {
                "job": job,
                "chart_id": f"funnel-{job.pk}",
                "chart": {
                    "type": "bar",
                    "horizontal": True,
                    "percent": False,
                    "labels": [stage["name"] for stage in mine],
                    "datasets": [{"label": "Reached", "column": 1, "data": [reached[s["name"]] for s in mine]}],
                },
                "rows": [(stage["name"], reached[stage["name"]]) for stage in mine],
            }
        )
    overdue = list(
        Scorecard.objects.overdue(now)
        .filter(interview__application__job__in=visible.values("pk"))
        .select_related("interviewer", "interview__application__candidate", "interview__application__job")
        .order_by("interview__ends_at", "pk")[:ITEMS_SHOWN]
    )
    pending = list(decisions_pending(jobs=visible.values("pk"))[:ITEMS_SHOWN])
    return {"funnels": funnels, "overdue": overdue, "pending": pending}
