"""Pipeline funnel: how many applications reached each stage, and how many passed on to the next."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from hiring.models import Job

from .base import (
    ReportFilters,
    applications_in_scope,
    jobs_in_scope,
    reach_order,
    reached_per_stage,
    share,
    stage_names_in_order,
    stages_of,
)

COLUMNS = ["stage", "reached", "share_of_applied", "pass_through"]


def funnel_rows(*, jobs: QuerySet[Job], filters: ReportFilters) -> list[dict[str, Any]]:
    """Two queries: the stages in scope, and applications counted per job and furthest stage.

    An application reached a stage when it is in that stage or a later one now, or moved
    into it or a later one at any time (rejected and withdrawn applications count for the
    stages they got to). ``pass_through`` is the share of the previous stage's applications
    that reached this one.
    """
    stages = stages_of(jobs_in_scope(jobs=jobs, filters=filters))
    counts = list(
        applications_in_scope(jobs=jobs, filters=filters)
        .annotate(reach=reach_order())
        .values("job_id", "reach")
        .annotate(n=Count("pk"))
        .order_by()
    )
    reached = reached_per_stage(stages, counts)
    rows: list[dict[str, Any]] = []
    names = stage_names_in_order(stages)
    applied = reached.get(names[0], 0) if names else 0
    for index, name in enumerate(names):
        previous = reached[names[index - 1]] if index else None
        rows.append(
            {
                "stage": name,
                "reached": reached[name],
                "share_of_applied": share(reached[name], applied),
                "pass_through": share(reached[name], previous) if index else None,
            }
        )
    return rows
