"""Speed: days spent in each stage, time to hire and time to fill (median and 90th percentile)."""

from __future__ import annotations

from typing import Any

from django.db.models import DateTimeField, F, OuterRef, Q, QuerySet, Subquery

from hiring.models import Application, Job, StageChange

from .base import (
    ReportFilters,
    applications_in_scope,
    duration_days,
    hired_at,
    jobs_in_scope,
    percentiles,
    stage_names_in_order,
    stages_of,
)

COLUMNS = ["measure", "stage", "n", "median_days", "p90_days"]
TIME_IN_STAGE = "Time in stage"
TIME_TO_HIRE = "Time to hire"
TIME_TO_FILL = "Time to fill"


def _left_at() -> Subquery:
    """When the application left the stage a change put it in: the time of its next change."""
    later = Q(created_at__gt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
    return Subquery(
        StageChange.objects.filter(later, application_id=OuterRef("application_id"))
        .order_by("created_at", "id")
        .values("created_at")[:1],
        output_field=DateTimeField(),
    )


def speed_rows(*, jobs: QuerySet[Job], filters: ReportFilters) -> list[dict[str, Any]]:
    """Six queries (median and 90th percentile of three measures), whatever the number of applications.

    * Time in stage: from a move into the stage to the application's next change (a move
      on, a rejection, a withdrawal); stays not over yet, and a hire's last stage, are left out.
    * Time to hire: from applying to being hired, for hired applications.
    * Time to fill: from opening the job to its first hire, for jobs with a hire.
    """
    applications = applications_in_scope(jobs=jobs, filters=filters)
    stays = (
        StageChange.objects.filter(application__in=applications.values("pk"), to_stage__isnull=False)
        .annotate(left_at=_left_at())
        .filter(left_at__isnull=False)
        # A hire's last stage ends only in the change recording the hire: not a stay.
        .exclude(application__status=Application.Status.HIRED, to_stage=F("application__stage"))
        .annotate(stage_name=F("to_stage__name"), stage_order=F("to_stage__order"))
    )
    in_stage = percentiles(stays, duration=F("left_at") - F("created_at"), group="stage_name")
    hires = applications.filter(status=Application.Status.HIRED).annotate(hired_on=hired_at())
    to_hire = percentiles(hires, duration=F("hired_on") - F("applied_at")).get(None)
    first_hire = Subquery(
        Application.objects.filter(job_id=OuterRef("pk"), status=Application.Status.HIRED)
        .annotate(hired_on=hired_at())
        .order_by("hired_on")
        .values("hired_on")[:1],
        output_field=DateTimeField(),
    )
    filled = jobs_in_scope(jobs=jobs, filters=filters).annotate(filled_on=first_hire).filter(filled_on__isnull=False)
    if filters.since or filters.until or filters.source:
        filled = filled.filter(applications__in=hires.values("pk")).distinct()
    to_fill = percentiles(filled, duration=F("filled_on") - F("created_at")).get(None)

    def row(measure: str, stage: str, figures: dict[str, Any] | None) -> dict[str, Any]:
        figures = figures or {}
        return {
            "measure": measure,
            "stage": stage,
            "n": figures.get("n", 0),
            "median_days": duration_days(figures.get("median")),
            "p90_days": duration_days(figures.get("p90")),
        }

    order = {
        name: index
        for index, name in enumerate(stage_names_in_order(stages_of(jobs_in_scope(jobs=jobs, filters=filters))))
    }
    rows = [row(TIME_IN_STAGE, name, in_stage[name]) for name in sorted(in_stage, key=lambda n: (order.get(n, 99), n))]
    rows.append(row(TIME_TO_HIRE, "", to_hire))
    rows.append(row(TIME_TO_FILL, "", to_fill))
    return rows
