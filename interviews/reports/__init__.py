"""Reports on how hiring performs and whether it is fair (pages, CSV, the ``report`` command, snapshots).

Each report is a function ``rows(*, jobs, filters) -> list[dict]`` with the columns listed
in ``COLUMNS``; ``REPORTS`` names them for the pages, the command and the nightly snapshots.
``jobs`` is always ``interviews.rules.report_jobs_visible_to(user=...)`` (or every job for
the command and the snapshots), so a hiring manager's figures only ever cover their jobs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from hiring.models import Job

from . import adverse_impact, calibration, funnel, reliability, sources, speed, timeliness
from .base import ReportFilters

__all__ = ["REPORTS", "Report", "ReportFilters"]


@dataclass(frozen=True)
class Report:
    name: str
    title: str
    summary: str
    columns: list[str]
    rows: Callable[..., list[dict[str, Any]]]
    # The chart: one bar per row, labelled by ``label`` (``label_prefix``: a column put before it),
    # one dataset per column of ``values``.
    label: str
    values: list[str]
    admin_only: bool = False
    percent_values: bool = False
    label_prefix: tuple[str, ...] = ()
    horizontal: bool = False

    def run(self, *, jobs: QuerySet[Job], filters: ReportFilters) -> list[dict[str, Any]]:
        return self.rows(jobs=jobs, filters=filters)


REPORTS: dict[str, Report] = {
    report.name: report
    for report in (
        Report(
            name="funnel",
            title="Pipeline funnel",
            summary="Applications that reached each stage, and the share that passed on from the stage before.",
            columns=funnel.COLUMNS,
            rows=funnel.funnel_rows,
            label="stage",
            values=["reached"],
        ),
        Report(
            name="speed",
            title="Speed",
            summary="Days spent in each stage, from applying to hire, and from opening a job to its first hire.",
            columns=speed.COLUMNS,
            rows=speed.speed_rows,
            label="stage",
            label_prefix=("measure",),
            values=["median_days", "p90_days"],
            horizontal=True,
        ),
        Report(
            name="sources",
            title="Sources",
            summary="Applications, interviews, offers and hires per source, with conversion rates.",
            columns=sources.COLUMNS,
            rows=sources.sources_rows,
            label="source",
            values=["applications", "interviewed", "offers", "hires"],
        ),
        Report(
            name="timeliness",
            title="Scorecard timeliness",
            summary="The share of scorecards submitted within 24 hours of the end of the interview.",
            columns=timeliness.COLUMNS,
            rows=timeliness.timeliness_rows,
            label="name",
            label_prefix=("by",),
            values=["on_time_share"],
            percent_values=True,
            horizontal=True,
        ),
        Report(
            name="calibration",
            title="Interviewer calibration",
            summary="How lenient each interviewer is against their panels, how spread their ratings are, "
            "and how often their recommendation matched the outcome.",
            columns=calibration.COLUMNS,
            rows=calibration.calibration_rows,
            label="interviewer",
            values=["leniency"],
            horizontal=True,
        ),
        Report(
            name="reliability",
            title="Rater reliability",
            summary="How far interviewers agree on each competency (Krippendorff's alpha, ordinal).",
            columns=reliability.COLUMNS,
            rows=reliability.reliability_rows,
            label="competency",
            values=["alpha"],
            horizontal=True,
        ),
        Report(
            name="adverse-impact",
            title="Adverse impact",
            summary="Selection rates per self-identified group at each stage, with the four-fifths rule "
            "and Fisher's exact test.",
            columns=adverse_impact.COLUMNS,
            rows=adverse_impact.adverse_impact_rows,
            label="group",
            label_prefix=("question", "stage"),
            values=["selection_rate"],
            admin_only=True,
            percent_values=True,
            horizontal=True,
        ),
    )
}
