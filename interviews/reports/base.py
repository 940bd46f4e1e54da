"""What every report shares: the filters, the applications they select, and portable SQL pieces.

Each report is one to three aggregate queries; Python only shapes the few aggregated rows
(one per stage, source, interviewer or group), never the applications or scorecards
themselves. Everything here runs the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import (
    Case,
    Count,
    DurationField,
    Expression,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Greatest, NullIf, RowNumber
from django.utils import timezone

from hiring.models import Application, Job, Stage, StageChange

UNKNOWN_SOURCE = "Unknown"
# Figures resting on fewer people or scorecards than this are not shown.
MIN_GROUP = 5
FEWER_THAN = f"fewer than {MIN_GROUP}"


@dataclass(frozen=True)
class ReportFilters:
    """The filters of every report page and of the ``report`` command (all optional)."""

    job_id: int | None = None
    since: date | None = None
    until: date | None = None
    family: str = ""
    source: str = ""

    @property
    def is_plain(self) -> bool:
        """Only a job (or nothing) chosen: what the nightly snapshots are stored for."""
        return not (self.since or self.until or self.family or self.source)

    def as_params(self) -> dict[str, str]:
        params = {
            "job": str(self.job_id or ""),
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
            "family": self.family,
            "source": self.source,
        }
        return {key: value for key, value in params.items() if value}


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def day_after(day: date) -> datetime:
    return day_start(day + timedelta(days=1))


def source_expression(prefix: str = "") -> Expression:
    """Where an application came from: the careers form's source, else the candidate's, else Unknown."""
    return Coalesce(
        NullIf(F(f"{prefix}submission__source"), Value("")),
        NullIf(F(f"{prefix}candidate__source"), Value("")),
        Value(UNKNOWN_SOURCE),
    )


def jobs_in_scope(*, jobs: QuerySet[Job], filters: ReportFilters) -> QuerySet[Job]:
    """The visible jobs the filters keep (``jobs`` comes from ``interviews.rules``)."""
    if filters.job_id:
        jobs = jobs.filter(pk=filters.job_id)
    if filters.family:
        jobs = jobs.filter(template__family=filters.family)
    return jobs


def applications_in_scope(*, jobs: QuerySet[Job], filters: ReportFilters, dates: bool = True) -> QuerySet[Application]:
    """Applications of the jobs in scope; ``dates``: applied within the date range."""
    applications = Application.objects.filter(job__in=jobs_in_scope(jobs=jobs, filters=filters).values("pk"))
    if dates and filters.since:
        applications = applications.filter(applied_at__gte=day_start(filters.since))
    if dates and filters.until:
        applications = applications.filter(applied_at__lt=day_after(filters.until))
    if filters.source:
        applications = applications.alias(report_source=source_expression()).filter(report_source=filters.source)
    return applications


def reach_order(prefix: str = "") -> Expression:
    """The order of the furthest stage an application reached: its stage now or any stage it moved to.

    ``prefix`` is the path from the queried model to the application (e.g. ``"application__"``).
    """
    outer = f"{prefix}pk" if prefix else "pk"
    furthest = (
        StageChange.objects.filter(application_id=OuterRef(outer), to_stage__isnull=False)
        .values("application_id")
        .annotate(furthest=Max("to_stage__order"))
        .values("furthest")
    )
    return Greatest(F(f"{prefix}stage__order"), Coalesce(Subquery(furthest), Value(0)), output_field=IntegerField())


def hired_at(prefix: str = "") -> Expression:
    """When a hired application was hired: its change to the hired status, else when it entered its stage.

    Seam: once a decision or offer model records the hire, read its date here.
    """
    outer = f"{prefix}pk" if prefix else "pk"
    change = (
        StageChange.objects.filter(application_id=OuterRef(outer), to_status=Application.Status.HIRED)
        .order_by("created_at", "id")
        .values("created_at")[:1]
    )
    return Coalesce(Subquery(change), F(f"{prefix}stage_entered_at"))


def stages_of(jobs: QuerySet[Job]) -> Sequence[Mapping[str, Any]]:
    """The stages of the jobs in scope (one query): job, name, order."""
    return list(
        Stage.objects.filter(job__in=jobs.values("pk"))
        .order_by("job_id", "order", "id")
        .values("job_id", "name", "order")
    )


def stage_names_in_order(stages: Sequence[Mapping[str, Any]]) -> list[str]:
    """Stage names across jobs, by their average position in the jobs' pipelines (same-named stages merge)."""
    position: dict[str, float] = {}
    seen: dict[str, int] = {}
    index_in_job: dict[int, int] = {}
    for stage in sorted(stages, key=lambda stage: (stage["job_id"], stage["order"])):
        index = index_in_job.get(stage["job_id"], 0)
        index_in_job[stage["job_id"]] = index + 1
        position[stage["name"]] = position.get(stage["name"], 0) + index
        seen[stage["name"]] = seen.get(stage["name"], 0) + 1
    return sorted(position, key=lambda name: (position[name] / seen[name], name))


def reached_per_stage(
    stages: Sequence[Mapping[str, Any]], reach_counts: Sequence[Mapping[str, Any]], key: str = "n", job: str = "job_id"
) -> dict[str, int]:
    """How many applications reached each stage name, from counts per (job, furthest stage order)."""
    per_job: dict[int, list[tuple[int, int]]] = {}
    for row in reach_counts:
        per_job.setdefault(row[job], []).append((row["reach"], row[key]))
    reached: dict[str, int] = {}
    for stage in stages:
        counts = per_job.get(stage["job_id"], ())
        reached[stage["name"]] = reached.get(stage["name"], 0) + sum(
            n for reach, n in counts if reach >= stage["order"]
        )
    return reached


def share(part: int | None, whole: int | None) -> float | None:
    """``part / whole`` as a fraction rounded to 3 places, or None when there is nothing to divide."""
    if part is None or not whole:
        return None
    return round(part / whole, 3)


def percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def duration_days(value: timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 86400, 1)


def percentiles(
    queryset: QuerySet[Any], *, duration: Expression, group: str | None = None
) -> dict[Any, dict[str, Any]]:
    """Median and 90th percentile of ``duration`` per ``group`` in one query (nearest-rank method).

    Each row is numbered within its group by duration and the group's size is counted with
    window functions; only the rows at rank ``ceil(n * p / 100)`` for p = 50 and 90 come
    back (integer arithmetic, so SQLite and PostgreSQL agree). The median of an even count
    is the lower of the two middle values.
    """
    partition = [F(group)] if group else []
    ordered = queryset.annotate(
        report_duration=ExpressionWrapper(duration, output_field=DurationField()),
    )
    ranked = ordered.annotate(
        report_rank=Window(RowNumber(), partition_by=partition or None, order_by=[F("report_duration").asc()]),
        report_size=Window(Count("pk"), partition_by=partition or None),
    )
    median_rank = (F("report_size") * 50 + 99) / 100
    p90_rank = (F("report_size") * 90 + 99) / 100
    picked = ranked.annotate(
        report_pick=Case(
            When(Q(report_rank=median_rank) | Q(report_rank=p90_rank), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    ).filter(report_pick=1)
    fields = ["report_rank", "report_size", "report_duration"] + ([group] if group else [])
    result: dict[Any, dict[str, Any]] = {}
    for row in picked.values(*fields):
        size, rank = row["report_size"], row["report_rank"]
        entry = result.setdefault(row[group] if group else None, {"n": size})
        if rank == (size * 50 + 99) // 100:
            entry["median"] = row["report_duration"]
        if rank == (size * 90 + 99) // 100:
            entry["p90"] = row["report_duration"]
    return result
