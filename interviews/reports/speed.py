"""Speed: days spent in each stage, time to hire and time to fill (median and 90th percentile)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import connection
from django.db.models import DateTimeField, F, OuterRef, QuerySet, Subquery

from hiring.models import Application, Job, Stage, StageChange

from .base import (
    ReportFilters,
    applications_in_scope,
    duration_days,
    hired_at,
    jobs_in_scope,
    percentiles,
)

COLUMNS = ["measure", "stage", "n", "median_days", "p90_days"]
TIME_IN_STAGE = "Time in stage"
TIME_TO_HIRE = "Time to hire"
TIME_TO_FILL = "Time to fill"


def _seconds_between(later: str, earlier: str) -> str:
    """SQL for the seconds from ``earlier`` to ``later`` (two timestamp columns) on this database."""
    if connection.vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM ({later} - {earlier}))"
    return f"((julianday({later}) - julianday({earlier})) * 86400.0)"


def _time_in_stage(applications: QuerySet[Application]) -> dict[str, dict[str, Any]]:
    """Median and 90th percentile of the stays per stage name, in one query.

    ``LEAD`` gives each change the time of the application's next change (when the stay it
    began ended); ``ROW_NUMBER`` and ``COUNT`` over the stage give the nearest ranks, as in
    ``base.percentiles``; stages come in their average position in the pipelines. Written in SQL
    because the ORM cannot rank over a window's result.
    """
    scope_sql, scope_params = applications.values("pk").query.sql_with_params()
    order = connection.ops.quote_name("order")
    changes, stages, apps = StageChange._meta.db_table, Stage._meta.db_table, Application._meta.db_table
    sql = f"""
        WITH moves AS (
            SELECT c.application_id, c.to_stage_id, c.created_at,
                   LEAD(c.created_at) OVER (PARTITION BY c.application_id ORDER BY c.created_at, c.id) AS left_at
            FROM {changes} c
            WHERE c.application_id IN ({scope_sql})
        ),
        stays AS (
            SELECT s.name AS stage, s.{order} AS position, {_seconds_between("m.left_at", "m.created_at")} AS seconds
            FROM moves m
            JOIN {stages} s ON s.id = m.to_stage_id
            JOIN {apps} a ON a.id = m.application_id
            WHERE m.left_at IS NOT NULL AND NOT (a.status = %s AND a.stage_id = m.to_stage_id)
        ),
        ranked AS (
            SELECT stage, seconds, AVG(position) OVER (PARTITION BY stage) AS position,
                   ROW_NUMBER() OVER (PARTITION BY stage ORDER BY seconds) AS rank,
                   COUNT(*) OVER (PARTITION BY stage) AS size
            FROM stays
        )
        SELECT stage, size, rank, seconds, position FROM ranked
        WHERE rank = (size * 50 + 99) / 100 OR rank = (size * 90 + 99) / 100
    """  # noqa: S608 -- table names from the models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [*scope_params, Application.Status.HIRED])
        fetched = cursor.fetchall()
    result: dict[str, dict[str, Any]] = {}
    for stage, size, rank, seconds, position in fetched:
        entry = result.setdefault(stage, {"n": size, "position": float(position)})
        value = timedelta(seconds=float(seconds))
        if rank == (size * 50 + 99) // 100:
            entry["median"] = value
        if rank == (size * 90 + 99) // 100:
            entry["p90"] = value
    return result


def speed_rows(*, jobs: QuerySet[Job], filters: ReportFilters) -> list[dict[str, Any]]:
    """Three queries (the stays, the hires, the jobs filled), whatever the number of applications.

    * Time in stage: from a move into the stage to the application's next change (a move
      on, a rejection, a withdrawal); stays not over yet, and a hire's last stage, are left out.
    * Time to hire: from applying to being hired, for hired applications.
    * Time to fill: from opening the job to its first hire, for jobs with a hire.
    """
    applications = applications_in_scope(jobs=jobs, filters=filters)
    in_stage = _time_in_stage(applications)
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

    rows = [
        row(TIME_IN_STAGE, name, in_stage[name])
        for name in sorted(in_stage, key=lambda n: (in_stage[n]["position"], n))
    ]
    rows.append(row(TIME_TO_HIRE, "", to_hire))
    rows.append(row(TIME_TO_FILL, "", to_fill))
    return rows
